"""POST /orders/{id}/pay, /orders/{id}/cancel, /payments/notify and the sandbox's payment."""

import json

import pytest
from rest_framework.test import APIClient

from contexts.integration import services as integration
from contexts.ordering.models import Order, Payment, PaymentNotification
from contexts.shared.models import OutboxEvent
from tests.api.test_orders_world import build_world, paid, placed

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(user_client, phone_client, api_client):
    return build_world(user_client, phone_client, api_client)


def pay(world, order_id: str, who: str = "customer"):
    return world[who].post(f"/api/v1/orders/{order_id}/pay")


def gateway_body(payment_id: str, **change) -> bytes:
    payment = Payment.objects.get(pk=payment_id)
    body = {
        "payment_id": payment.pk,
        "order_no": payment.order_no,
        "amount_fen": payment.amount_fen,
        "status": "SUCCESS",
        "transaction_id": "wx-tx-1",
        "paid_at": "2025-03-01T10:00:00+08:00",
        **change,
    }
    return json.dumps(body).encode()


def notify(raw: bytes, signature: str | None = None):
    signature = integration.sign_payment_notification(raw_body=raw) if signature is None else signature
    return APIClient().post(
        "/api/v1/payments/notify", raw, content_type="application/json", HTTP_X_SIGNATURE=signature
    )


def state(order_id: str) -> tuple:
    row = Order.objects.get(pk=order_id)
    return row.status, row.sequence_no, row.pickup_code, PaymentNotification.objects.count()


def test_paying_gives_the_prepay_parameters_and_asking_again_the_same_payment(world):
    order = placed(world)
    first, second = pay(world, order["id"]), pay(world, order["id"])
    assert (first.status_code, second.status_code) == (200, 200)
    body = first.json()
    assert body == second.json()
    assert body == {
        "payment_id": Payment.objects.get().pk,
        "amount_fen": 2560,
        "gateway": "sandbox",
        "prepay": {
            "prepay_id": f"sandbox-prepay-{body['payment_id']}",
            "order_no": order["order_no"],
            "amount_fen": 2560,
            "description": f"Order {order['order_no']}",
            "sandbox": True,
        },
    }


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [("stranger", 404, "not_found"), ("owner", 404, "not_found"), ("anonymous", 401, "not_authenticated")],
)
def test_only_its_customer_pays_or_cancels_an_order(world, who, status, code):
    order = placed(world)
    for action in ("pay", "cancel"):
        response = world[who].post(f"/api/v1/orders/{order['id']}/{action}")
        assert (response.status_code, response.json()["code"]) == (status, code)
    assert (Order.objects.get().status, Payment.objects.count()) == ("pending_payment", 0)


def test_a_notification_pays_the_order(world):
    order = placed(world)
    payment_id = pay(world, order["id"]).json()["payment_id"]
    # when
    response = notify(gateway_body(payment_id))
    # then
    assert (response.status_code, response.json()) == (200, {"code": "SUCCESS"})
    status, sequence_no, pickup_code, notifications = state(order["id"])
    assert (status, sequence_no, len(pickup_code), notifications) == ("paid", None, 8, 1)
    assert OutboxEvent.objects.filter(event_type="OrderPaid", aggregate_id=order["id"]).count() == 1


def test_a_forged_signature_is_401_and_changes_nothing(world):
    order = placed(world)
    payment_id = pay(world, order["id"]).json()["payment_id"]
    response = notify(gateway_body(payment_id), signature="0" * 64)
    missing = APIClient().post(
        "/api/v1/payments/notify", gateway_body(payment_id), content_type="application/json"
    )
    assert (response.status_code, response.json()["code"]) == (401, "invalid_signature")
    assert (missing.status_code, missing.json()["code"]) == (401, "invalid_signature")
    assert state(order["id"]) == ("pending_payment", None, None, 0)


def test_a_wrong_amount_is_400_and_changes_nothing(world):
    order = placed(world)
    payment_id = pay(world, order["id"]).json()["payment_id"]
    response = notify(gateway_body(payment_id, amount_fen=1))
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert state(order["id"]) == ("pending_payment", None, None, 0)


def test_an_unknown_payment_is_404_and_a_signed_non_json_body_400(world):
    order = placed(world)
    payment_id = pay(world, order["id"]).json()["payment_id"]
    unknown = notify(gateway_body(payment_id).replace(payment_id.encode(), b"no-such-payment"))
    garbage = notify(b"not json")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    assert (garbage.status_code, garbage.json()["code"]) == (400, "invalid")
    assert state(order["id"]) == ("pending_payment", None, None, 0)


def test_a_replayed_notification_is_200_and_changes_nothing(world):
    order = placed(world)
    payment_id = pay(world, order["id"]).json()["payment_id"]
    notify(gateway_body(payment_id))
    before = state(order["id"])
    # when
    again = notify(gateway_body(payment_id))
    # then
    assert (again.status_code, again.json()) == (200, {"code": "SUCCESS"})
    assert state(order["id"]) == before
    assert OutboxEvent.objects.filter(event_type="OrderPaid").count() == 1


def test_the_sandbox_pays_and_shows_the_order_to_its_customer(world):
    order = paid(world)
    assert (order["status"], order["sequence_no"], len(order["pickup_code"])) == ("paid", None, 8)
    assert order["paid_at"] is not None


def test_the_sandbox_payment_of_someone_elses_order_is_404(world):
    order = placed(world)
    payment_id = pay(world, order["id"]).json()["payment_id"]
    response = world["stranger"].post(f"/api/v1/sandbox/payments/{payment_id}/succeed")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert state(order["id"]) == ("pending_payment", None, None, 0)


def test_the_sandbox_payment_does_not_exist_outside_the_sandbox(world, settings):
    order = placed(world)
    payment_id = pay(world, order["id"]).json()["payment_id"]
    settings.GROUPBUY_SANDBOX = False
    response = world["customer"].post(f"/api/v1/sandbox/payments/{payment_id}/succeed")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert state(order["id"]) == ("pending_payment", None, None, 0)


def test_a_customer_cancels_a_pending_order_and_then_cannot_pay_it(world):
    order = placed(world)
    response = world["customer"].post(f"/api/v1/orders/{order['id']}/cancel")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["cancelled_at"] is not None) == ("cancelled", True)
    again = world["customer"].post(f"/api/v1/orders/{order['id']}/cancel")
    payment = pay(world, order["id"])
    assert (again.status_code, again.json()["code"]) == (409, "invalid_state")
    assert (payment.status_code, payment.json()["code"]) == (409, "invalid_state")
    assert OutboxEvent.objects.filter(event_type="OrderCancelled").count() == 1


def test_a_paid_order_cannot_be_cancelled(world):
    order = paid(world)
    response = world["customer"].post(f"/api/v1/orders/{order['id']}/cancel")
    assert (response.status_code, response.json()["code"]) == (409, "invalid_state")
    assert Order.objects.get().status == "paid"


def test_an_order_past_its_payment_time_cannot_be_paid(world, time_machine, settings):
    order = placed(world)
    time_machine.advance(seconds=settings.ORDER_PAYMENT_TIMEOUT_SECONDS)
    response = pay(world, order["id"])
    assert (response.status_code, response.json()["code"]) == (409, "invalid_state")
    assert Payment.objects.count() == 0
