"""The operators' admin of store customers: list, search by nickname or phone, filters, detail."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from contexts.customer import bootstrap
from contexts.customer.models import CustomerOrder, StoreCustomer

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
URL = "/admin/customer/storecustomer/"


def pay(store_id: str, user_id: str, total_fen: int, phone: str, at: datetime = T0) -> None:
    bootstrap.count_paid_order(
        order_id=str(uuid.uuid4()),
        store_id=store_id,
        user_id=user_id,
        total_fen=total_fen,
        paid_at=at,
        contact_phone=phone,
    )


@pytest.fixture
def customers():
    store = str(uuid.uuid4())
    repeat, once = str(uuid.uuid4()), str(uuid.uuid4())
    pay(store, repeat, 1280, "13900000001")
    pay(store, repeat, 650, "13900000001", T0 + timedelta(days=1))
    pay(store, once, 300, "13700000002")
    StoreCustomer.objects.filter(user_id=repeat).update(nickname="Cindy陈")
    return StoreCustomer.objects.get(user_id=repeat), StoreCustomer.objects.get(user_id=once)


def test_the_list_shows_the_counters_and_finds_a_customer_by_nickname_or_phone(admin_client, customers):
    # given
    repeat, once = customers
    # when
    listed = admin_client.get(URL)
    by_nickname = admin_client.get(URL, {"q": "cindy"})
    by_phone = admin_client.get(URL, {"q": "0000002"})
    # then
    assert listed.status_code == 200
    page = listed.content.decode()
    assert 'field-total_spent_fen"><span class="money">¥19.30</span><' in page
    assert 'field-order_count">2<' in page
    assert list(by_nickname.context["cl"].result_list) == [repeat]
    assert list(by_phone.context["cl"].result_list) == [once]


def test_the_buyer_kind_filter_separates_repeat_buyers(admin_client, customers):
    repeat, once = customers
    assert list(admin_client.get(URL, {"buyer": "repeat"}).context["cl"].result_list) == [repeat]
    assert list(admin_client.get(URL, {"buyer": "once"}).context["cl"].result_list) == [once]
    assert list(admin_client.get(URL, {"buyer": "none"}).context["cl"].result_list) == []


def test_the_detail_shows_the_orders_behind_the_counters_and_nothing_is_editable(admin_client, customers):
    # given
    repeat, _once = customers
    # when
    response = admin_client.get(f"{URL}{repeat.pk}/change/")
    posted = admin_client.post(f"{URL}{repeat.pk}/change/", {"remark": "operator"})
    # then
    assert response.status_code == 200
    page = response.content.decode()
    for order_id in CustomerOrder.objects.filter(store_customer=repeat).values_list("order_id", flat=True):
        assert order_id in page
    assert posted.status_code == 403
    assert StoreCustomer.objects.get(pk=repeat.pk).remark == ""
    assert admin_client.get(f"{URL}add/").status_code == 403


def test_the_customer_order_list_filters_by_state(admin_client, customers):
    repeat, _once = customers
    response = admin_client.get("/admin/customer/customerorder/", {"state": "counted", "q": "13900000001"})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 2
