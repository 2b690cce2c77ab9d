"""The customer's cart, one per store: lines priced by the snapshot taken when added."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bff.fields import StrictCharField, StrictIntegerField
from bff.serializing import rendered, validated
from contexts.ordering import bootstrap as ordering
from contexts.ordering import queries as ordering_queries
from contexts.solitaire import bootstrap as solitaire


class CartQuery(serializers.Serializer):
    store_id = serializers.CharField(max_length=36)


class CartLineInput(serializers.Serializer):
    goods_id = StrictCharField(max_length=36, required=False)
    solitaire_item_id = StrictCharField(max_length=36, required=False)
    quantity = StrictIntegerField(min_value=1, max_value=10_000)

    def validate(self, attrs):
        if bool(attrs.get("goods_id")) == bool(attrs.get("solitaire_item_id")):
            raise serializers.ValidationError(_("Give exactly one of goods_id and solitaire_item_id."))
        return attrs


class CartLineChange(serializers.Serializer):
    quantity = StrictIntegerField(min_value=1, max_value=10_000)


class CartLineOutput(serializers.Serializer):
    id = serializers.CharField()
    goods_id = serializers.CharField()
    solitaire_item_id = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    image_url = serializers.CharField(allow_blank=True)
    price_fen = serializers.IntegerField()
    quantity = serializers.IntegerField()
    subtotal_fen = serializers.IntegerField()


class CartOutput(serializers.Serializer):
    store_id = serializers.CharField()
    lines = CartLineOutput(many=True)
    total_fen = serializers.IntegerField()


class CartView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("store_id", OpenApiTypes.STR, required=True)],
        responses={200: CartOutput},
        tags=["cart"],
    )
    def get(self, request):
        query = validated(CartQuery, request.query_params)
        cart = ordering_queries.cart(customer_id=request.user.id, store_id=query["store_id"])
        return Response(rendered(CartOutput, cart))


class CartLinesView(APIView):
    @extend_schema(request=CartLineInput, responses={201: CartLineOutput}, tags=["cart"])
    def post(self, request):
        data = validated(CartLineInput, request.data)
        body = data
        if body.get("solitaire_item_id"):
            line = solitaire.add_item_to_cart(
                customer_id=request.user.id,
                solitaire_item_id=body["solitaire_item_id"],
                quantity=body["quantity"],
            )
        else:
            line = ordering.add_goods_to_cart(
                customer_id=request.user.id, goods_id=body["goods_id"], quantity=body["quantity"]
            )
        return Response(rendered(CartLineOutput, line), status=status.HTTP_201_CREATED)


class CartLineView(APIView):
    @extend_schema(request=CartLineChange, responses={200: CartLineOutput}, tags=["cart"])
    def patch(self, request, line_id: str):
        data = validated(CartLineChange, request.data)
        line = ordering.change_cart_line(
            customer_id=request.user.id, line_id=line_id, quantity=data["quantity"]
        )
        return Response(rendered(CartLineOutput, line))

    @extend_schema(responses={204: None}, tags=["cart"])
    def delete(self, request, line_id: str):
        ordering.remove_cart_line(customer_id=request.user.id, line_id=line_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
