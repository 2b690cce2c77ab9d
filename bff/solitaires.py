"""Solitaire (接龙) operations of the mini-program: create, edit, publish, close, read, list
and the participations page. Joining is POST /orders (the ordering bff calls solitaire)."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bff.fields import StrictCharField, StrictDateTimeField, StrictIntegerField
from bff.pagination import PageNumberPagination
from bff.serializing import rendered, rendered_each, validated
from contexts.solitaire import bootstrap as solitaire
from contexts.solitaire import queries as solitaire_queries
from contexts.solitaire.contracts import KEEP, ItemInput

PRICE_MAX_FEN = 100_000_000
STOCK_MAX = 100_000_000
STATUSES = ["draft", "published", "closed"]


# ---- input -----------------------------------------------------------------------------------
class ItemCreateInput(serializers.Serializer):
    goods_id = StrictCharField(max_length=36)
    price_fen = StrictIntegerField(min_value=1, max_value=PRICE_MAX_FEN, required=False, allow_null=True)
    stock = StrictIntegerField(min_value=0, max_value=STOCK_MAX)
    per_customer_limit = StrictIntegerField(min_value=1, max_value=STOCK_MAX, required=False, allow_null=True)


class ItemEditInput(ItemCreateInput):
    """An item of PATCH: matched by `id` when given, else by `goods_id` (new goods add an item).
    Fields left out keep their value on an existing item."""

    id = StrictCharField(max_length=36, required=False)
    goods_id = StrictCharField(max_length=36, required=False)
    stock = StrictIntegerField(min_value=0, max_value=STOCK_MAX, required=False)

    def validate(self, attrs):
        if not attrs.get("id") and not attrs.get("goods_id"):
            raise serializers.ValidationError(_("Give the item's id or its goods_id."))
        return attrs


class SolitaireCreateInput(serializers.Serializer):
    title = StrictCharField(max_length=100)
    description = StrictCharField(max_length=5000, required=False, allow_blank=True, default="")
    start_at = StrictDateTimeField()
    end_at = StrictDateTimeField()
    pickup_point_ids = serializers.ListField(
        child=StrictCharField(max_length=36), allow_empty=False, max_length=50
    )
    items = ItemCreateInput(many=True, allow_empty=False, max_length=100)

    def validate(self, attrs):
        # On PATCH with one end of the window only, the aggregate checks it against the other.
        start, end = attrs.get("start_at"), attrs.get("end_at")
        if start is not None and end is not None and end <= start:
            raise serializers.ValidationError({"end_at": [_("end_at must be after start_at.")]})
        return attrs


class SolitaireEditInput(SolitaireCreateInput):
    """PATCH: every field optional; only the fields sent change; `items` is the whole new list."""

    title = StrictCharField(max_length=100, required=False)
    description = StrictCharField(max_length=5000, required=False, allow_blank=True)
    start_at = StrictDateTimeField(required=False)
    end_at = StrictDateTimeField(required=False)
    pickup_point_ids = serializers.ListField(
        child=StrictCharField(max_length=36), allow_empty=False, max_length=50, required=False
    )
    items = ItemEditInput(many=True, allow_empty=False, max_length=100, required=False)


def _items(rows: list[dict]) -> list[ItemInput]:
    return [
        ItemInput(
            id=row.get("id"),
            goods_id=row.get("goods_id", ""),
            stock=row.get("stock", KEEP),
            price_fen=row.get("price_fen", KEEP),
            per_customer_limit=row.get("per_customer_limit", KEEP),
        )
        for row in rows
    ]


# ---- output ----------------------------------------------------------------------------------
class StoreBriefOutput(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    door_image_url = serializers.CharField()


class PickupPointOutput(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    address = serializers.DictField()
    is_default = serializers.BooleanField()


class ItemOutput(serializers.Serializer):
    id = serializers.CharField()
    goods_id = serializers.CharField()
    name = serializers.CharField()
    image_url = serializers.CharField()
    price_fen = serializers.IntegerField()
    stock = serializers.IntegerField()
    sold = serializers.IntegerField()
    remaining = serializers.IntegerField()
    per_customer_limit = serializers.IntegerField(allow_null=True)


class SolitaireOutput(serializers.Serializer):
    id = serializers.CharField()
    store = StoreBriefOutput()
    title = serializers.CharField()
    description = serializers.CharField()
    status = serializers.ChoiceField(choices=STATUSES)
    start_at = serializers.DateTimeField()
    end_at = serializers.DateTimeField()
    is_open = serializers.BooleanField()
    pickup_points = PickupPointOutput(many=True)
    items = ItemOutput(many=True)
    participant_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class MySolitaireOutput(SolitaireOutput):
    relation = serializers.ListField(
        child=serializers.ChoiceField(choices=["operator", "affiliate", "participant"])
    )


class ParticipationItemOutput(serializers.Serializer):
    name = serializers.CharField()
    quantity = serializers.IntegerField()


class ParticipationOutput(serializers.Serializer):
    sequence_no = serializers.IntegerField()
    nickname = serializers.CharField()
    items = ParticipationItemOutput(many=True)
    joined_at = serializers.DateTimeField()


def _page_of(name: str, output) -> type[serializers.Serializer]:
    return type(
        name,
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": output(many=True),
        },
    )


SolitairePage = _page_of("SolitairePage", SolitaireOutput)
MySolitairePage = _page_of("MySolitairePage", MySolitaireOutput)
ParticipationPage = _page_of("ParticipationPage", ParticipationOutput)

PAGE_PARAMETERS = [
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("page_size", OpenApiTypes.INT),
]
STATUS_PARAMETER = OpenApiParameter("status", OpenApiTypes.STR, enum=STATUSES)


def _paginated(view: APIView, request, source, output):
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(source, request, view=view)
    return paginator.get_paginated_response(rendered_each(output, page))


def _detail(request, solitaire_id: str) -> dict:
    """A write answers with the solitaire as its author now reads it."""
    view = solitaire_queries.solitaire_detail(solitaire_id=solitaire_id, viewer_id=request.user.id)
    return rendered(SolitaireOutput, view)


# ---- views -----------------------------------------------------------------------------------
class StoreSolitairesView(APIView):
    @extend_schema(
        parameters=[STATUS_PARAMETER, *PAGE_PARAMETERS], responses={200: SolitairePage}, tags=["solitaires"]
    )
    def get(self, request, store_id: str):
        query = validated(StatusQuery, request.query_params)
        source = solitaire_queries.store_solitaires(store_id=store_id, viewer_id=request.user.id, **query)
        return _paginated(self, request, source, SolitaireOutput)

    @extend_schema(request=SolitaireCreateInput, responses={201: SolitaireOutput}, tags=["solitaires"])
    def post(self, request, store_id: str):
        data = validated(SolitaireCreateInput, request.data)
        data["items"] = _items(data["items"])
        created = solitaire.create_solitaire(actor_id=request.user.id, store_id=store_id, **data)
        return Response(_detail(request, created), status=status.HTTP_201_CREATED)


class SolitaireDetailView(APIView):
    @extend_schema(responses={200: SolitaireOutput}, tags=["solitaires"])
    def get(self, request, solitaire_id: str):
        view = solitaire_queries.solitaire_detail(solitaire_id=solitaire_id, viewer_id=request.user.id)
        return Response(rendered(SolitaireOutput, view))

    @extend_schema(request=SolitaireEditInput, responses={200: SolitaireOutput}, tags=["solitaires"])
    def patch(self, request, solitaire_id: str):
        changes = validated(SolitaireEditInput, request.data)
        if "items" in changes:
            changes["items"] = _items(changes["items"])
        solitaire.update_solitaire(actor_id=request.user.id, solitaire_id=solitaire_id, **changes)
        return Response(_detail(request, solitaire_id))


class SolitairePublishView(APIView):
    @extend_schema(request=None, responses={200: SolitaireOutput}, tags=["solitaires"])
    def post(self, request, solitaire_id: str):
        solitaire.publish_solitaire(actor_id=request.user.id, solitaire_id=solitaire_id)
        return Response(_detail(request, solitaire_id))


class SolitaireCloseView(APIView):
    @extend_schema(request=None, responses={200: SolitaireOutput}, tags=["solitaires"])
    def post(self, request, solitaire_id: str):
        solitaire.close_solitaire(actor_id=request.user.id, solitaire_id=solitaire_id)
        return Response(_detail(request, solitaire_id))


class SolitaireParticipationsView(APIView):
    @extend_schema(parameters=PAGE_PARAMETERS, responses={200: ParticipationPage}, tags=["solitaires"])
    def get(self, request, solitaire_id: str):
        source = solitaire_queries.participations(solitaire_id=solitaire_id, viewer_id=request.user.id)
        return _paginated(self, request, source, ParticipationOutput)


class StatusQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=STATUSES, required=False)


class MySolitairesInput(serializers.Serializer):
    scope = serializers.ChoiceField(choices=["mine"])
    status = serializers.ChoiceField(choices=STATUSES, required=False)
    store_id = serializers.CharField(max_length=36, required=False)


class SolitairesView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("scope", OpenApiTypes.STR, enum=["mine"], required=True),
            STATUS_PARAMETER,
            OpenApiParameter("store_id", OpenApiTypes.STR),
            *PAGE_PARAMETERS,
        ],
        responses={200: MySolitairePage},
        operation_id="v1_solitaires_mine_list",
        tags=["solitaires"],
    )
    def get(self, request):
        params = validated(MySolitairesInput, request.query_params)
        source = solitaire_queries.my_solitaires(
            viewer_id=request.user.id, status=params.get("status"), store_id=params.get("store_id")
        )
        return _paginated(self, request, source, MySolitaireOutput)
