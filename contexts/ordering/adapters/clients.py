"""Ordering's calls into goods and integration, behind its ports."""

import logging

from contexts.goods import bootstrap as goods
from contexts.integration import services as integration
from contexts.ordering.domain.model import Snapshot
from contexts.ordering.domain.payment import RefundFailed
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


class IntegrationPaymentGateway(PaymentGateway):
    @property
    def name(self) -> str:  # type: ignore[override]
        return integration.payment_gateway_name()

    def create_payment(self, *, payment_id: str, order_no: str, amount_fen: int, description: str) -> dict:
        return integration.create_payment(
            payment_id=payment_id, order_no=order_no, amount_fen=amount_fen, description=description
        )

    def verify(self, *, raw_body: bytes, signature: str) -> dict:
        return integration.verify_payment_notification(raw_body=raw_body, signature=signature)

    def sign(self, *, raw_body: bytes) -> str:
        return integration.sign_payment_notification(raw_body=raw_body)

    def refund(self, *, payment_id: str, refund_id: str, amount_fen: int) -> dict:
        try:
            result = integration.refund_payment(
                payment_id=payment_id, refund_id=refund_id, amount_fen=amount_fen
            )
        except Exception as exc:
            # Whatever went wrong (refused, unreachable, not configured), the refund is not
            # confirmed: the caller rolls back and may retry under the same refund id.
            log.warning("refund %s of payment %s failed: %r", refund_id, payment_id, exc)
            raise RefundFailed() from exc
        if not isinstance(result, dict) or result.get("status") != "SUCCESS":
            raise RefundFailed()
        return result
