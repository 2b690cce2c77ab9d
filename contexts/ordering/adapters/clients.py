"""Ordering's calls into goods and integration, behind its ports."""

import logging
from collections.abc import Mapping
from datetime import datetime

from contexts.goods import bootstrap as goods
from contexts.integration import services as integration
from contexts.ordering.domain.model import Snapshot
from contexts.ordering.domain.payment import NOTIFIED_PAYMENT, Notification, RefundFailed
from contexts.ordering.domain.ports import GoodsCatalog, GoodsSnapshot, PaymentGateway

log = logging.getLogger(__name__)


class GoodsServicesCatalog(GoodsCatalog):
    def snapshot(self, goods_id: str) -> GoodsSnapshot:
        # Off-shelf goods are refused by goods itself (409 invalid_state).
        taken = goods.snapshot_goods(goods_id=goods_id)
        return GoodsSnapshot(
            store_id=taken.store_id,
            snapshot=Snapshot(
                goods_id=taken.goods_id,
                solitaire_item_id=None,
                name=taken.name,
                image_url=taken.image_url,
                price_fen=taken.price_fen,
            ),
            on_sale=True,
        )

    def reserve(self, goods_id: str, quantity: int) -> None:
        goods.reserve_stock(goods_id=goods_id, quantity=quantity)


def _notification(notified) -> Notification:
    return Notification(
        kind=notified.kind,
        order_no=notified.order_no,
        amount_fen=notified.amount_fen,
        status=notified.status,
        transaction_id=notified.transaction_id,
        occurred_at=notified.occurred_at,
        payment_id=notified.payment_id,
        refund_id=notified.refund_id,
        body=notified.body,
    )


class IntegrationPaymentGateway(PaymentGateway):
    @property
    def name(self) -> str:  # type: ignore[override]
        return integration.payment_gateway_name()

    def create_payment(
        self,
        *,
        payment_id: str,
        order_no: str,
        amount_fen: int,
        description: str,
        payer_openid: str,
        expires_at: datetime | None,
    ) -> dict:
        return integration.create_payment(
            payment_id=payment_id,
            order_no=order_no,
            amount_fen=amount_fen,
            description=description,
            payer_openid=payer_openid,
            expires_at=expires_at,
        )

    def parse_notification(self, *, headers: Mapping[str, str], raw_body: bytes) -> Notification:
        return _notification(integration.parse_payment_notification(headers=headers, raw_body=raw_body))

    def sign(self, *, raw_body: bytes) -> str:
        return integration.sign_payment_notification(raw_body=raw_body)

    def paid(self, *, order_no: str) -> Notification | None:
        state = integration.query_payment(order_no=order_no)
        if state.state != "SUCCESS" or not state.transaction_id or state.amount_fen is None:
            return None
        return Notification(
            kind=NOTIFIED_PAYMENT,
            order_no=order_no,
            amount_fen=state.amount_fen,
            status=state.state,
            transaction_id=state.transaction_id,
            occurred_at=state.paid_at,
            body=state.body,
        )

    def close(self, *, order_no: str) -> None:
        try:
            integration.close_payment(order_no=order_no)
        except Exception as exc:  # best effort: a late payment of a closed order is refunded anyway
            log.warning("closing the payment of %s failed: %r", order_no, exc)

    def refund(self, *, payment_id: str, order_no: str, refund_id: str, amount_fen: int, reason: str) -> dict:
        try:
            receipt = integration.refund_payment(
                payment_id=payment_id,
                order_no=order_no,
                refund_id=refund_id,
                amount_fen=amount_fen,
                total_fen=amount_fen,  # an order is refunded in full
                reason=reason,
            )
        except Exception as exc:
            # Whatever went wrong (refused, unreachable), the refund is not confirmed: the
            # caller rolls back and may retry under the same refund id.
            log.warning("refund %s of payment %s failed: %r", refund_id, payment_id, exc)
            raise RefundFailed() from exc
        if receipt.status not in ("SUCCESS", "PROCESSING"):
            raise RefundFailed()
        return {
            "refund_id": receipt.refund_id,
            "gateway_refund_id": receipt.gateway_refund_id,
            "status": receipt.status,
            "amount_fen": receipt.amount_fen,
        }
