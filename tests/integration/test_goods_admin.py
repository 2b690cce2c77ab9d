"""The operator's goods admin: lists, search, filters, and the off-shelf action through the service."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from contexts.goods.models import Category, Goods, HotWord

pytestmark = pytest.mark.django_db


def make_goods(name: str, status: str = "on_sale") -> Goods:
    now = timezone.now()
    return Goods.objects.create(
        id=str(uuid.uuid4()),
        store_id="store-1",
        name=name,
        price_fen=1200,
        stock=5,
        status=status,
        created_at=now,
        updated_at=now,
    )


def test_the_goods_list_searches_by_name_and_filters_by_status(admin_client):
    # given
    make_goods("鸡蛋")
    make_goods("牛奶", status="off_shelf")
    url = reverse("admin:goods_goods_changelist")
    # when
    searched = admin_client.get(url, {"q": "鸡蛋"})
    filtered = admin_client.get(url, {"status__exact": "off_shelf"})
    # then
    assert searched.status_code == filtered.status_code == 200
    assert [g.name for g in searched.context["cl"].result_list] == ["鸡蛋"]
    assert [g.name for g in filtered.context["cl"].result_list] == ["牛奶"]


def test_the_off_shelf_action_goes_through_the_service(admin_client):
    # given
    on_sale = make_goods("鸡蛋")
    # when
    response = admin_client.post(
        reverse("admin:goods_goods_changelist"),
        {"action": "take_off_shelf", "_selected_action": [on_sale.pk]},
        follow=True,
    )
    # then
    assert response.status_code == 200
    on_sale.refresh_from_db()
    assert on_sale.status == "off_shelf"
    assert on_sale.updated_at > on_sale.created_at


def test_the_goods_change_page_and_the_other_lists_open(admin_client):
    # given
    goods = make_goods("鸡蛋")
    Category.objects.create(id=str(uuid.uuid4()), store_id="store-1", name="水果", sort=1)
    HotWord.objects.create(store_id="store-1", word="鸡蛋", sort=1)
    # when / then
    assert admin_client.get(reverse("admin:goods_goods_change", args=[goods.pk])).status_code == 200
    for name in ("goods_category_changelist", "goods_hotword_changelist"):
        response = admin_client.get(reverse(f"admin:{name}"), {"q": "store-1"})
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) == 1
