"""A brand store's franchise policy (API.md "Franchise")."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from bff.fields import StrictBooleanField, StrictIntegerField
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


def _authorize(request, store_id: str, operation: str) -> None:
    store_queries.store_summary(store_id)  # 404 before 403: the store must exist
    staff_queries.authorize(user_id=request.user.id, store_id=store_id, operation=operation)


class FranchiseView(APIView):
    @extend_schema(responses={200: PolicySerializer}, tags=["franchise"])
    def get(self, request, store_id: str):
        _authorize(request, store_id, "franchise.view")
        return Response(rendered(PolicySerializer, affiliate_queries.policy_of(store_id)))

    @extend_schema(request=PolicyInput, responses={200: PolicySerializer}, tags=["franchise"])
    def put(self, request, store_id: str):
        _authorize(request, store_id, "franchise.edit")
        data = validated(PolicyInput, request.data)
        policy = affiliate.update_policy(store_id=store_id, **data)
        return Response(rendered(PolicySerializer, policy))
