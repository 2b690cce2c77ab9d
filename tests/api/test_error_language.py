"""The API's human texts follow the request's language: Simplified Chinese by default, English
with `Accept-Language: en`. The codes never change."""

import pytest

from tests.api.test_solitaires_support import build_world, create_solitaire, join, published_solitaire


@pytest.fixture
def world(user_client, phone_client, api_client):
    return build_world(user_client, phone_client, api_client)


def test_a_domain_error_is_chinese_by_default_and_english_on_request(world):
    # given a draft solitaire
    url = f"/api/v1/solitaires/{create_solitaire(world)['id']}/close"
    # when its owner tries to close it, in each language
    chinese = world["owner"].post(url)
    english = world["owner"].post(url, HTTP_ACCEPT_LANGUAGE="en")
    # then the status, written in the detail, is translated too
    assert (chinese.status_code, chinese.json()) == (
        409,
        {"code": "invalid_state", "detail": "草稿的接龙不能结束。"},
    )
    assert english.json() == {"code": "invalid_state", "detail": "A draft solitaire cannot be closed."}


def test_a_domain_error_with_values_fills_them_into_the_translated_text(world):
    # given a solitaire whose first item allows 2 per customer
    solitaire = published_solitaire(world)
    name = solitaire["items"][0]["name"]
    # when a customer asks for 3, in each language
    chinese = join(world["customer"], solitaire, [(0, 3)])
    english = world["customer"].post(
        "/api/v1/orders",
        {
            "solitaire_id": solitaire["id"],
            "lines": [{"solitaire_item_id": solitaire["items"][0]["id"], "quantity": 3}],
            "pickup": {"method": "pickup", "pickup_point_id": solitaire["pickup_points"][0]["id"]},
            "contact": {"name": "王小明", "phone": "13700000000"},
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    # then
    assert chinese.status_code == english.status_code == 409
    assert chinese.json() == {"code": "limit_exceeded", "detail": f"{name}：每人限购 2 件（已购 0 件）。"}
    assert english.json() == {
        "code": "limit_exceeded",
        "detail": f"{name}: at most 2 per customer (0 already ordered).",
    }


def test_field_messages_of_the_bff_and_of_drf_are_translated_too(world):
    # given a solitaire that ends before it starts and has no title
    url = f"/api/v1/stores/{world.store['id']}/solitaires"
    body = {"start_at": "2026-12-02T10:00:00+08:00", "end_at": "2026-12-01T10:00:00+08:00"}
    # when
    chinese = world["owner"].post(url, body, format="json").json()
    english = world["owner"].post(url, body, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    # then
    assert (chinese["code"], chinese["detail"], chinese["fields"]["title"]) == (
        "invalid",
        "请求无效。",
        ["这个字段是必填项。"],
    )
    assert (english["code"], english["detail"], english["fields"]["title"]) == (
        "invalid",
        "The request is invalid.",
        ["This field is required."],
    )


def test_an_unknown_path_answers_in_the_asked_language(api_client):
    assert api_client.get("/api/v1/nowhere").json() == {"code": "not_found", "detail": "未找到。"}
    english = api_client.get("/api/v1/nowhere", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json() == {"code": "not_found", "detail": "Not found."}
