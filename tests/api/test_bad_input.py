"""What fuzzing a production-like deploy found (issue 11): bodies nested too deep, charsets that
are not UTF-8, instants with offsets no place uses, numbers where text is due. Every one is a
4xx in API.md's shape and changes nothing; none is a 500."""

import json
import re
import uuid
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import URLPattern
from django.utils import timezone

from bff.urls import urlpatterns
from contexts.goods.models import Goods
from contexts.solitaire.models import Solitaire
from contexts.store.models import Store
from tests.api.test_orders_world import add_goods, order_body
from tests.support.api import ADDRESS, open_store

pytestmark = pytest.mark.django_db

DEEP = '{"a":' * 1000 + "1" + "}" * 1000  # nested 1,000 levels: past the decoder's recursion limit
REFUSED = {  # the statuses a refused body may get, with their codes (API.md, bff/errors.py)
    400: {"invalid"},
    401: {"not_authenticated", "invalid_signature"},
    403: {"permission_denied"},
    404: {"not_found"},
    405: {"method_not_allowed"},
    415: {"unsupported_media_type"},
}
BODY_METHODS = ("post", "put", "patch")


def body_endpoints() -> list[tuple[str, str]]:
    """(route, method) of every pattern of bff.urls whose view takes a body with that method."""
    found = []
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        view = pattern.callback.view_class
        found += [(str(pattern.pattern), method) for method in BODY_METHODS if hasattr(view, method)]
    assert ("auth/wechat-login", "post") in found
    return found


def database() -> dict:
    """Every row of every table: a refused request inserts, updates and deletes nothing."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.managed
    }


@pytest.fixture
def shop(user_client):
    """A store with goods and an order placed now by its owner (also a customer), all through
    the API; the owner's client."""
    owner, user = user_client("olive")
    store = open_store(owner, "13800000001", "幸福小店")
    goods_id = add_goods(owner, store["id"])
    point_id = owner.get(f"/api/v1/stores/{store['id']}/pickup-points").json()[0]["id"]
    order = owner.post(
        "/api/v1/orders",
        order_body({"store_id": store["id"], "eggs": goods_id, "point_id": point_id}),
        format="json",
    )
    assert order.status_code == 201, order.content
    return {
        "owner": owner,
        "user_id": user["id"],
        "store_id": store["id"],
        "goods_id": goods_id,
        "point_id": point_id,
        "order_id": order.json()["id"],
    }


def solitaire_body(shop: dict, **overrides) -> dict:
    now = timezone.now()
    body = {
        "title": "周五接龙",
        "start_at": now.isoformat(),
        "end_at": (now + timedelta(days=1)).isoformat(),
        "pickup_point_ids": [shop["point_id"]],
        "items": [{"goods_id": shop["goods_id"], "stock": 5}],
    }
    return {**body, **overrides}


@pytest.fixture
def world(shop):
    """The shop and a draft solitaire of it: the ids that fill path parameters."""
    created = shop["owner"].post(
        f"/api/v1/stores/{shop['store_id']}/solitaires", solitaire_body(shop), format="json"
    )
    assert created.status_code == 201, created.content
    return {**shop, "solitaire_id": created.json()["id"]}


def path_of(route: str, world: dict) -> str:
    """The route with real ids where the world has them, random UUIDs elsewhere."""
    return "/api/v1/" + re.sub(r"<str:(\w+)>", lambda match: world.get(match[1], str(uuid.uuid4())), route)


# ---- (a) a body nested 1,000 levels deep ------------------------------------------------------
@pytest.mark.parametrize("who", ["owner", "anonymous"])
@pytest.mark.parametrize(("route", "method"), body_endpoints())
def test_a_body_nested_a_thousand_levels_is_refused_everywhere_and_changes_nothing(
    world, api_client, who, route, method
):
    # given
    client = world["owner"] if who == "owner" else type(api_client)()
    before = database()
    # when
    response = getattr(client, method)(path_of(route, world), DEEP, content_type="application/json")
    # then
    assert response.status_code in REFUSED, response.content
    assert response.json()["code"] in REFUSED[response.status_code]
    assert database() == before


def test_login_with_a_body_nested_a_thousand_levels_is_400_invalid(api_client):
    # when
    response = api_client.post("/api/v1/auth/wechat-login", DEEP, content_type="application/json")
    # then
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert "fields" not in response.json()
    assert not apps.get_model("identity", "User").objects.exists()


def test_a_body_32_levels_deep_is_read_and_answered_with_the_field_named(api_client):
    # given a login code nested 31 levels inside the body: as deep as the parser reads
    body = '{"code":' + "[" * 31 + "]" * 31 + "}"
    # when
    response = api_client.post("/api/v1/auth/wechat-login", body, content_type="application/json")
    # then the serializer (not the parser) refuses it, and the error renders
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert list(response.json()["fields"]) == ["code"]
    assert not apps.get_model("identity", "User").objects.exists()


def test_a_body_33_levels_deep_is_refused_by_the_parser(api_client):
    # given
    body = '{"code":' + "[" * 32 + "]" * 32 + "}"
    # when
    response = api_client.post("/api/v1/auth/wechat-login", body, content_type="application/json")
    # then
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert "fields" not in response.json()
    assert not apps.get_model("identity", "User").objects.exists()


def test_a_body_over_django_s_upload_limit_is_400_invalid_in_api_md_s_shape(api_client, settings):
    # given a body just over DATA_UPLOAD_MAX_MEMORY_SIZE (Django refuses it before any view)
    body = json.dumps({"code": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    # when
    response = api_client.post("/api/v1/auth/wechat-login", body, content_type="application/json")
    # then
    assert (response.status_code, response["Content-Type"]) == (400, "application/json")
    assert response.json() == {"code": "invalid", "detail": "请求无效。"}  # zh-hans by default
    assert not apps.get_model("identity", "User").objects.exists()


# ---- (b) the charset of a JSON body ---------------------------------------------------------
def store_body(client, phone: str) -> dict:
    sent = client.post("/api/v1/auth/sms-codes", {"phone": phone, "purpose": "create_store"}, format="json")
    assert sent.status_code == 202, sent.content
    code = client.get("/api/v1/sandbox/sms", {"phone": phone}).json()["code"]
    return {"name": "幸福小店", "phone": phone, "sms_code": code, "address": ADDRESS}


@pytest.mark.parametrize(
    ("charset", "encoding"),
    [
        ("klingon", "utf-8"),  # unknown to Python: Django drops it, DRF read it as UTF-8
        ("utf-16", "utf-16"),  # RFC 8259: JSON between systems is UTF-8
        ("utf-32", "utf-32"),
        ("latin-1", "utf-8"),  # UTF-8 bytes that would be read as mojibake
        ("gb2312", "gb2312"),
        ("bz2_codec", "utf-8"),
    ],
)
def test_a_charset_that_is_not_utf_8_is_refused_and_creates_no_store(user_client, charset, encoding):
    # given
    client, _ = user_client("olive")
    raw = json.dumps(store_body(client, "13800000001"), ensure_ascii=False).encode(encoding)
    # when
    response = client.generic(
        "POST", "/api/v1/stores", raw, content_type=f"application/json; charset={charset}"
    )
    # then
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert not Store.objects.exists()


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "application/json; charset=UTF8"]
)
def test_utf_8_named_or_not_is_read(user_client, content_type):
    # given
    client, _ = user_client("olive")
    raw = json.dumps(store_body(client, "13800000001"), ensure_ascii=False).encode()
    # when
    response = client.generic("POST", "/api/v1/stores", raw, content_type=content_type)
    # then
    assert response.status_code == 201, response.content
    assert list(Store.objects.values_list("name", flat=True)) == ["幸福小店"]


# ---- (c) instants in the query of the store's orders ------------------------------------------
@pytest.mark.parametrize("offset", ["-19:12", "+16:00", "-18:00"])
def test_created_after_with_an_offset_no_place_uses_is_400_naming_it(shop, offset):
    # when
    response = shop["owner"].get(
        f"/api/v1/stores/{shop['store_id']}/orders", {"created_after": f"2026-12-01T10:00:00{offset}"}
    )
    # then
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert list(response.json()["fields"]) == ["created_after"]


@pytest.mark.parametrize(("hours", "count"), [(-1, 1), (1, 0)])
def test_created_after_with_an_unusual_real_offset_is_normalised_and_answered(shop, hours, count):
    # given an hour before / after now, written in Nepal's +05:45
    nepal = timezone.get_fixed_timezone(timedelta(hours=5, minutes=45))
    after = (timezone.now() + timedelta(hours=hours)).astimezone(nepal).isoformat()
    assert after.endswith("+05:45")
    # when
    response = shop["owner"].get(f"/api/v1/stores/{shop['store_id']}/orders", {"created_after": after})
    # then
    assert response.status_code == 200, response.content
    assert [order["id"] for order in response.json()["results"]] == [shop["order_id"]] * count


# ---- (d) text that is a number, a solitaire in year 1 ------------------------------------------
def test_a_goods_name_that_is_a_number_is_400_and_stores_nothing(shop):
    # given
    before = list(Goods.objects.values_list("id", "name"))
    body = {"name": 5, "price_fen": 100, "stock": 1}
    # when
    response = shop["owner"].post(f"/api/v1/stores/{shop['store_id']}/goods", body, format="json")
    # then
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert list(response.json()["fields"]) == ["name"]
    assert list(Goods.objects.values_list("id", "name")) == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": 5}, "title"),
        ({"start_at": "0001-01-01T00:00:00+08:00"}, "start_at"),
        ({"start_at": "2026-12-01T10:00:00+16:00"}, "start_at"),
        ({"start_at": 1764554400}, "start_at"),
    ],
)
def test_a_solitaire_with_a_number_for_text_or_an_impossible_start_is_400_and_stores_nothing(
    shop, overrides, field
):
    # given
    body = solitaire_body(shop, **overrides)
    # when
    response = shop["owner"].post(f"/api/v1/stores/{shop['store_id']}/solitaires", body, format="json")
    # then
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert list(response.json()["fields"]) == [field]
    assert not Solitaire.objects.exists()
