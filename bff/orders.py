"""Orders of the mini-program: place, pay, cancel, read (the customer's and the store's), and
what follows payment: pickup verification, confirming receipt, refunds and reminders."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bff import plain
from bff.order_input import PlaceOrderBody, place_order_body
from bff.pagination import PageNumberPagination
from contexts.ordering import bootstrap as ordering
from contexts.ordering import queries as ordering_queries
from contexts.ordering.contracts import Contact, Pickup
from contexts.shared.domain.errors import InvalidInput
from contexts.solitaire import bootstrap as solitaire

IDEMPOTENCY_KEY_MAX = 100
STATUSES = ["pending_payment", "paid", "completed", "cancelled", "refunded"]


class OrderLineOutput(serializers.Serializer):
    goods_id = serializers.CharField()
    solitaire_item_id = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    image_url = serializers.CharField()
    price_fen = serializers.IntegerField()
    quantity = serializers.IntegerField()
    subtotal_fen = serializers.IntegerField()


class PickupOutput(serializers.Serializer):
    method = serializers.CharField()
    pickup_point_id = serializers.CharField(allow_null=True)
    address = serializers.DictField(allow_null=True)


class ContactOutput(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()


class OrderOutput(serializers.Serializer):
    id = serializers.CharField()
    order_no = serializers.CharField()
    store_id = serializers.CharField()
    solitaire_id = serializers.CharField(allow_null=True)
    resale_id = serializers.CharField(allow_null=True)
    customer_id = serializers.CharField()
    status = serializers.ChoiceField(choices=STATUSES)
    lines = OrderLineOutput(many=True)
    total_fen = serializers.IntegerField()
    pickup = PickupOutput()
    contact = ContactOutput()
    remark = serializers.CharField(allow_blank=True)
    sequence_no = serializers.IntegerField(allow_null=True)
    pickup_code = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    refunded_at = serializers.DateTimeField(allow_null=True)
    refund_reason = serializers.CharField(allow_blank=True)


def _when(value, zone):
    return value.astimezone(zone).isoformat() if value is not None else None


def order_json(order) -> dict:
    """Exactly OrderOutput's JSON (a test holds them equal), built without DRF's per-request
    field copies: placing an order is the hot path of a popular solitaire."""
    pickup, contact, zone = order.pickup, order.contact, timezone.get_current_timezone()
    return {
        "id": order.id,
        "order_no": order.order_no,
        "store_id": order.store_id,
        "solitaire_id": order.solitaire_id,
        "resale_id": order.resale_id,
        "customer_id": order.customer_id,
        "status": order.status,
        "lines": [
            {
                "goods_id": line.goods_id,
                "solitaire_item_id": line.solitaire_item_id,
                "name": line.name,
                "image_url": line.image_url,
                "price_fen": line.price_fen,
                "quantity": line.quantity,
                "subtotal_fen": line.subtotal_fen,
            }
            for line in order.lines
        ],
        "total_fen": order.total_fen,
        "pickup": {
            "method": pickup["method"],
            "pickup_point_id": pickup.get("pickup_point_id"),
            "address": pickup.get("address"),
        },
        "contact": {"name": contact["name"], "phone": contact["phone"]},
        "remark": order.remark,
        "sequence_no": order.sequence_no,
        "pickup_code": order.pickup_code,
        "created_at": _when(order.created_at, zone),
        "expires_at": _when(order.expires_at, zone),
        "paid_at": _when(order.paid_at, zone),
        "completed_at": _when(order.completed_at, zone),
        "cancelled_at": _when(order.cancelled_at, zone),
        "refunded_at": _when(order.refunded_at, zone),
        "refund_reason": order.refund_reason,
    }


class OrderPage(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = OrderOutput(many=True)


class PaymentOutput(serializers.Serializer):
    payment_id = serializers.CharField()
    amount_fen = serializers.IntegerField()
    gateway = serializers.CharField()
    prepay = serializers.DictField()


def _idempotency_key(request) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is not None and (not key.strip() or len(key) > IDEMPOTENCY_KEY_MAX):
        raise InvalidInput(
            "The Idempotency-Key is invalid.",
            fields={"Idempotency-Key": [f"1 to {IDEMPOTENCY_KEY_MAX} characters."]},
        )
    return key.strip() if key else None


def _page(view, request, source):
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(source, request, view=view)
    return paginator.get_paginated_response(OrderOutput(page, many=True).data)


class OrdersView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=STATUSES)],
        responses={200: OrderPage},
        tags=["orders"],
        operation_id="orders_list",
    )
    def get(self, request):
        source = ordering_queries.my_orders(
            customer_id=request.user.id, status=request.query_params.get("status")
        )
        return _page(self, request, source)

    @extend_schema(
        request=PlaceOrderBody,
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER)],
        responses={201: OrderOutput},
        tags=["orders"],
    )
    def post(self, request):
        """Documents POST for the schema; dispatch() serves it without DRF's machinery."""
        return place_order(request._request)

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST":
            return place_order(request)
        return super().dispatch(request, *args, **kwargs)


@plain.errors_as_json
def place_order(request):
    """POST /orders, the product's hottest request: see bff/plain.py for why it skips DRF."""
    user = plain.authenticated_user(request)
    key = _idempotency_key(request)
    body = place_order_body(plain.json_body(request))
    pickup = Pickup(
        method=body.pickup.method,
        pickup_point_id=body.pickup.pickup_point_id,
        address=body.pickup.address.model_dump() if body.pickup.address else None,
    )
    contact = Contact(name=body.contact.name, phone=body.contact.phone)
    if body.solitaire_id:
        order = solitaire.join_solitaire(
            customer_id=user.id,
            solitaire_id=body.solitaire_id,
            resale_id=body.resale_id,
            lines=[(line.solitaire_item_id, line.quantity) for line in body.lines],
            pickup=pickup,
            contact=contact,
            remark=body.remark,
            idempotency_key=key,
        )
    else:
        order = ordering.place_goods_order(
            customer_id=user.id,
            store_id=body.store_id,
            lines=[{"goods_id": line.goods_id, "quantity": line.quantity} for line in body.lines],
            pickup=pickup,
            contact=contact,
            remark=body.remark,
            idempotency_key=key,
        )
    return plain.json_response(order_json(order), status=status.HTTP_201_CREATED)


class OrderDetailView(APIView):
    @extend_schema(responses={200: OrderOutput}, tags=["orders"])
    def get(self, request, order_id: str):
        order = ordering_queries.order_for_viewer(order_id=order_id, viewer_id=request.user.id)
        return Response(OrderOutput(order).data)


class PayOrderView(APIView):
    @extend_schema(request=None, responses={200: PaymentOutput}, tags=["orders"])
    def post(self, request, order_id: str):
        payment = ordering.pay_order(order_id=order_id, customer_id=request.user.id)
        return Response(PaymentOutput(payment).data)


class CancelOrderView(APIView):
    @extend_schema(request=None, responses={200: OrderOutput}, tags=["orders"])
    def post(self, request, order_id: str):
        order = ordering.cancel_order(order_id=order_id, customer_id=request.user.id)
        return Response(OrderOutput(order).data)


class StoreOrdersView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=STATUSES),
            OpenApiParameter("solitaire_id", OpenApiTypes.STR),
            OpenApiParameter("created_after", OpenApiTypes.DATETIME),
            OpenApiParameter("created_before", OpenApiTypes.DATETIME),
            OpenApiParameter("search", OpenApiTypes.STR, description="order number, contact name or phone"),
        ],
        responses={200: OrderPage},
        tags=["orders"],
        operation_id="store_orders_list",
    )
    def get(self, request, store_id: str):
        source = ordering_queries.store_orders(
            store_id=store_id, viewer_id=request.user.id, params=request.query_params
        )
        return _page(self, request, source)


class VerifyPickupInput(serializers.Serializer):
    pickup_code = serializers.CharField(max_length=32)


class RefundInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class VerifyPickupView(APIView):
    @extend_schema(request=VerifyPickupInput, responses={200: OrderOutput}, tags=["orders"])
    def post(self, request, store_id: str):
        data = VerifyPickupInput(data=request.data)
        data.is_valid(raise_exception=True)
        order = ordering.verify_pickup(
            store_id=store_id, user_id=request.user.id, pickup_code=data.validated_data["pickup_code"]
        )
        return Response(OrderOutput(order).data)


class ConfirmReceiptView(APIView):
    @extend_schema(request=None, responses={200: OrderOutput}, tags=["orders"])
    def post(self, request, order_id: str):
        order = ordering.confirm_receipt(order_id=order_id, customer_id=request.user.id)
        return Response(OrderOutput(order).data)


class RefundOrderView(APIView):
    @extend_schema(request=RefundInput, responses={200: OrderOutput}, tags=["orders"])
    def post(self, request, order_id: str):
        data = RefundInput(data=request.data)
        data.is_valid(raise_exception=True)
        order = ordering.refund_order(
            order_id=order_id, user_id=request.user.id, reason=data.validated_data["reason"]
        )
        return Response(OrderOutput(order).data)


class RemindOrderView(APIView):
    @extend_schema(request=None, responses={202: inline_serializer("OrderReminded", {})}, tags=["orders"])
    def post(self, request, order_id: str):
        ordering.remind_customer(order_id=order_id, user_id=request.user.id)
        return Response({}, status=status.HTTP_202_ACCEPTED)
