"""The back office shows what people read: amounts as ¥ from fen, local (Shanghai) times, and
names linking to their pages instead of ids, a page's names fetched in bulk; orders are found
by their number."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.support.backoffice import operator_user, order_row, solitaire_row, store_row, user_row

pytestmark = pytest.mark.django_db

PAID = datetime(2026, 3, 10, 2, 5, tzinfo=UTC)  # 10:05 in Shanghai
ORDERS = "/admin/ordering/order/"


@pytest.fixture
def operator(client):
    client.force_login(operator_user())
    return client


@pytest.fixture
def order():
    shop = store_row("鲜果社区店", created_at=PAID)
    drive = solitaire_row(shop, "周末鲜果接龙", at=PAID)
    customer = user_row("陈阿姨")
    return order_row(store=shop, customer=customer, total_fen=123456, paid_at=PAID, solitaire=drive)


def test_the_order_list_shows_money_local_times_and_names_linking_to_their_pages(operator, order):
    # when
    html = operator.get(ORDERS).content.decode()
    # then
    assert '<td class="field-total_fen"><span class="money">¥1,234.56</span></td>' in html
    link = '<td class="field-{}"><a href="/admin/{}/{}/change/" title="{}">{}</a></td>'
    assert link.format("store_id", "store/store", order.store_id, order.store_id, "鲜果社区店") in html
    assert (
        link.format(
            "solitaire_id", "solitaire/solitaire", order.solitaire_id, order.solitaire_id, "周末鲜果接龙"
        )
        in html
    )
    assert link.format("customer_id", "identity/user", order.customer_id, order.customer_id, "陈阿姨") in html
    assert '<td class="field-paid_at nowrap">2026年3月10日 10:05</td>' in html


def test_the_order_page_shows_the_same_and_nothing_to_edit(operator, order):
    html = operator.get(f"{ORDERS}{order.pk}/change/").content.decode()
    assert '<div class="readonly"><span class="money">¥1,234.56</span></div>' in html
    assert (
        f'<a href="/admin/store/store/{order.store_id}/change/" title="{order.store_id}">鲜果社区店</a>'
        in html
    )
    assert "2026年3月10日 10:05" in html
    assert 'name="_save"' not in html


def test_an_order_is_found_by_its_number_or_a_part_of_it(operator, order):
    other = order_row(
        store=store_row("别家", created_at=PAID), customer=user_row("路人"), total_fen=1, paid_at=PAID
    )
    whole = operator.get(ORDERS, {"q": order.order_no})
    tail = operator.get(ORDERS, {"q": order.order_no[-8:]})
    assert [o.order_no for o in whole.context["cl"].result_list] == [order.order_no]
    assert [o.order_no for o in tail.context["cl"].result_list] == [order.order_no]
    assert other.order_no not in whole.content.decode()


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_names_of_a_page_cost_the_same_queries_for_three_orders_or_forty(operator):
    def orders(count: int) -> None:
        for number in range(count):
            shop = store_row(f"店 {number}", created_at=PAID)
            order_row(
                store=shop,
                customer=user_row(f"客 {number}"),
                total_fen=100,
                paid_at=PAID,
                solitaire=solitaire_row(shop, f"接龙 {number}", at=PAID),
            )

    orders(3)
    few = queries_of(operator, ORDERS)
    orders(37)
    many = queries_of(operator, ORDERS)
    assert few == many
