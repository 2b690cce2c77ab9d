"""Stores and pickup points of the mini-program (API.md "Stores, pickup points, staff")."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bff.fields import StrictCharField, StrictFloatField
from bff.pagination import PageNumberPagination
from bff.serializing import rendered, validated
from contexts.staff import queries as staff_queries
from contexts.store import bootstrap as store
from contexts.store import queries as store_queries


class AddressSerializer(serializers.Serializer):
    province = StrictCharField(max_length=50)
    city = StrictCharField(max_length=50)
    district = StrictCharField(max_length=50)
    detail = StrictCharField(max_length=200)
    latitude = StrictFloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    longitude = StrictFloatField(required=False, allow_null=True, min_value=-180, max_value=180)


class StoreSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    phone = serializers.CharField(help_text="Masked (138****0000) for viewers who are not staff.")
    address = AddressSerializer()
    description = serializers.CharField()
    door_image_url = serializers.CharField()
    status = serializers.CharField(help_text='"active" | "frozen"')
    created_at = serializers.DateTimeField()
    my_role = serializers.CharField(
        allow_null=True, help_text='"owner" | "manager" | "clerk", null for non-staff'
    )


class StoreCreateInput(serializers.Serializer):
    name = StrictCharField(max_length=64)
    phone = StrictCharField(max_length=20)
    sms_code = StrictCharField(max_length=12)
    address = AddressSerializer()
    description = StrictCharField(max_length=2000, required=False, allow_blank=True)
    door_image_url = serializers.URLField(max_length=500, required=False, allow_blank=True)


class StoreEditInput(serializers.Serializer):
    name = StrictCharField(max_length=64, required=False)
    description = StrictCharField(max_length=2000, required=False, allow_blank=True)
    door_image_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    address = AddressSerializer(
        required=False, help_text="A whole address; it moves the default pickup point too."
    )


class PickupPointSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    address = AddressSerializer()
    is_default = serializers.BooleanField()


class PickupPointInput(serializers.Serializer):
    name = StrictCharField(max_length=64)
    address = AddressSerializer()


class StoresView(APIView):
    @extend_schema(request=StoreCreateInput, responses={201: StoreSerializer}, tags=["stores"])
    def post(self, request):
        data = validated(StoreCreateInput, request.data)
        created = store.create_store(owner_id=request.user.id, **data)
        return Response(rendered(StoreSerializer, created), status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: StoreSerializer(many=True)}, tags=["stores"])
    def get(self, request):
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(store_queries.stores_of_user(request.user.id), request, view=self)
        return paginator.get_paginated_response(StoreSerializer(page, many=True).data)


class StoreDetailView(APIView):
    @extend_schema(responses={200: StoreSerializer}, tags=["stores"])
    def get(self, request, store_id: str):
        role = staff_queries.role_of(user_id=request.user.id, store_id=store_id)
        return Response(rendered(StoreSerializer, store_queries.store_detail(store_id, viewer_role=role)))

    @extend_schema(request=StoreEditInput, responses={200: StoreSerializer}, tags=["stores"])
    def patch(self, request, store_id: str):
        data = validated(StoreEditInput, request.data)
        edited = store.edit_store(actor_id=request.user.id, store_id=store_id, **data)
        return Response(rendered(StoreSerializer, edited))


class PickupPointsView(APIView):
    @extend_schema(responses={200: PickupPointSerializer(many=True)}, tags=["stores"])
    def get(self, request, store_id: str):
        store_queries.store_summary(store_id)  # 404 for an unknown store, not an empty list
        return Response(PickupPointSerializer(store_queries.pickup_points(store_id), many=True).data)

    @extend_schema(request=PickupPointInput, responses={201: PickupPointSerializer}, tags=["stores"])
    def post(self, request, store_id: str):
        data = validated(PickupPointInput, request.data)
        point = store.add_pickup_point(actor_id=request.user.id, store_id=store_id, **data)
        return Response(rendered(PickupPointSerializer, point), status=status.HTTP_201_CREATED)
