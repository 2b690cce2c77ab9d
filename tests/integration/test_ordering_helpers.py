"""Shared set-up of ordering's integration tests: rows of other contexts, and the use cases."""

import json
import uuid

from django.utils import timezone

from contexts.goods.models import Goods
from contexts.integration import services as integration
from contexts.ordering import bootstrap
from contexts.ordering.contracts import Contact, LineRequest, Pickup
from contexts.ordering.models import Payment
from contexts.store.models import PickupPoint, Store

CONTACT = Contact(name="张三", phone="13800000000")


def make_store(status: str = "active") -> tuple[str, str]:
    """A store and its default pickup point, as the store context stores them."""
    store = Store.objects.create(
        id=str(uuid.uuid4()),
        owner_id=str(uuid.uuid4()),
        name="幸福小店",
        phone="13800000001",
        province="广东省",
        city="深圳市",
        district="南山区",
        detail="科技园 1 号",
        status=status,
        created_at=timezone.now(),
    )
    point = PickupPoint.objects.create(
        id=str(uuid.uuid4()),
        store=store,
        name="门店",
        is_default=True,
        province="广东省",
        city="深圳市",
        district="南山区",
        detail="科技园 1 号",
    )
    return store.pk, point.pk


def make_goods(store_id: str, *, stock: int = 10, price_fen: int = 1200, name: str = "鸡蛋") -> str:
    now = timezone.now()
    return Goods.objects.create(
        id=str(uuid.uuid4()),
        store_id=store_id,
        name=name,
        price_fen=price_fen,
        image_urls=["https://img/egg.png"],
        stock=stock,
        sales=0,
        status="on_sale",
        created_at=now,
        updated_at=now,
    ).pk


def solitaire_order(solitaire_id: str, customer_id: str | None = None, quantity: int = 1, **kw):
    """An order of a (made-up) solitaire, as the solitaire context places it. Events stay in
    the outbox (no relay): the subscribers of other contexts are not under test here."""
    return bootstrap.place_order(
        customer_id=customer_id or str(uuid.uuid4()),
        store_id=kw.pop("store_id", "store-1"),
        solitaire_id=solitaire_id,
        resale=None,
        lines=[
            LineRequest(
                goods_id="goods-1",
                solitaire_item_id=kw.pop("item_id", "item-1"),
                name="鸡蛋",
                image_url="",
                price_fen=1200,
                quantity=quantity,
            )
        ],
        pickup=Pickup(method="pickup", pickup_point_id="point-1"),
        contact=CONTACT,
        remark="",
        **kw,
    )


def notification(
    payment_id: str, *, transaction_id: str | None = None, amount_fen: int | None = None
) -> bytes:
    payment = Payment.objects.get(pk=payment_id)
    return json.dumps(
        {
            "payment_id": payment.pk,
            "order_no": payment.order_no,
            "amount_fen": payment.amount_fen if amount_fen is None else amount_fen,
            "status": "SUCCESS",
            "transaction_id": transaction_id or f"tx-{payment_id}",
            "paid_at": "2025-03-01T10:00:00+08:00",
        }
    ).encode()


def deliver(raw_body: bytes) -> str:
    signature = integration.sign_payment_notification(raw_body=raw_body)
    return bootstrap.handle_payment_notification(headers={"X-Signature": signature}, raw_body=raw_body)


def pay(order) -> str:
    """Open the order's payment and deliver the gateway's success; the payment id."""
    payment = bootstrap.pay_order(order_id=order.id, customer_id=order.customer_id)
    deliver(notification(payment.payment_id))
    return payment.payment_id
