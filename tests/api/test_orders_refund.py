"""POST /orders/{id}/refund: who may refund, which states allow it, the money and the stock
going back, and a gateway that refuses."""

import threading
from datetime import datetime

import pytest

from contexts.goods.models import Goods
from contexts.integration import services as integration
from contexts.ordering.models import Order, Payment, Refund
from contexts.shared.domain.errors import UpstreamFailed
from contexts.shared.models import OutboxEvent
from contexts.solitaire.models import SolitaireItem
from tests.api.test_orders_world import build_world, paid, placed
from tests.api.test_solitaires_support import build_world as build_solitaire_world
from tests.api.test_solitaires_support import join, pay, published_solitaire

pytestmark = pytest.mark.django_db


class GatewaySpy:
    """Installed through integration's real port: the sandbox gateway, counting refunds, and
    refusing them (as a real gateway answers "FAIL") while `refuse` is set."""

    def __init__(self, previous) -> None:
        self._previous = previous
        self.refunds: list[str] = []
        self.refuse = False
        self._lock = threading.Lock()

    def __getattr__(self, name):
        return getattr(self._previous, name)

    def payment_gateway(self):
        spy, real = self, self._previous.payment_gateway()

        class Gateway:
            name = real.name

            def __getattr__(self, attr):
                return getattr(real, attr)

            def refund(self, **refund):
                with spy._lock:
                    spy.refunds.append(refund["refund_id"])
                if spy.refuse:  # as the WeChat Pay adapter refuses what WeChat Pay refused (NOTENOUGH …)
                    raise UpstreamFailed("WeChat Pay did not take the refund", code="payment_gateway_failed")
                return real.refund(**refund)

        return Gateway()


@pytest.fixture
def gateway_spy():
    spy = GatewaySpy(None)
    spy._previous = integration.install(spy)
    yield spy
    integration.install(spy._previous)


@pytest.fixture
def world(user_client, phone_client, api_client):
    return build_world(user_client, phone_client, api_client)


def refund(world, order_id: str, who: str = "customer", body=None):
    return world[who].post(f"/api/v1/orders/{order_id}/refund", body or {"reason": "买多了"}, format="json")


def refunded_events() -> list:
    return list(OutboxEvent.objects.filter(event_type="OrderRefunded"))


def test_its_customer_refunds_a_paid_order_and_gets_it_back(world, gateway_spy):
    # given
    order = paid(world)
    # when
    response = refund(world, order["id"], body={"reason": "  买多了 "})
    # then
    assert response.status_code == 200
    body = response.json()
    row = Order.objects.get(pk=order["id"])
    assert (body["status"], body["refund_reason"], body["pickup_code"]) == (
        "refunded",
        "买多了",
        row.pickup_code,
    )
    assert datetime.fromisoformat(body["refunded_at"]) == row.refunded_at
    stored = Refund.objects.get()
    payment = Payment.objects.get()
    assert (stored.order_id, stored.payment_id, stored.amount_fen, stored.reason) == (
        order["id"],
        payment.pk,
        2560,
        "买多了",
    )
    assert (stored.requested_by, stored.requested_by_role) == (world["customer_id"], "customer")
    assert stored.gateway_result == {
        "refund_id": stored.pk,
        "gateway_refund_id": f"sandbox-refund-{stored.pk}",
        "amount_fen": 2560,
        "status": "SUCCESS",
    }
    assert (payment.status, payment.refund_id, payment.refund_status) == ("refunded", stored.pk, "succeeded")
    assert gateway_spy.refunds == [stored.pk]
    [event] = refunded_events()
    assert (event.aggregate_id, event.payload["refund_id"], event.payload["reason"]) == (
        order["id"],
        stored.pk,
        "买多了",
    )
    assert (event.payload["refunded_by"], event.payload["total_fen"]) == ("customer", 2560)


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("owner", 200, None),
        ("manager", 200, None),
        ("clerk", 403, "permission_denied"),
        ("other_staff", 404, "not_found"),
        ("stranger", 404, "not_found"),
        ("anonymous", 401, "not_authenticated"),
    ],
)
def test_the_owner_and_manager_refund_and_nobody_else(world, gateway_spy, who, status, code):
    order = paid(world)
    response = refund(world, order["id"], who=who)
    assert response.status_code == status
    if code:
        assert response.json()["code"] == code
        assert (Order.objects.get().status, Refund.objects.count(), gateway_spy.refunds) == ("paid", 0, [])
        assert refunded_events() == []
    else:
        assert (response.json()["status"], response.json()["pickup_code"]) == ("refunded", None)
        assert refunded_events()[0].payload["refunded_by"] == "staff"
        assert Refund.objects.get().requested_by_role == "staff"


def test_refunding_twice_is_invalid_state_and_refunds_once(world, gateway_spy):
    order = paid(world)
    first, second = refund(world, order["id"]), refund(world, order["id"], who="owner")
    assert (first.status_code, second.status_code, second.json()["code"]) == (200, 409, "invalid_state")
    assert (len(gateway_spy.refunds), Refund.objects.count(), len(refunded_events())) == (1, 1, 1)


def test_a_completed_or_an_unpaid_order_cannot_be_refunded(world, gateway_spy):
    completed = paid(world)
    assert world["customer"].post(f"/api/v1/orders/{completed['id']}/confirm-receipt").status_code == 200
    unpaid = placed(world)
    for order in (completed, unpaid):
        response = refund(world, order["id"])
        assert (response.status_code, response.json()["code"]) == (409, "invalid_state")
    statuses = dict(Order.objects.values_list("pk", "status"))
    assert (statuses[completed["id"]], statuses[unpaid["id"]]) == ("completed", "pending_payment")
    assert (gateway_spy.refunds, Refund.objects.count(), refunded_events()) == ([], 0, [])


@pytest.mark.parametrize("body", [{"other": 1}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 201}])
def test_a_refund_without_a_proper_reason_is_invalid(world, gateway_spy, body):
    order = paid(world)
    response = refund(world, order["id"], body=body)
    assert (response.status_code, response.json()["code"], list(response.json()["fields"])) == (
        400,
        "invalid",
        ["reason"],
    )
    assert (Order.objects.get().status, gateway_spy.refunds) == ("paid", [])


def test_a_refund_the_gateway_refuses_leaves_the_order_paid(world, gateway_spy):
    # given a gateway refusing refunds
    order = paid(world)
    gateway_spy.refuse = True
    # when
    response = refund(world, order["id"])
    # then nothing changed, and asking again once the gateway agrees works
    assert (response.status_code, response.json()["code"]) == (409, "refund_failed")
    row, payment = Order.objects.get(), Payment.objects.get()
    assert (row.status, row.refunded_at, row.refund_reason, payment.status, payment.refund_id) == (
        "paid",
        None,
        "",
        "succeeded",
        None,
    )
    assert (Refund.objects.count(), refunded_events()) == (0, [])
    gateway_spy.refuse = False
    assert refund(world, order["id"]).status_code == 200
    assert gateway_spy.refunds == [Refund.objects.get().pk] * 2  # the same refund id, retried


def goods_numbers(goods_id: str) -> tuple[int, int]:
    row = Goods.objects.get(pk=goods_id)
    return row.stock, row.sales


def test_a_refunded_goods_order_gives_its_stock_back_and_undoes_its_sales(world, gateway_spy):
    # given a paid order of 2 eggs (stock 10)
    order = paid(world)
    assert goods_numbers(world["eggs"]) == (8, 2)
    # when
    assert refund(world, order["id"]).status_code == 200
    # then
    assert goods_numbers(world["eggs"]) == (10, 0)


def test_a_refunded_solitaire_order_gives_the_items_stock_back(
    user_client, phone_client, api_client, gateway_spy
):
    # given a paid solitaire order of 2 apples (item stock 10)
    world = build_solitaire_world(user_client, phone_client, api_client)
    solitaire = published_solitaire(world)
    response = join(world["customer"], solitaire, [(0, 2)])
    assert response.status_code == 201, response.content
    order = pay(world["customer"], response.json())
    remaining_before = world["customer"].get(f"/api/v1/solitaires/{solitaire['id']}").json()["items"][0]
    assert remaining_before["remaining"] == 8
    # when
    refunded = world["customer"].post(
        f"/api/v1/orders/{order['id']}/refund", {"reason": "不要了"}, format="json"
    )
    # then
    assert refunded.status_code == 200, refunded.content
    after = world["customer"].get(f"/api/v1/solitaires/{solitaire['id']}").json()["items"][0]
    assert (after["remaining"], after["sold"]) == (10, 0)
    assert SolitaireItem.objects.get(pk=after["id"]).stock == 10
