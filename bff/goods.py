"""Goods operations of the mini-program: categories, hot words, goods list and goods."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bff.fields import StrictCharField, StrictIntegerField
from bff.pagination import PageNumberPagination, page_of
from bff.serializing import rendered, validated
from contexts.goods import bootstrap as goods
from contexts.goods import queries as goods_queries

PRICE_MAX_FEN = 100_000_000
STOCK_MAX = 100_000_000
GOODS_STATUSES = ["on_sale", "off_shelf"]


class CategoryOutput(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    sort = serializers.IntegerField()


class CategoryInput(serializers.Serializer):
    name = StrictCharField(max_length=30)


class HotWordOutput(serializers.Serializer):
    word = serializers.CharField()


class GoodsOutput(serializers.Serializer):
    id = serializers.CharField()
    store_id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    image_urls = serializers.ListField(child=serializers.CharField())
    price_fen = serializers.IntegerField()
    category_id = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=GOODS_STATUSES)
    stock = serializers.IntegerField()
    sales = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class GoodsCreateInput(serializers.Serializer):
    name = StrictCharField(max_length=100)
    price_fen = StrictIntegerField(min_value=1, max_value=PRICE_MAX_FEN)
    stock = StrictIntegerField(min_value=0, max_value=STOCK_MAX)
    description = StrictCharField(max_length=5000, required=False, allow_blank=True)
    image_urls = serializers.ListField(child=StrictCharField(max_length=1000), max_length=20, required=False)
    category_id = StrictCharField(max_length=36, required=False, allow_null=True)


class GoodsEditInput(GoodsCreateInput):
    """PATCH: every field optional; only the fields sent change."""

    status = serializers.ChoiceField(choices=GOODS_STATUSES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


GoodsPage = page_of(GoodsOutput)


LIST_PARAMETERS = [
    OpenApiParameter("search", OpenApiTypes.STR, description="in name and description"),
    OpenApiParameter("category", OpenApiTypes.STR, description="a category id"),
    OpenApiParameter("status", OpenApiTypes.STR, enum=GOODS_STATUSES),
    OpenApiParameter("ordering", OpenApiTypes.STR, enum=["price_fen", "-price_fen", "-sales", "-created_at"]),
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("page_size", OpenApiTypes.INT),
]


class StoreCategoriesView(APIView):
    @extend_schema(responses={200: CategoryOutput(many=True)}, tags=["goods"])
    def get(self, request, store_id: str):
        return Response(CategoryOutput(goods_queries.categories(store_id), many=True).data)

    @extend_schema(request=CategoryInput, responses={201: CategoryOutput}, tags=["goods"])
    def post(self, request, store_id: str):
        data = validated(CategoryInput, request.data)
        category = goods.create_category(actor_id=request.user.id, store_id=store_id, name=data["name"])
        return Response(rendered(CategoryOutput, category), status=status.HTTP_201_CREATED)


class StoreHotWordsView(APIView):
    @extend_schema(responses={200: HotWordOutput(many=True)}, tags=["goods"])
    def get(self, request, store_id: str):
        return Response(HotWordOutput(goods_queries.hot_words(store_id), many=True).data)


class StoreGoodsView(APIView):
    @extend_schema(parameters=LIST_PARAMETERS, responses={200: GoodsPage}, tags=["goods"])
    def get(self, request, store_id: str):
        source = goods_queries.store_goods(
            store_id=store_id, viewer_id=request.user.id, params=request.query_params
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(source, request, view=self)
        return paginator.get_paginated_response(GoodsOutput(page, many=True).data)

    @extend_schema(request=GoodsCreateInput, responses={201: GoodsOutput}, tags=["goods"])
    def post(self, request, store_id: str):
        data = validated(GoodsCreateInput, request.data)
        created = goods.create_goods(actor_id=request.user.id, store_id=store_id, **data)
        return Response(rendered(GoodsOutput, created), status=status.HTTP_201_CREATED)


class GoodsDetailView(APIView):
    @extend_schema(responses={200: GoodsOutput}, tags=["goods"])
    def get(self, request, goods_id: str):
        return Response(
            rendered(
                GoodsOutput, goods_queries.goods_for_viewer(goods_id=goods_id, viewer_id=request.user.id)
            )
        )

    @extend_schema(request=GoodsEditInput, responses={200: GoodsOutput}, tags=["goods"])
    def patch(self, request, goods_id: str):
        changes = validated(GoodsEditInput, request.data)
        edited = goods.edit_goods(actor_id=request.user.id, goods_id=goods_id, changes=changes)
        return Response(rendered(GoodsOutput, edited))

    @extend_schema(request=None, responses={204: None}, tags=["goods"])
    def delete(self, request, goods_id: str):
        goods.take_off_shelf(actor_id=request.user.id, goods_id=goods_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
