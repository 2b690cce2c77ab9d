"""Repositories of money in and out: payments, refunds and the log of the gateway's notifications.
Paying and its notification run on every order: their loads, inserts and updates are hand-written
statements (contexts.shared.adapters.sql), one round trip each and no savepoint; refunds are rare
and stay with the ORM."""

import json

from django.db import IntegrityError, transaction

from contexts.ordering import models
from contexts.ordering.domain.payment import Notification, Payment, Refund
from contexts.ordering.domain.ports import NotificationLog, PaymentRepository, RefundRepository
from contexts.shared.adapters import sql
from contexts.shared.domain.errors import Conflict
from contexts.shared.domain.text import N_

PAYMENT_COLUMNS = (
    "id",
    "order_id",
    "order_no",
    "amount_fen",
    "gateway",
    "prepay",
    "status",
    "transaction_id",
    "refund_id",
    "refund_status",
    "created_at",
    "paid_at",
    "refunded_at",
)
PAYMENT_FIELDS = sql.Columns(*(sql.column(models.Payment, name) for name in PAYMENT_COLUMNS))
SELECT_PAYMENT = f"SELECT {', '.join(PAYMENT_COLUMNS)} FROM ordering_payment WHERE "
PAYMENT_STATE = ("status", "transaction_id", "refund_id", "refund_status", "paid_at", "refunded_at")
UPDATE_PAYMENT = (
    "UPDATE ordering_payment SET " + ", ".join(f"{name} = %s" for name in PAYMENT_STATE) + " WHERE id = %s"
)


CUSTOMERS_PAYMENT = (
    "SELECT "
    + ", ".join(f"p.{name}" for name in PAYMENT_COLUMNS)
    + " FROM ordering_payment p INNER JOIN ordering_order o ON o.id = p.order_id"
    + " WHERE p.id = %s AND o.customer_id = %s"
)


def _one_payment(statement: str, *values: str) -> Payment | None:
    rows = sql.fetch(statement, list(values), PAYMENT_FIELDS)
    return Payment(**dict(zip(PAYMENT_COLUMNS, rows[0], strict=True))) if rows else None


class DjangoPaymentRepository(PaymentRepository):
    def get(self, payment_id: str) -> Payment | None:
        return _one_payment(SELECT_PAYMENT + "id = %s", str(payment_id))

    def get_for_customer(self, payment_id: str, customer_id: str) -> Payment | None:
        return _one_payment(CUSTOMERS_PAYMENT, str(payment_id), str(customer_id))

    def for_order(self, order_id: str) -> Payment | None:
        return _one_payment(SELECT_PAYMENT + "order_id = %s", str(order_id))

    def by_order_no(self, order_no: str) -> Payment | None:
        return _one_payment(SELECT_PAYMENT + "order_no = %s", str(order_no)[:32])

    def add(self, payment: Payment) -> Payment:
        # An order has one payment (unique order_id): a concurrent request's insert makes ours
        # skip its row, and that request's payment is the order's.
        row = {name: getattr(payment, name) for name in PAYMENT_COLUMNS}
        if sql.insert(models.Payment, [row], on_conflict_do_nothing="order"):
            return payment
        twin = self.for_order(payment.order_id)
        if twin is None:  # the one that took the order's slot was rolled back: let the customer retry
            raise Conflict(N_("The order changed while it was being paid."))
        return twin

    def save(self, payment: Payment) -> None:
        values = [sql.value(models.Payment, name, getattr(payment, name)) for name in PAYMENT_STATE]
        sql.execute(UPDATE_PAYMENT, [*values, payment.id])


REFUND_FIELDS = (
    "id",
    "order_id",
    "payment_id",
    "amount_fen",
    "reason",
    "requested_by",
    "requested_by_role",
    "gateway_result",
    "created_at",
)


def refund_to_domain(row: models.Refund) -> Refund:
    return Refund(**{name: getattr(row, name) for name in REFUND_FIELDS})


class DjangoRefundRepository(RefundRepository):
    def add(self, refund: Refund) -> None:
        try:
            with transaction.atomic():
                models.Refund.objects.create(**{name: getattr(refund, name) for name in REFUND_FIELDS})
        except IntegrityError as exc:
            raise Conflict(N_("The order was refunded already.")) from exc

    def set_gateway_result(self, refund_id: str, result: dict) -> None:
        models.Refund.objects.filter(pk=refund_id).update(gateway_result=result)

    def for_order(self, order_id: str) -> Refund | None:
        row = models.Refund.objects.filter(order_id=order_id).first()
        return refund_to_domain(row) if row else None


class DjangoNotificationLog(NotificationLog):
    def record(self, notification: Notification, *, payment_id: str, outcome: str) -> bool:
        # A fact notified before (its transaction id taken) skips the row: a replay.
        row = {
            "transaction_id": notification.log_key,
            "payment_id": payment_id,
            "order_no": notification.order_no,
            "amount_fen": notification.amount_fen,
            "status": notification.status[:20],
            "raw_body": json.dumps(notification.body, ensure_ascii=False),
            "outcome": outcome,
        }
        return bool(sql.insert(models.PaymentNotification, [row], on_conflict_do_nothing="transaction_id"))
