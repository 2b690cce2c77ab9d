"""Resales (帮卖): an affiliate store resells a brand's solitaire, and reads what its resales
earned (API.md "Solitaires" and "Franchise"). The list composes three contexts at the edge:
affiliate's resales, solitaire's titles and stores, ordering's totals, each once per page."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bff.fields import StrictCharField
from bff.franchise import authorize_in_store
from bff.pagination import PageNumberPagination, page_of
from bff.serializing import rendered, validated
from contexts.affiliate import bootstrap as affiliate
from contexts.affiliate import queries as affiliate_queries
from contexts.affiliate.contracts import ResaleView
from contexts.ordering import queries as ordering_queries
from contexts.solitaire import queries as solitaire_queries


class ResaleInput(serializers.Serializer):
    store_id = StrictCharField(max_length=36, help_text="The affiliate store that resells the solitaire.")


class ResaleOutput(serializers.Serializer):
    id = serializers.CharField()
    solitaire_id = serializers.CharField()
    store_id = serializers.CharField()


class ResaleStoreOutput(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()


class ResaleSolitaireOutput(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    store = ResaleStoreOutput()


class StoreResaleOutput(ResaleOutput):
    solitaire = ResaleSolitaireOutput()
    order_count = serializers.IntegerField(help_text="Paid and completed orders placed through it.")
    commission_fen = serializers.IntegerField(help_text="Their commissions, in fen.")
    created_at = serializers.DateTimeField()


StoreResalePage = page_of(StoreResaleOutput)


PAGE_PARAMETERS = [
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("page_size", OpenApiTypes.INT),
]


def _rows(resales: list[ResaleView]) -> list[dict]:
    solitaires = solitaire_queries.solitaires_by_ids({r.solitaire_id for r in resales})
    totals = ordering_queries.resale_totals([r.id for r in resales])
    rows = []
    for resale in resales:
        solitaire = solitaires[resale.solitaire_id]
        total = totals.get(resale.id)
        rows.append(
            {
                "id": resale.id,
                "solitaire_id": resale.solitaire_id,
                "store_id": resale.store_id,
                "solitaire": {
                    "id": solitaire.id,
                    "title": solitaire.title,
                    "store": {"id": solitaire.store.id, "name": solitaire.store.name},
                },
                "order_count": total.order_count if total else 0,
                "commission_fen": total.commission_fen if total else 0,
                "created_at": resale.created_at,
            }
        )
    return rows


class SolitaireResalesView(APIView):
    @extend_schema(
        request=ResaleInput,
        responses={201: ResaleOutput, 200: ResaleOutput},
        description="201 for a new resale; 200 and the same resale when the store already resells it.",
        tags=["solitaires"],
    )
    def post(self, request, solitaire_id: str):
        # 404 for an unknown solitaire, or a draft the caller may not see, before anything else.
        solitaire = solitaire_queries.solitaire_detail(solitaire_id=solitaire_id, viewer_id=request.user.id)
        data = validated(ResaleInput, request.data)
        authorize_in_store(request, data["store_id"], "resale.create")
        resale, created = affiliate.create_resale(
            solitaire_id=solitaire.id, brand_store_id=solitaire.store.id, store_id=data["store_id"]
        )
        answer = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(rendered(ResaleOutput, resale), status=answer)


class StoreResalesView(APIView):
    @extend_schema(parameters=PAGE_PARAMETERS, responses={200: StoreResalePage}, tags=["franchise"])
    def get(self, request, store_id: str):
        authorize_in_store(request, store_id, "resale.view")
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(affiliate_queries.resales_of_store(store_id), request, view=self)
        results = [rendered(StoreResaleOutput, row) for row in _rows(page)]
        return paginator.get_paginated_response(results)
