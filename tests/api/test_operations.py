"""The API docs and the error shape every endpoint shares (health: test_health.py)."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_and_docs_are_served_without_a_cdn(api_client):
    schema = api_client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/auth/wechat-login" in schema.content
    docs = api_client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn.jsdelivr.net" not in html


def test_an_unknown_api_path_is_404_in_the_error_shape(api_client):
    response = api_client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "未找到。"}


def test_malformed_json_is_400_invalid(api_client):
    response = api_client.post(
        "/api/v1/auth/wechat-login", data=b"{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_a_wrong_method_is_405_in_the_error_shape(api_client):
    response = api_client.delete("/api/v1/health")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_a_protected_endpoint_without_a_token_is_401_not_authenticated(api_client):
    response = api_client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Bearer"


def test_validation_errors_name_their_fields(api_client):
    response = api_client.post("/api/v1/auth/wechat-login", {}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["fields"]) == ["code"]


def test_nested_validation_errors_name_their_dotted_fields():
    from rest_framework import serializers

    from bff.errors import exception_handler

    class Address(serializers.Serializer):
        city = serializers.CharField()

    class Line(serializers.Serializer):
        quantity = serializers.IntegerField(min_value=1)

    class Body(serializers.Serializer):
        address = Address()
        lines = Line(many=True)

    body = Body(data={"address": {}, "lines": [{"quantity": 1}, {"quantity": 0}]})
    assert not body.is_valid()
    response = exception_handler(serializers.ValidationError(body.errors), {})
    assert response.status_code == 400
    assert sorted(response.data["fields"]) == ["address.city", "lines[1].quantity"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/stores/ab\x00c",
        "/api/v1/goods/a\x00",
        "/api/v1/orders?status=a%00",
        "/api/v1/solitaires?scope=mine&store_id=a\x00",
        "/api/v1/sandbox/sms?phone=1%00",
    ],
)
def test_a_nul_character_anywhere_in_the_request_is_400_not_a_database_error(user_client, url):
    client, _user = user_client("zed")
    response = client.get(url)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_a_nul_character_in_a_header_is_400(user_client):
    from contexts.ordering.models import Order

    client, _user = user_client("zed")
    response = client.post("/api/v1/orders", {}, format="json", HTTP_IDEMPOTENCY_KEY="k\x00")
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert Order.objects.count() == 0
