"""Domain -> published language: the contracts the use cases answer with. Framework-free."""

from contexts.ordering import contracts
from contexts.ordering.domain.cart import CartLine
from contexts.ordering.domain.model import Order


def order_view(order: Order, *, viewer_id: str | None) -> contracts.OrderView:
    return contracts.OrderView(
        id=order.id,
        order_no=order.order_no,
        store_id=order.store_id,
        solitaire_id=order.solitaire_id,
        resale_id=order.resale_id,
        customer_id=order.customer_id,
        status=order.status,
        lines=tuple(
            contracts.OrderLineView(
                goods_id=line.snapshot.goods_id,
                solitaire_item_id=line.snapshot.solitaire_item_id,
                name=line.snapshot.name,
                image_url=line.snapshot.image_url,
                price_fen=line.snapshot.price_fen,
                quantity=line.quantity,
                subtotal_fen=line.subtotal.fen,
            )
            for line in order.lines
        ),
        total_fen=order.total.fen,
        pickup=order.pickup.as_dict(),
        contact={"name": order.contact.name, "phone": order.contact.phone.number},
        remark=order.remark,
        sequence_no=order.sequence_no,
        pickup_code=order.pickup_code if viewer_id == order.customer_id else None,
        created_at=order.created_at,
        expires_at=order.expires_at,
        paid_at=order.paid_at,
        completed_at=order.completed_at,
        cancelled_at=order.cancelled_at,
        refunded_at=order.refunded_at,
        refund_reason=order.refund_reason,
    )


def cart_line_view(line: CartLine) -> contracts.CartLineView:
    return contracts.CartLineView(
        id=line.id,
        goods_id=line.snapshot.goods_id,
        solitaire_item_id=line.snapshot.solitaire_item_id,
        name=line.snapshot.name,
        image_url=line.snapshot.image_url,
        price_fen=line.snapshot.price_fen,
        quantity=line.quantity,
        subtotal_fen=line.snapshot.price_fen * line.quantity,
    )
