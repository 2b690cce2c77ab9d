"""The operators' admin of ordering: lists, search, filters and the order page with its lines."""

import pytest
from django.contrib.auth import get_user_model

from contexts.ordering.models import Order
from tests.integration.test_ordering_helpers import pay, solitaire_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    user = get_user_model().objects.create_superuser(username="root", password="pw", email="root@example.com")
    client.force_login(user)
    return client


def test_every_ordering_admin_page_opens(operator):
    order = solitaire_order("sol-admin")
    pay(order)
    for url in (
        "/admin/ordering/order/",
        "/admin/ordering/order/?status__exact=paid",
        f"/admin/ordering/order/?q={Order.objects.get().order_no}",
        f"/admin/ordering/order/{order.id}/change/",
        "/admin/ordering/payment/",
        "/admin/ordering/paymentnotification/",
        "/admin/ordering/cart/",
    ):
        response = operator.get(url)
        assert response.status_code == 200, url
    page = operator.get(f"/admin/ordering/order/{order.id}/change/").content.decode()
    assert "鸡蛋" in page and "sol-admin" in page


def test_the_admin_search_finds_an_order_by_phone(operator):
    solitaire_order("sol-admin")
    response = operator.get("/admin/ordering/order/?q=13800000000")
    assert response.context["cl"].result_count == 1
    assert operator.get("/admin/ordering/order/?q=13900000000").context["cl"].result_count == 0
