"""The round trips of the load harness's paying requests on ordering's tables: POST
/orders/{id}/pay, the sandbox's payment success, the gateway's notification and its replay, and
confirming receipt. Each loads an order with its lines in one statement, records a notification
in one (no savepoint), numbers it in one, and renders what it changed without loading it again.
Events stay queued (no inline handlers): only the use case's own statements are counted."""

import json
from datetime import datetime

import pytest
from django_q.conf import Conf
from rest_framework.test import APIClient

from contexts.integration import services as integration
from contexts.ordering.models import Order, Payment, PaymentNotification, SolitaireSequence
from contexts.shared.models import OutboxEvent
from tests.api.test_solitaires_support import build_world, join, pay, published_solitaire
from tests.support.statements import capture, expected, touching

pytestmark = pytest.mark.django_db

PAYMENT_ROW = ("SELECT", "ordering_payment")
LOCKED_ORDER = ("SELECT FOR UPDATE", "ordering_order")


@pytest.fixture
def world(user_client, phone_client, api_client, monkeypatch):
    monkeypatch.setattr(Conf, "SYNC", False)  # events go to the queue, as in production
    return build_world(user_client, phone_client, api_client)


def joined(world, who: str = "customer") -> dict:
    solitaire = world.extra.setdefault("solitaire", published_solitaire(world))
    response = join(world[who], solitaire, [(0, 1)])
    assert response.status_code == 201, response.content
    return response.json()


def opened_payment(world, order: dict) -> dict:
    response = world["customer"].post(f"/api/v1/orders/{order['id']}/pay")
    assert response.status_code == 200, response.content
    return response.json()


def gateway_body(payment_id: str) -> bytes:
    payment = Payment.objects.get(pk=payment_id)
    return json.dumps(
        {
            "payment_id": payment.pk,
            "order_no": payment.order_no,
            "amount_fen": payment.amount_fen,
            "status": "SUCCESS",
            "transaction_id": f"wx-{payment.pk}",
            "paid_at": "2025-03-01T10:00:00+08:00",
        }
    ).encode()


def notify(raw: bytes):
    signature = integration.sign_payment_notification(raw_body=raw)
    return APIClient().post(
        "/api/v1/payments/notify", raw, content_type="application/json", HTTP_X_SIGNATURE=signature
    )


def test_paying_opens_the_payment_in_three_statements_and_asking_again_reads_two(world):
    order = joined(world)
    with capture() as first:
        opened = opened_payment(world, order)
    with capture() as again:
        assert opened_payment(world, order) == opened
    assert touching(first, "ordering_") == [
        ("SELECT", "ordering_order"),  # the order with its lines
        PAYMENT_ROW,  # none yet
        ("INSERT", "ordering_payment"),  # no savepoint: a twin's insert skips ours
    ]
    assert touching(again, "ordering_") == [("SELECT", "ordering_order"), PAYMENT_ROW]
    assert Payment.objects.filter(order_id=order["id"]).count() == 1


def test_the_sandbox_pays_an_order_in_eight_statements_and_answers_it_as_paid(world):
    # given a solitaire whose first order is paid, and a second order with its payment
    pay(world["manager"], joined(world, "manager"))
    order = joined(world)
    payment = opened_payment(world, order)
    # when the sandbox's success arrives
    with capture() as captured:
        response = world["customer"].post(f"/api/v1/sandbox/payments/{payment['payment_id']}/succeed")
    # then ordering's tables saw eight statements, and the answer is the paid order
    assert touching(captured, "ordering_") == expected(
        [
            PAYMENT_ROW,  # the customer's payment (joined with its order)
            PAYMENT_ROW,  # the notification's payment
            LOCKED_ORDER,
            ("INSERT", "ordering_paymentnotification"),  # once per transaction id, with its outcome
            ("UPDATE", "ordering_solitairesequence"),  # the next number, returned
            ("SELECT", "ordering_order"),  # is the drawn pickup code free?
            ("UPDATE", "ordering_order"),
            ("UPDATE", "ordering_payment"),
        ]
    )
    assert response.status_code == 200, response.content
    body = response.json()
    row = Order.objects.get(pk=order["id"])
    assert (body["status"], body["sequence_no"], body["pickup_code"]) == ("paid", 2, row.pickup_code)
    assert (row.status, row.sequence_no, len(row.pickup_code)) == ("paid", 2, 8)
    assert datetime.fromisoformat(body["paid_at"]) == row.paid_at
    outcomes = PaymentNotification.objects.filter(payment_id=payment["payment_id"]).values_list("outcome")
    assert list(outcomes) == [("paid",)]


def test_a_notification_pays_an_order_and_its_replay_stops_at_the_recorded_transaction_id(world):
    # given an order with its payment
    order = joined(world)
    raw = gateway_body(opened_payment(world, order)["payment_id"])
    # when the gateway notifies, then notifies again
    with capture() as first:
        answer = notify(raw)
    paid = (Order.objects.get(pk=order["id"]), OutboxEvent.objects.count())
    with capture() as replay:
        again = notify(raw)
    # then
    assert (answer.status_code, answer.json(), again.status_code, again.json()) == (
        200,
        {"code": "SUCCESS"},
        200,
        {"code": "SUCCESS"},
    )
    assert touching(first, "ordering_") == expected(
        [
            PAYMENT_ROW,
            LOCKED_ORDER,
            ("INSERT", "ordering_paymentnotification"),
            ("UPDATE", "ordering_solitairesequence"),  # no counter yet: made, then numbered
            ("INSERT", "ordering_solitairesequence"),
            ("UPDATE", "ordering_solitairesequence"),
            ("SELECT", "ordering_order"),
            ("UPDATE", "ordering_order"),
            ("UPDATE", "ordering_payment"),
        ]
    )
    assert touching(replay, "ordering_") == expected(
        [PAYMENT_ROW, LOCKED_ORDER, ("INSERT", "ordering_paymentnotification")]
    )
    row = Order.objects.get(pk=order["id"])
    assert (row.status, row.sequence_no, row.pickup_code, row.paid_at) == (
        "paid",
        1,
        paid[0].pickup_code,
        paid[0].paid_at,
    )
    assert list(PaymentNotification.objects.values_list("outcome", flat=True)) == ["paid"]
    assert (SolitaireSequence.objects.get().last_no, OutboxEvent.objects.count()) == (1, paid[1])


def test_confirming_receipt_locks_and_completes_the_order_in_two_statements(world):
    order = pay(world["customer"], joined(world))
    with capture() as captured:
        response = world["customer"].post(f"/api/v1/orders/{order['id']}/confirm-receipt")
    assert touching(captured, "ordering_") == expected([LOCKED_ORDER, ("UPDATE", "ordering_order")])
    assert response.status_code == 200, response.content
    assert (response.json()["status"], Order.objects.get(pk=order["id"]).status) == ("completed", "completed")
