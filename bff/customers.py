"""Store customers of the mini-program (API.md "Store customers")."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from bff.fields import StrictCharField
from bff.pagination import PageNumberPagination, page_of
from bff.serializing import rendered, validated
from contexts.customer import bootstrap as customer
from contexts.customer import queries as customer_queries

REMARK_MAX = 200
TAG_MAX = 20
TAGS_SANITY_MAX = 100  # the limit of 10 distinct tags is the domain's; this only bounds the payload


class CustomerOutput(serializers.Serializer):
    id = serializers.CharField()
    user_id = serializers.CharField()
    nickname = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    order_count = serializers.IntegerField()
    total_spent_fen = serializers.IntegerField()
    first_order_at = serializers.DateTimeField(allow_null=True)
    last_order_at = serializers.DateTimeField(allow_null=True)
    remark = serializers.CharField(allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField())


CustomerPage = page_of(CustomerOutput)


class CustomerEditInput(serializers.Serializer):
    remark = StrictCharField(max_length=REMARK_MAX, required=False, allow_blank=True)
    tags = serializers.ListField(
        child=StrictCharField(max_length=TAG_MAX), required=False, max_length=TAGS_SANITY_MAX
    )


class StoreCustomersView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("search", OpenApiTypes.STR, description="nickname or phone, in part")],
        responses={200: CustomerPage},
        tags=["customers"],
        operation_id="store_customers_list",
    )
    def get(self, request, store_id: str):
        source = customer_queries.store_customers(
            store_id=store_id, viewer_id=request.user.id, search=request.query_params.get("search")
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(source, request, view=self)
        return paginator.get_paginated_response(CustomerOutput(page, many=True).data)


class StoreCustomerView(APIView):
    @extend_schema(request=CustomerEditInput, responses={200: CustomerOutput}, tags=["customers"])
    def patch(self, request, store_id: str, customer_id: str):
        data = validated(CustomerEditInput, request.data)
        edited = customer.edit_customer(
            actor_id=request.user.id, store_id=store_id, customer_id=customer_id, **data
        )
        return Response(rendered(CustomerOutput, edited))
