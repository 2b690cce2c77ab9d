"""The merchant's account, ledger and settlements (API.md "Merchant account and settlement").
The merchant is the caller (whoever created a store): 404 for a user who never did."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from bff.pagination import page_of, paginated
from bff.serializing import rendered, validated
from contexts.merchant_account import contracts as merchant_contracts
from contexts.merchant_account import queries as merchant_queries

ENTRY_KINDS = list(merchant_contracts.ENTRY_KINDS)
BALANCES = list(merchant_contracts.BALANCES)
SETTLEMENT_KINDS = list(merchant_contracts.SETTLEMENT_KINDS)


class MerchantAccountSerializer(serializers.Serializer):
    merchant_id = serializers.CharField()
    pending_fen = serializers.IntegerField(help_text="Revenue of completed orders not settled yet.")
    available_fen = serializers.IntegerField()
    settled_total_fen = serializers.IntegerField()
    commission_total_fen = serializers.IntegerField()


class MerchantAccountView(APIView):
    @extend_schema(responses={200: MerchantAccountSerializer}, tags=["merchant"])
    def get(self, request):
        account = merchant_queries.account_of_user(request.user.id)
        return Response(rendered(MerchantAccountSerializer, account))


class EntryOutput(serializers.Serializer):
    id = serializers.CharField()
    kind = serializers.ChoiceField(choices=ENTRY_KINDS)
    balance = serializers.ChoiceField(choices=BALANCES)
    amount_fen = serializers.IntegerField(help_text="Signed: + credits, - debits the balance.")
    order_no = serializers.CharField()
    settlement_id = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()


EntryPage = page_of(EntryOutput)


class EntriesQuery(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ENTRY_KINDS, required=False)
    balance = serializers.ChoiceField(choices=BALANCES, required=False)


class SettlementOutput(serializers.Serializer):
    id = serializers.CharField()
    kind = serializers.ChoiceField(choices=SETTLEMENT_KINDS)
    period_start = serializers.DateTimeField()
    period_end = serializers.DateTimeField()
    order_count = serializers.IntegerField()
    gross_fen = serializers.IntegerField()
    fee_fen = serializers.IntegerField()
    commission_fen = serializers.IntegerField()
    net_fen = serializers.IntegerField()
    created_at = serializers.DateTimeField()


SettlementPage = page_of(SettlementOutput)


class SettlementOrderOutput(serializers.Serializer):
    order_no = serializers.CharField()
    store_id = serializers.CharField()
    completed_at = serializers.DateTimeField()
    total_fen = serializers.IntegerField()
    fee_fen = serializers.IntegerField()
    commission_fen = serializers.IntegerField()
    net_fen = serializers.IntegerField()


SettlementOrderPage = page_of(SettlementOrderOutput)


class SettlementDetailOutput(SettlementOutput):
    orders = SettlementOrderPage(help_text="A page of its orders: ?page= and ?page_size=.")


class MerchantEntriesView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, enum=ENTRY_KINDS),
            OpenApiParameter("balance", OpenApiTypes.STR, enum=BALANCES),
        ],
        responses={200: EntryPage},
        tags=["merchant"],
        operation_id="merchant_entries_list",
    )
    def get(self, request):
        query = validated(EntriesQuery, request.query_params)
        source = merchant_queries.entries_of_user(user_id=request.user.id, **query)
        return Response(paginated(self, request, source, EntryOutput))


class MerchantSettlementsView(APIView):
    @extend_schema(
        responses={200: SettlementPage}, tags=["merchant"], operation_id="merchant_settlements_list"
    )
    def get(self, request):
        source = merchant_queries.settlements_of_user(user_id=request.user.id)
        return Response(paginated(self, request, source, SettlementOutput))


class MerchantSettlementView(APIView):
    @extend_schema(responses={200: SettlementDetailOutput}, tags=["merchant"])
    def get(self, request, settlement_id: str):
        settlement = merchant_queries.settlement_of_user(user_id=request.user.id, settlement_id=settlement_id)
        orders = paginated(
            self, request, merchant_queries.settlement_orders(settlement=settlement), SettlementOrderOutput
        )
        return Response({**rendered(SettlementOutput, settlement), "orders": orders})
