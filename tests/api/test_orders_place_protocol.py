"""POST /orders is served without DRF's request machinery (bff/plain.py): the protocol around
the body — authentication, media type, JSON, the answer's encoding — stays DRF's, exactly."""

import json

import pytest

from contexts.goods.models import Goods
from contexts.ordering.models import Order
from tests.api.test_orders_world import build_world, order_body, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(user_client, phone_client, api_client):
    return build_world(user_client, phone_client, api_client)


def nothing_changed(world) -> bool:
    return (Order.objects.count(), Goods.objects.get(pk=world["eggs"]).stock) == (0, 10)


def test_an_anonymous_caller_is_asked_for_a_bearer_token(world):
    # when
    response = place(world, "anonymous")
    # then
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Bearer"
    assert nothing_changed(world)


# WSGI hands a header's bytes over as latin-1 text: UTF-8 arrives as such mojibake.
NOT_ASCII = "Bearer " + "令牌".encode().decode("latin-1")


@pytest.mark.parametrize("header", ["Token abc", "Bearer", "Bearer a b", "Bearer not-a-token", NOT_ASCII])
def test_a_malformed_or_unknown_token_is_401_and_places_nothing(world, header):
    # when
    response = world["anonymous"].post(
        "/api/v1/orders", order_body(world), format="json", HTTP_AUTHORIZATION=header
    )
    # then
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Bearer"
    assert nothing_changed(world)


@pytest.mark.parametrize(
    ("content_type", "raw", "status", "code"),
    [
        ("application/x-www-form-urlencoded", "store_id=1", 415, "unsupported_media_type"),
        ("text/plain", "{}", 415, "unsupported_media_type"),
        ("application/json", '{"lines": [', 400, "invalid"),
        ("application/json", '{"remark": NaN}', 400, "invalid"),
        ("application/json; charset=bz2_codec", "{}", 400, "invalid"),
    ],
)
def test_a_body_that_is_not_json_is_refused_and_changes_nothing(world, content_type, raw, status, code):
    # when
    response = world["customer"].post("/api/v1/orders", raw, content_type=content_type)
    # then
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert nothing_changed(world)


def test_an_empty_body_names_every_missing_field(world):
    # when
    response = world["customer"].post("/api/v1/orders")
    # then
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert sorted(response.json()["fields"]) == ["contact", "lines", "pickup"]
    assert nothing_changed(world)


def test_the_order_is_answered_as_every_other_endpoint_answers_it(world):
    # given a JSON body that names its charset
    raw = order_body(world)
    # when
    response = world["customer"].post(
        "/api/v1/orders", json.dumps(raw), content_type="application/json; charset=utf-8"
    )
    # then the answer is DRF's JSON: compact, UTF-8 text unescaped, equal to the order's detail
    assert (response.status_code, response["Content-Type"]) == (201, "application/json")
    assert response.content.startswith(b'{"id":"')
    assert raw["contact"]["name"].encode() in response.content
    detail = world["customer"].get(f"/api/v1/orders/{response.json()['id']}")
    assert response.json() == detail.json()


def test_another_method_on_orders_is_still_drf_s(world):
    response = world["customer"].put("/api/v1/orders", order_body(world), format="json")
    assert (response.status_code, response.json()["code"]) == (405, "method_not_allowed")
    assert nothing_changed(world)


def test_a_crash_while_placing_is_api_md_s_500_and_changes_nothing(world, monkeypatch):
    # given the order's INSERT fails in a way no handler knows, after the stock was reserved
    from contexts.ordering.adapters.orm import DjangoOrderRepository

    def crash(self, order):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(DjangoOrderRepository, "add", crash)
    client = world["customer"]
    client.raise_request_exception = False
    # when
    response = place(world)
    # then the answer is the API's 500 and the reservation was rolled back with the rest
    assert (response.status_code, response.json()["code"]) == (500, "server_error")
    assert nothing_changed(world)
