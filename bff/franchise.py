"""A brand store's franchise: its policy and its members (API.md "Franchise")."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bff.fields import StrictBooleanField, StrictCharField, StrictIntegerField
from bff.serializing import rendered, validated
from contexts.affiliate import bootstrap as affiliate
from contexts.affiliate import queries as affiliate_queries
from contexts.staff import queries as staff_queries
from contexts.store import queries as store_queries

BILLING_CYCLES = ["daily", "weekly", "monthly"]


class PolicySerializer(serializers.Serializer):
    enabled = serializers.BooleanField()
    commission_bps = serializers.IntegerField(help_text="Basis points (1 bp = 0.01%), 0..5000.")
    billing_cycle = serializers.ChoiceField(choices=BILLING_CYCLES)


class PolicyInput(serializers.Serializer):
    enabled = StrictBooleanField()
    commission_bps = StrictIntegerField(min_value=0, max_value=5000)
    billing_cycle = serializers.ChoiceField(choices=BILLING_CYCLES)


class MemberInput(serializers.Serializer):
    store_id = StrictCharField(max_length=36, help_text="The store that joins the franchise.")


class MemberOutput(serializers.Serializer):
    store_id = serializers.CharField()
    store_name = serializers.CharField()
    joined_at = serializers.DateTimeField()


def authorize_in_store(request, store_id: str, operation: str) -> None:
    """The caller may run `operation` in the store: 404 for an unknown store, then 403."""
    store_queries.store_summary(store_id)  # 404 before 403: the store must exist
    staff_queries.authorize(user_id=request.user.id, store_id=store_id, operation=operation)


class FranchiseView(APIView):
    @extend_schema(responses={200: PolicySerializer}, tags=["franchise"])
    def get(self, request, store_id: str):
        authorize_in_store(request, store_id, "franchise.view")
        return Response(rendered(PolicySerializer, affiliate_queries.policy_of(store_id)))

    @extend_schema(request=PolicyInput, responses={200: PolicySerializer}, tags=["franchise"])
    def put(self, request, store_id: str):
        authorize_in_store(request, store_id, "franchise.edit")
        data = validated(PolicyInput, request.data)
        policy = affiliate.update_policy(store_id=store_id, **data)
        return Response(rendered(PolicySerializer, policy))


class FranchiseMembersView(APIView):
    @extend_schema(responses={200: MemberOutput(many=True)}, tags=["franchise"])
    def get(self, request, store_id: str):
        authorize_in_store(request, store_id, "franchise.view")
        members = affiliate_queries.members_of(store_id)
        return Response([rendered(MemberOutput, member) for member in members])

    @extend_schema(request=MemberInput, responses={201: MemberOutput}, tags=["franchise"])
    def post(self, request, store_id: str):
        authorize_in_store(request, store_id, "franchise.edit")
        data = validated(MemberInput, request.data)
        member = affiliate.add_member(brand_store_id=store_id, member_store_id=data["store_id"])
        return Response(rendered(MemberOutput, member), status=status.HTTP_201_CREATED)


class FranchiseMemberView(APIView):
    @extend_schema(request=None, responses={204: None}, tags=["franchise"])
    def delete(self, request, store_id: str, member_store_id: str):
        authorize_in_store(request, store_id, "franchise.edit")
        affiliate.remove_member(brand_store_id=store_id, member_store_id=member_store_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
