"""Orders of the mini-program: place, pay, cancel, read (the customer's and the store's), and
what follows payment: pickup verification, confirming receipt, refunds and reminders."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bff.fields import InstantQueryField, StrictCharField, StrictIntegerField
from bff.pagination import page_of, paginated
from bff.serializing import rendered, validated
from bff.stores import AddressSerializer
from bff.throttles import OrderPlacingThrottle, PaymentThrottle
from contexts.ordering import bootstrap as ordering
from contexts.ordering import queries as ordering_queries
from contexts.ordering.contracts import Contact, GoodsLineRequest, Pickup
from contexts.shared.domain.errors import InvalidInput
from contexts.solitaire import bootstrap as solitaire

IDEMPOTENCY_KEY_MAX = 100
QUANTITY_MAX = 10_000
STATUSES = ["pending_payment", "paid", "completed", "cancelled", "refunded"]


# ---- input ---------------------------------------------------------------------------------------
class OrderLineInput(serializers.Serializer):
    goods_id = StrictCharField(max_length=36, required=False)
    solitaire_item_id = StrictCharField(max_length=36, required=False)
    quantity = StrictIntegerField(min_value=1, max_value=QUANTITY_MAX)

    def validate(self, attrs):
        if "goods_id" in attrs and "solitaire_item_id" in attrs:
            raise serializers.ValidationError(_("Give one of goods_id and solitaire_item_id."))
        return attrs


class PickupInput(serializers.Serializer):
    method = serializers.ChoiceField(choices=["pickup", "delivery"])
    pickup_point_id = StrictCharField(max_length=36, required=False, allow_null=True)
    address = AddressSerializer(required=False, allow_null=True)

    def validate(self, attrs):
        if attrs["method"] == "pickup" and not attrs.get("pickup_point_id"):
            raise serializers.ValidationError({"pickup_point_id": [_("Required for pickup.")]})
        if attrs["method"] == "delivery" and not attrs.get("address"):
            raise serializers.ValidationError({"address": [_("Required for delivery.")]})
        return attrs


class ContactInput(serializers.Serializer):
    name = StrictCharField(max_length=50)
    phone = StrictCharField(max_length=20)  # a mainland mobile number: the domain checks it


class PlaceOrderInput(serializers.Serializer):
    """A join (solitaire_id, lines of solitaire_item_id) or an order of a store's goods
    (store_id, lines of goods_id); lines of the same item are merged."""

    solitaire_id = StrictCharField(max_length=36, required=False, allow_null=True)
    store_id = StrictCharField(max_length=36, required=False, allow_null=True)
    resale_id = StrictCharField(max_length=36, required=False, allow_null=True)
    lines = OrderLineInput(many=True, allow_empty=False, max_length=50)
    pickup = PickupInput()
    contact = ContactInput()
    remark = StrictCharField(max_length=200, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        in_solitaire = bool(attrs.get("solitaire_id"))
        if not in_solitaire and not attrs.get("store_id"):
            raise serializers.ValidationError({"store_id": [_("Required for an order outside a solitaire.")]})
        if not in_solitaire and attrs.get("resale_id"):
            raise serializers.ValidationError(
                {"resale_id": [_("Only an order in a solitaire has a resale.")]}
            )
        item = "solitaire_item_id" if in_solitaire else "goods_id"
        if not all(line.get(item) for line in attrs["lines"]):
            raise serializers.ValidationError({"lines": [_("Each line needs a {item}.").format(item=item)]})
        return attrs


def place(data: dict, *, customer_id: str, idempotency_key: str | None):
    """The use case a checked PlaceOrderInput asks for: joining a solitaire, or an order of goods."""
    pickup = Pickup(
        method=data["pickup"]["method"],
        pickup_point_id=data["pickup"].get("pickup_point_id"),
        address=dict(data["pickup"]["address"]) if data["pickup"].get("address") else None,
    )
    common = {
        "customer_id": customer_id,
        "pickup": pickup,
        "contact": Contact(**data["contact"]),
        "remark": data["remark"],
        "idempotency_key": idempotency_key,
    }
    if data.get("solitaire_id"):
        return solitaire.join_solitaire(
            solitaire_id=data["solitaire_id"],
            resale_id=data.get("resale_id"),
            lines=[(line["solitaire_item_id"], line["quantity"]) for line in data["lines"]],
            **common,
        )
    return ordering.place_goods_order(
        store_id=data["store_id"],
        lines=[
            GoodsLineRequest(goods_id=line["goods_id"], quantity=line["quantity"]) for line in data["lines"]
        ],
        **common,
    )


class MyOrdersQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=STATUSES, required=False)


class StoreOrdersQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=STATUSES, required=False)
    solitaire_id = serializers.CharField(max_length=36, required=False)
    created_after = InstantQueryField()
    created_before = InstantQueryField()
    search = serializers.CharField(max_length=100, required=False, allow_blank=True)


# ---- output --------------------------------------------------------------------------------------


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


OrderPage = page_of(OrderOutput)


class PaymentOutput(serializers.Serializer):
    payment_id = serializers.CharField()
    amount_fen = serializers.IntegerField()
    gateway = serializers.CharField()
    prepay = serializers.DictField()


def _idempotency_key(request) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is not None and (not key.strip() or len(key) > IDEMPOTENCY_KEY_MAX):
        raise InvalidInput(
            _("The Idempotency-Key is invalid."),
            fields={"Idempotency-Key": [_("1 to {limit} characters.").format(limit=IDEMPOTENCY_KEY_MAX)]},
        )
    return key.strip() if key else None


class OrdersView(APIView):
    throttle_classes = [OrderPlacingThrottle]

    @extend_schema(
        parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=STATUSES)],
        responses={200: OrderPage},
        tags=["orders"],
        operation_id="orders_list",
    )
    def get(self, request):
        query = validated(MyOrdersQuery, request.query_params)
        source = ordering_queries.my_orders(customer_id=request.user.id, **query)
        return Response(paginated(self, request, source, OrderOutput))

    @extend_schema(
        request=PlaceOrderInput,
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER)],
        responses={201: OrderOutput},
        tags=["orders"],
    )
    def post(self, request):
        key = _idempotency_key(request)
        body = validated(PlaceOrderInput, request.data)
        order = place(body, customer_id=request.user.id, idempotency_key=key)
        return Response(rendered(OrderOutput, order), status=status.HTTP_201_CREATED)


class OrderDetailView(APIView):
    @extend_schema(responses={200: OrderOutput}, tags=["orders"])
    def get(self, request, order_id: str):
        order = ordering_queries.order_for_viewer(order_id=order_id, viewer_id=request.user.id)
        return Response(rendered(OrderOutput, order))


class PayOrderView(APIView):
    throttle_classes = [PaymentThrottle]

    @extend_schema(request=None, responses={200: PaymentOutput}, tags=["orders"])
    def post(self, request, order_id: str):
        payment = ordering.pay_order(order_id=order_id, customer_id=request.user.id)
        return Response(rendered(PaymentOutput, payment))


class CancelOrderView(APIView):
    @extend_schema(request=None, responses={200: OrderOutput}, tags=["orders"])
    def post(self, request, order_id: str):
        order = ordering.cancel_order(order_id=order_id, customer_id=request.user.id)
        return Response(rendered(OrderOutput, order))


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
        query = validated(StoreOrdersQuery, request.query_params)
        source = ordering_queries.store_orders(store_id=store_id, viewer_id=request.user.id, **query)
        return Response(paginated(self, request, source, OrderOutput))


class VerifyPickupInput(serializers.Serializer):
    pickup_code = StrictCharField(max_length=32)


class RefundInput(serializers.Serializer):
    reason = StrictCharField(max_length=200)


class VerifyPickupView(APIView):
    @extend_schema(request=VerifyPickupInput, responses={200: OrderOutput}, tags=["orders"])
    def post(self, request, store_id: str):
        data = validated(VerifyPickupInput, request.data)
        order = ordering.verify_pickup(
            store_id=store_id, user_id=request.user.id, pickup_code=data["pickup_code"]
        )
        return Response(rendered(OrderOutput, order))


class ConfirmReceiptView(APIView):
    @extend_schema(request=None, responses={200: OrderOutput}, tags=["orders"])
    def post(self, request, order_id: str):
        order = ordering.confirm_receipt(order_id=order_id, customer_id=request.user.id)
        return Response(rendered(OrderOutput, order))


class RefundOrderView(APIView):
    @extend_schema(request=RefundInput, responses={200: OrderOutput}, tags=["orders"])
    def post(self, request, order_id: str):
        data = validated(RefundInput, request.data)
        order = ordering.refund_order(order_id=order_id, user_id=request.user.id, reason=data["reason"])
        return Response(rendered(OrderOutput, order))


class RemindOrderView(APIView):
    @extend_schema(request=None, responses={202: inline_serializer("OrderReminded", {})}, tags=["orders"])
    def post(self, request, order_id: str):
        ordering.remind_customer(order_id=order_id, user_id=request.user.id)
        return Response({}, status=status.HTTP_202_ACCEPTED)
