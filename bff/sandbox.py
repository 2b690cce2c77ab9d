"""Sandbox endpoints: they exist only while settings.GROUPBUY_SANDBOX is on (checked per request)."""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from bff.fields import StrictCharField
from bff.orders import OrderOutput
from bff.serializing import rendered, validated
from contexts.integration import services as integration
from contexts.ordering import bootstrap as ordering
from contexts.shared.domain.values import Phone


def require_sandbox() -> None:
    if not settings.GROUPBUY_SANDBOX:
        raise exceptions.NotFound()


class SandboxSmsQuery(serializers.Serializer):
    phone = StrictCharField(max_length=20)


class SandboxSmsOutput(serializers.Serializer):
    phone = serializers.CharField()
    code = serializers.CharField()
    purpose = serializers.CharField()
    sent_at = serializers.DateTimeField()


class SandboxSmsView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("phone", str, required=True)],
        responses={200: SandboxSmsOutput},
        tags=["sandbox"],
    )
    def get(self, request):
        require_sandbox()
        query = validated(SandboxSmsQuery, request.query_params)
        phone = Phone(query["phone"])
        sms = integration.last_sandbox_sms(phone=phone.number)
        if sms is None:
            raise exceptions.NotFound(_("No SMS was sent to this phone."))
        return Response(rendered(SandboxSmsOutput, sms))


class SandboxPaymentSucceedView(APIView):
    """The sandbox gateway pays: a signed success notification through the same handling as
    POST /payments/notify, then the order as its customer sees it."""

    @extend_schema(request=None, responses={200: OrderOutput}, tags=["sandbox"])
    def post(self, request, payment_id: str):
        require_sandbox()
        order = ordering.simulate_payment_success(payment_id=payment_id, customer_id=request.user.id)
        return Response(rendered(OrderOutput, order))
