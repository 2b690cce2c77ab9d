"""The payment gateway's notification endpoint (no user: the signature is the credential)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from contexts.ordering import bootstrap as ordering
from contexts.ordering.contracts import NOTIFY_SUCCESS


class PaymentNotifyView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=inline_serializer(
            "PaymentNotification",
            {
                "payment_id": serializers.CharField(),
                "order_no": serializers.CharField(),
                "amount_fen": serializers.IntegerField(),
                "status": serializers.CharField(),
                "transaction_id": serializers.CharField(),
                "paid_at": serializers.CharField(),
            },
        ),
        parameters=[
            OpenApiParameter("X-Signature", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True)
        ],
        responses={200: inline_serializer("PaymentNotifyAnswer", {"code": serializers.CharField()})},
        tags=["payments"],
    )
    def post(self, request):
        # The signature covers the raw bytes, so the body is read as sent, never re-serialized.
        ordering.handle_payment_notification(
            raw_body=request.body, signature=request.headers.get("X-Signature", "")
        )
        return Response(NOTIFY_SUCCESS)
