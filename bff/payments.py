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
    """Both gateways' notifications land here: the sandbox's (HMAC in X-Signature) and WeChat
    Pay's (Wechatpay-* headers, encrypted resource). Success is 200 {"code": "SUCCESS"}, which
    WeChat Pay takes as received; any 4xx/5xx makes it send the notification again later.
    Never throttled: a gateway's retries must always get through."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

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
            OpenApiParameter(
                "X-Signature",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="The sandbox's HMAC-SHA256 of the raw body (WeChat Pay: Wechatpay-*).",
            )
        ],
        responses={200: inline_serializer("PaymentNotifyAnswer", {"code": serializers.CharField()})},
        tags=["payments"],
    )
    def post(self, request):
        # The signature covers the raw bytes, so the body is read as sent, never re-serialized.
        ordering.handle_payment_notification(headers=dict(request.headers), raw_body=request.body)
        return Response(NOTIFY_SUCCESS)

    def handle_exception(self, exc):
        """The error shape of API.md, plus the `message` WeChat Pay shows in its retry log."""
        response = super().handle_exception(exc)
        if isinstance(response.data, dict) and "detail" in response.data:
            response.data["message"] = response.data["detail"]
        return response
