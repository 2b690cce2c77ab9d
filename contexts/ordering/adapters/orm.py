"""Repositories and mappers model <-> domain, and the ordering unit of work."""

from collections.abc import Callable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from contexts.ordering import models
from contexts.ordering.contracts import OrderView
from contexts.ordering.domain.model import (
    QUANTITY_MAX,
    Cart,
    CartLine,
    ContactInfo,
    Notification,
    Order,
    OrderLine,
    Payment,
    PickupChoice,
    Snapshot,
)
from contexts.ordering.domain.ports import (
    CartRepository,
    Clock,
    NotificationLog,
    OrderingUnitOfWork,
    OrderNoTaken,
    OrderRepository,
    PaymentRepository,
    SequenceCounter,
)
from contexts.shared.adapters.uow import DjangoUnitOfWork
from contexts.shared.domain.errors import InvalidInput
from contexts.shared.domain.values import Address, Phone


class DjangoClock(Clock):
    def now(self) -> datetime:
        return timezone.now()


def order_to_domain(row: models.Order) -> Order:
    return Order(
        id=row.pk,
        order_no=row.order_no,
        store_id=row.store_id,
        solitaire_id=row.solitaire_id,
        resale_id=row.resale_id,
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
    )


STATE_FIELDS = (
    "status",
    "sequence_no",
    "pickup_code",
    "cancel_reason",
    "paid_at",
    "completed_at",
    "cancelled_at",
)


class DjangoOrderRepository(OrderRepository):
    def get(self, order_id: str, *, lock: bool = False) -> Order | None:
        rows = models.Order.objects.prefetch_related("lines")
        if lock:
            rows = rows.select_for_update(of=("self",))
        row = rows.filter(pk=str(order_id)).first()
        return order_to_domain(row) if row else None

    def add(self, order: Order) -> None:
        row = models.Order(
            id=order.id,
            order_no=order.order_no,
            customer_id=order.customer_id,
            store_id=order.store_id,
            solitaire_id=order.solitaire_id,
            resale_id=order.resale_id,
            status=order.status,
            total_fen=order.total.fen,
            pickup_method=order.pickup.method,
            pickup_point_id=order.pickup.pickup_point_id,
            pickup_address=order.pickup.address.as_dict() if order.pickup.address else None,
            contact_name=order.contact.name,
            contact_phone=order.contact.phone.number,
            remark=order.remark,
            idempotency_key=order.idempotency_key,
            created_at=order.created_at,
            expires_at=order.expires_at,
        )
        try:
            with transaction.atomic():  # a savepoint: the caller's transaction survives a collision
                row.save(force_insert=True)
        except IntegrityError as exc:
            if "order_no" in str(exc) and "idempotency" not in str(exc):
                raise OrderNoTaken(order.order_no) from exc
            raise
        models.OrderLine.objects.bulk_create(
            models.OrderLine(
                order=row,
                position=position,
                goods_id=line.snapshot.goods_id,
                solitaire_item_id=line.snapshot.solitaire_item_id,
                name=line.snapshot.name,
                image_url=line.snapshot.image_url,
                price_fen=line.snapshot.price_fen,
                quantity=line.quantity,
                subtotal_fen=line.subtotal.fen,
            )
            for position, line in enumerate(order.lines)
        )

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
            paid_at=payment.paid_at,
            refunded_at=payment.refunded_at,
        )


class DjangoNotificationLog(NotificationLog):
    def record(self, notification: Notification, *, raw_body: bytes, outcome: str) -> bool:
        try:
            with transaction.atomic():
                models.PaymentNotification.objects.create(
                    transaction_id=notification.transaction_id,
                    payment_id=notification.payment_id,
                    order_no=notification.order_no,
                    amount_fen=notification.amount_fen,
                    status=notification.status,
                    raw_body=raw_body.decode("utf-8", errors="replace"),
                    outcome=outcome,
                )
        except IntegrityError:
            return False
        return True

    def set_outcome(self, transaction_id: str, outcome: str) -> None:
        models.PaymentNotification.objects.filter(transaction_id=transaction_id).update(outcome=outcome)


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


def cart_line_to_domain(row: models.CartLine) -> CartLine:
    return CartLine(
        id=row.pk,
        cart_id=row.cart_id,
        snapshot=Snapshot(
            goods_id=row.goods_id,
            solitaire_item_id=row.solitaire_item_id,
            name=row.name,
            image_url=row.image_url,
            price_fen=row.price_fen,
        ),
        quantity=row.quantity,
    )


class DjangoCartRepository(CartRepository):
    def get_or_open(self, customer_id: str, store_id: str) -> Cart:
        fresh = Cart.open(customer_id=customer_id, store_id=store_id)
        row, _ = models.Cart.objects.get_or_create(
            customer_id=customer_id, store_id=store_id, defaults={"id": fresh.id}
        )
        return Cart(id=row.pk, customer_id=row.customer_id, store_id=row.store_id)

    def add_line(self, cart: Cart, line: CartLine) -> CartLine:
        key = line.snapshot.item_key
        same = models.CartLine.objects.filter(cart_id=cart.id, item_key=key)
        added = same.filter(quantity__lte=QUANTITY_MAX - line.quantity).update(
            quantity=F("quantity") + line.quantity
        )
        if not added:
            if same.exists():
                raise InvalidInput(
                    "Too many of this item in the cart.",
                    fields={"quantity": [f"At most {QUANTITY_MAX} of one item."]},
                )
            try:
                with transaction.atomic():
                    models.CartLine.objects.create(
                        id=line.id,
                        cart_id=cart.id,
                        item_key=key,
                        goods_id=line.snapshot.goods_id,
                        solitaire_item_id=line.snapshot.solitaire_item_id,
                        name=line.snapshot.name,
                        image_url=line.snapshot.image_url,
                        price_fen=line.snapshot.price_fen,
                        quantity=line.quantity,
                    )
            except IntegrityError:
                # A concurrent add of the same item stored it first: add to that line instead.
                same.update(quantity=F("quantity") + line.quantity)
        return cart_line_to_domain(same.get())

    def line(self, line_id: str) -> tuple[Cart, CartLine] | None:
        row = models.CartLine.objects.select_related("cart").filter(pk=str(line_id)).first()
        if row is None:
            return None
        cart = Cart(id=row.cart.pk, customer_id=row.cart.customer_id, store_id=row.cart.store_id)
        return cart, cart_line_to_domain(row)

    def save_line(self, line: CartLine) -> None:
        models.CartLine.objects.filter(pk=line.id).update(quantity=line.quantity)

    def delete_line(self, line: CartLine) -> None:
        models.CartLine.objects.filter(pk=line.id).delete()


class DjangoOrderingUow(DjangoUnitOfWork, OrderingUnitOfWork):
    def __init__(self) -> None:
        self.orders = DjangoOrderRepository()
        self.payments = DjangoPaymentRepository()
        self.notifications = DjangoNotificationLog()
        self.sequences = DjangoSequenceCounter()
        self.carts = DjangoCartRepository()


def run_idempotent(*, customer_id: str, key: str | None, place: Callable[[], OrderView], find) -> OrderView:
    """Stripe's semantics per (customer, key): the first order placed under the key is the
    answer to every repeat. place() runs in a savepoint, so when a concurrent twin wins the
    unique (customer_id, idempotency_key) race, our stock reservations roll back with it."""
    if not key:
        return place()
    existing = find(customer_id, key)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return place()
    except IntegrityError:
        existing = find(customer_id, key)
        if existing is None:
            raise
        return existing
