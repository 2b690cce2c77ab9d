"""Store staff of the mini-program (API.md "Stores, pickup points, staff")."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bff.fields import StrictCharField
from bff.serializing import rendered, validated
from contexts.staff import bootstrap as staff
from contexts.staff import queries as staff_queries
from contexts.store import queries as store_queries


class StaffMemberSerializer(serializers.Serializer):
    user_id = serializers.CharField()
    nickname = serializers.CharField()
    phone = serializers.CharField(allow_null=True)
    role = serializers.CharField(help_text='"owner" | "manager" | "clerk"')
    joined_at = serializers.DateTimeField()


class StaffAddInput(serializers.Serializer):
    phone = StrictCharField(max_length=20)
    role = serializers.ChoiceField(choices=["manager", "clerk"])


class StaffView(APIView):
    @extend_schema(responses={200: StaffMemberSerializer(many=True)}, tags=["staff"])
    def get(self, request, store_id: str):
        store_queries.store_summary(store_id)  # 404 before 403: the store must exist
        staff_queries.authorize(user_id=request.user.id, store_id=store_id, operation="staff.view")
        return Response(StaffMemberSerializer(staff_queries.members(store_id), many=True).data)

    @extend_schema(request=StaffAddInput, responses={201: StaffMemberSerializer}, tags=["staff"])
    def post(self, request, store_id: str):
        data = validated(StaffAddInput, request.data)
        store_queries.store_summary(store_id)
        # Who may add whom (owner: any role, manager: clerks) is the use case's own rule.
        member = staff.add_member(actor_id=request.user.id, store_id=store_id, **data)
        return Response(rendered(StaffMemberSerializer, member), status=status.HTTP_201_CREATED)


class StaffMemberView(APIView):
    @extend_schema(request=None, responses={204: None}, tags=["staff"])
    def delete(self, request, store_id: str, user_id: str):
        store_queries.store_summary(store_id)
        staff.remove_member(actor_id=request.user.id, store_id=store_id, user_id=user_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
