"""Repositories and mappers model <-> domain, and the ordering unit of work."""

import json
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Case, F, IntegerField, Value, When

from contexts.ordering import models
from contexts.ordering.adapters.carts import DjangoCartRepository
from contexts.ordering.contracts import IdempotencyKeyTaken
from contexts.ordering.domain.model import (
    PAID,
    ContactInfo,
    Order,
    OrderLine,
    PickupChoice,
    Snapshot,
)
from contexts.ordering.domain.payment import Notification, Payment, Refund
from contexts.ordering.domain.ports import (
    NotificationLog,
    OrderingUnitOfWork,
    OrderNoTaken,
    OrderRepository,
    PaymentRepository,
    RefundRepository,
    SequenceCounter,
)
from contexts.shared.adapters import sql
from contexts.shared.adapters.uow import DjangoUnitOfWork
from contexts.shared.domain.errors import Conflict
from contexts.shared.domain.text import N_
from contexts.shared.domain.values import Address, Phone


def order_to_domain(row: models.Order) -> Order:
    return Order(
        id=row.pk,
        order_no=row.order_no,
        store_id=row.store_id,
        solitaire_id=row.solitaire_id,
        resale_id=row.resale_id,
        affiliate_store_id=row.affiliate_store_id,
        commission_bps=row.commission_bps,
        billing_cycle=row.billing_cycle,
        customer_id=row.customer_id,
        lines=tuple(
            OrderLine(
                snapshot=Snapshot(
                    goods_id=line.goods_id,
                    solitaire_item_id=line.solitaire_item_id,
                    name=line.name,
                    image_url=line.image_url,
                    price_fen=line.price_fen,
                ),
                quantity=line.quantity,
            )
            for line in sorted(row.lines.all(), key=lambda line: line.position)
        ),
        pickup=PickupChoice(
            method=row.pickup_method,
            pickup_point_id=row.pickup_point_id,
            address=Address.from_dict(row.pickup_address) if row.pickup_address else None,
        ),
        # Stored values were checked when the order was placed; they are trusted on the way back.
        contact=ContactInfo(name=row.contact_name, phone=Phone(row.contact_phone)),
        remark=row.remark,
        status=row.status,
        idempotency_key=row.idempotency_key,
        sequence_no=row.sequence_no,
        pickup_code=row.pickup_code,
        cancel_reason=row.cancel_reason,
        created_at=row.created_at,
        expires_at=row.expires_at,
        paid_at=row.paid_at,
        completed_at=row.completed_at,
        cancelled_at=row.cancelled_at,
        completed_by=row.completed_by,
        refunded_at=row.refunded_at,
        refund_reason=row.refund_reason,
        last_reminded_at=row.last_reminded_at,
    )


STATE_FIELDS = (
    "status",
    "sequence_no",
    "pickup_code",
    "cancel_reason",
    "paid_at",
    "completed_at",
    "cancelled_at",
    "completed_by",
    "refunded_at",
    "refund_reason",
)


class DjangoOrderRepository(OrderRepository):
    def _rows(self, lock: bool):
        rows = models.Order.objects.prefetch_related("lines")
        return rows.select_for_update(of=("self",)) if lock else rows

    def get(self, order_id: str, *, lock: bool = False) -> Order | None:
        row = self._rows(lock).filter(pk=str(order_id)).first()
        return order_to_domain(row) if row else None

    def by_pickup_code(self, store_id: str, code: str, *, lock: bool = False) -> Order | None:
        # Codes are unique among a store's paid orders only: an old, completed order may share
        # a code with a paid one, and the paid one is the one at the counter.
        row = (
            self._rows(lock)
            .filter(store_id=store_id, pickup_code=code)
            .annotate(
                open_first=Case(
                    When(status=PAID, then=Value(0)), default=Value(1), output_field=IntegerField()
                )
            )
            .order_by("open_first", F("paid_at").desc(nulls_last=True), "-created_at")
            .first()
        )
        return order_to_domain(row) if row else None

    def paid_before_ids(self, cutoff: datetime, limit: int) -> list[str]:
        rows = models.Order.objects.filter(status=PAID, paid_at__lte=cutoff).order_by("paid_at")
        return list(rows.values_list("pk", flat=True)[:limit])

    def save_reminder(self, order: Order, *, previous: datetime | None) -> bool:
        rows = models.Order.objects.filter(pk=order.id, status=PAID)
        rows = (
            rows.filter(last_reminded_at__isnull=True)
            if previous is None
            else rows.filter(last_reminded_at=previous)
        )
        return bool(rows.update(last_reminded_at=order.last_reminded_at))

    def add(self, order: Order) -> None:
        row = {
            "id": order.id,
            "order_no": order.order_no,
            "customer_id": order.customer_id,
            "store_id": order.store_id,
            "solitaire_id": order.solitaire_id,
            "resale_id": order.resale_id,
            "affiliate_store_id": order.affiliate_store_id,
            "commission_bps": order.commission_bps,
            "commission_fen": order.commission.fen,
            "billing_cycle": order.billing_cycle,
            "status": order.status,
            "total_fen": order.total.fen,
            "pickup_method": order.pickup.method,
            "pickup_point_id": order.pickup.pickup_point_id,
            "pickup_address": order.pickup.address.as_dict() if order.pickup.address else None,
            "contact_name": order.contact.name,
            "contact_phone": order.contact.phone.number,
            "remark": order.remark,
            "idempotency_key": order.idempotency_key,
            "created_at": order.created_at,
            "expires_at": order.expires_at,
        }
        # Hand-written INSERTs: every join issues them. A taken order number skips the row
        # (ON CONFLICT) instead of failing, so the caller's transaction needs no savepoint.
        try:
            inserted = sql.insert(models.Order, [row], on_conflict_do_nothing="order_no")
        except IntegrityError:
            if order.idempotency_key is None:
                raise
            raise IdempotencyKeyTaken(order.idempotency_key) from None
        if not inserted:
            raise OrderNoTaken(order.order_no)
        sql.insert(
            models.OrderLine,
            [
                {
                    "order_id": order.id,
                    "position": position,
                    "goods_id": line.snapshot.goods_id,
                    "solitaire_item_id": line.snapshot.solitaire_item_id,
                    "name": line.snapshot.name,
                    "image_url": line.snapshot.image_url,
                    "price_fen": line.snapshot.price_fen,
                    "quantity": line.quantity,
                    "subtotal_fen": line.subtotal.fen,
                }
                for position, line in enumerate(order.lines)
            ],
        )

    def by_idempotency_key(self, customer_id: str, key: str) -> Order | None:
        row = self._rows(lock=False).filter(customer_id=customer_id, idempotency_key=key).first()
        return order_to_domain(row) if row else None

    def save_transition(self, order: Order, *, expected: str) -> bool:
        values = {name: getattr(order, name) for name in STATE_FIELDS}
        return bool(models.Order.objects.filter(pk=order.id, status=expected).update(**values))

    def pickup_code_in_use(self, store_id: str, code: str) -> bool:
        return models.Order.objects.filter(store_id=store_id, status="paid", pickup_code=code).exists()

    def past_due_ids(self, now: datetime, limit: int) -> list[str]:
        rows = models.Order.objects.filter(status="pending_payment", expires_at__lte=now).order_by(
            "expires_at"
        )
        return list(rows.values_list("pk", flat=True)[:limit])


def payment_to_domain(row: models.Payment) -> Payment:
    return Payment(
        id=row.pk,
        order_id=row.order_id,
        order_no=row.order_no,
        amount_fen=row.amount_fen,
        gateway=row.gateway,
        prepay=row.prepay,
        status=row.status,
        transaction_id=row.transaction_id,
        refund_id=row.refund_id,
        refund_status=row.refund_status,
        created_at=row.created_at,
        paid_at=row.paid_at,
        refunded_at=row.refunded_at,
    )


class DjangoPaymentRepository(PaymentRepository):
    def get(self, payment_id: str) -> Payment | None:
        row = models.Payment.objects.filter(pk=str(payment_id)).first()
        return payment_to_domain(row) if row else None

    def for_order(self, order_id: str) -> Payment | None:
        row = models.Payment.objects.filter(order_id=order_id).first()
        return payment_to_domain(row) if row else None

    def by_order_no(self, order_no: str) -> Payment | None:
        row = models.Payment.objects.filter(order_no=str(order_no)[:32]).first()
        return payment_to_domain(row) if row else None

    def add(self, payment: Payment) -> Payment:
        try:
            with transaction.atomic():
                models.Payment.objects.create(
                    id=payment.id,
                    order_id=payment.order_id,
                    order_no=payment.order_no,
                    amount_fen=payment.amount_fen,
                    gateway=payment.gateway,
                    prepay=payment.prepay,
                    status=payment.status,
                    created_at=payment.created_at,
                )
        except IntegrityError:
            twin = self.for_order(payment.order_id)  # a concurrent request opened it first
            if twin is None:
                raise
            return twin
        return payment

    def save(self, payment: Payment) -> None:
        models.Payment.objects.filter(pk=payment.id).update(
            status=payment.status,
            transaction_id=payment.transaction_id,
            refund_id=payment.refund_id,
            refund_status=payment.refund_status,
            paid_at=payment.paid_at,
            refunded_at=payment.refunded_at,
        )


def refund_to_domain(row: models.Refund) -> Refund:
    return Refund(
        id=row.pk,
        order_id=row.order_id,
        payment_id=row.payment_id,
        amount_fen=row.amount_fen,
        reason=row.reason,
        requested_by=row.requested_by,
        requested_by_role=row.requested_by_role,
        gateway_result=row.gateway_result,
        created_at=row.created_at,
    )


class DjangoRefundRepository(RefundRepository):
    def add(self, refund: Refund) -> None:
        try:
            with transaction.atomic():
                models.Refund.objects.create(
                    id=refund.id,
                    order_id=refund.order_id,
                    payment_id=refund.payment_id,
                    amount_fen=refund.amount_fen,
                    reason=refund.reason,
                    requested_by=refund.requested_by,
                    requested_by_role=refund.requested_by_role,
                    gateway_result=refund.gateway_result,
                    created_at=refund.created_at,
                )
        except IntegrityError as exc:
            raise Conflict(N_("The order was refunded already.")) from exc

    def set_gateway_result(self, refund_id: str, result: dict) -> None:
        models.Refund.objects.filter(pk=refund_id).update(gateway_result=result)

    def for_order(self, order_id: str) -> Refund | None:
        row = models.Refund.objects.filter(order_id=order_id).first()
        return refund_to_domain(row) if row else None


class DjangoNotificationLog(NotificationLog):
    def record(self, notification: Notification, *, payment_id: str, outcome: str) -> bool:
        try:
            with transaction.atomic():
                models.PaymentNotification.objects.create(
                    transaction_id=notification.log_key,
                    payment_id=payment_id,
                    order_no=notification.order_no,
                    amount_fen=notification.amount_fen,
                    status=notification.status[:20],
                    raw_body=json.dumps(notification.body, ensure_ascii=False),
                    outcome=outcome,
                )
        except IntegrityError:
            return False
        return True

    def set_outcome(self, log_key: str, outcome: str) -> None:
        models.PaymentNotification.objects.filter(transaction_id=log_key).update(outcome=outcome)


class DjangoSequenceCounter(SequenceCounter):
    def next(self, solitaire_id: str) -> int:
        counter = models.SolitaireSequence.objects.filter(pk=solitaire_id)
        if not counter.exists():
            try:
                with transaction.atomic():
                    models.SolitaireSequence.objects.create(solitaire_id=solitaire_id, last_no=0)
            except IntegrityError:
                pass  # a concurrent first payment created it; the UPDATE below waits for its lock
        # The UPDATE takes the row lock until our commit, so the number we read back is ours.
        counter.update(last_no=F("last_no") + 1)
        return counter.values_list("last_no", flat=True).get()


class DjangoOrderingUow(DjangoUnitOfWork, OrderingUnitOfWork):
    def __init__(self) -> None:
        self.orders = DjangoOrderRepository()
        self.payments = DjangoPaymentRepository()
        self.notifications = DjangoNotificationLog()
        self.sequences = DjangoSequenceCounter()
        self.carts = DjangoCartRepository()
        self.refunds = DjangoRefundRepository()
