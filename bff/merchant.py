"""The merchant's account (API.md "Merchant account and settlement")."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from bff.serializing import rendered
from contexts.merchant_account import queries as merchant_queries


class MerchantAccountSerializer(serializers.Serializer):
    merchant_id = serializers.CharField()
    pending_fen = serializers.IntegerField(help_text="Revenue of completed orders not settled yet.")
    available_fen = serializers.IntegerField()
    settled_total_fen = serializers.IntegerField()
    commission_total_fen = serializers.IntegerField()


class MerchantAccountView(APIView):
    @extend_schema(responses={200: MerchantAccountSerializer}, tags=["merchant"])
    def get(self, request):
        # The merchant is the caller (whoever created a store); 404 for a user who never did.
        account = merchant_queries.account_of_user(request.user.id)
        return Response(rendered(MerchantAccountSerializer, account))
