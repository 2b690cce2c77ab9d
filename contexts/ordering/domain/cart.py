"""The cart: snapshots a customer put aside in one store, before ordering."""

from dataclasses import dataclass
from typing import Any

from contexts.ordering.domain.model import Snapshot, check_quantity
from contexts.shared.domain.seedwork import AggregateRoot, Entity, new_id


@dataclass(eq=False)
class CartLine(Entity):
    cart_id: str = ""
    snapshot: Snapshot | None = None
    quantity: int = 1

    def change_quantity(self, quantity: Any) -> None:
        self.quantity = check_quantity(quantity)


@dataclass(eq=False)
class Cart(AggregateRoot):
    customer_id: str = ""
    store_id: str = ""

    @classmethod
    def open(cls, *, customer_id: str, store_id: str) -> "Cart":
        return cls(id=new_id(), customer_id=customer_id, store_id=store_id)

    def new_line(self, *, snapshot: Snapshot, quantity: Any) -> CartLine:
        return CartLine(id=new_id(), cart_id=self.id, snapshot=snapshot, quantity=check_quantity(quantity))
