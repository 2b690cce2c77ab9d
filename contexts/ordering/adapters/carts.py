"""The cart repository and its mapper."""

from django.db import IntegrityError, transaction
from django.db.models import F

from contexts.ordering import models
from contexts.ordering.domain.cart import Cart, CartLine
from contexts.ordering.domain.model import QUANTITY_MAX, Snapshot
from contexts.ordering.domain.ports import CartRepository
from contexts.shared.domain.errors import InvalidInput
from contexts.shared.domain.text import N_


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
                    N_("Too many of this item in the cart."),
                    fields={"quantity": [N_("At most {limit} of one item.", limit=QUANTITY_MAX)]},
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
