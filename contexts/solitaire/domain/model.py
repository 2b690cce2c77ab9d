"""The Solitaire aggregate (接龙): a store's time-boxed group-buy with items (goods snapshots with
stock and a per-customer limit) and pickup points. Pure Python.

Stock lives on the item as `stock` (what the merchant offers) and `sold` (what orders hold:
reserved by a join, given back when an order is cancelled, expires or is refunded). `sold`
never moves through the aggregate: only the stock ledger's conditional writes change it, so an
edit can never undo a concurrent join."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from contexts.shared.domain.errors import Conflict, InvalidInput, NotFound
from contexts.shared.domain.seedwork import AggregateRoot, Entity, new_id
from contexts.shared.domain.text import N_

DRAFT = "draft"
PUBLISHED = "published"
CLOSED = "closed"
STATUS_TEXT = {DRAFT: N_("draft"), PUBLISHED: N_("published"), CLOSED: N_("closed")}
STATUSES = (DRAFT, PUBLISHED, CLOSED)

MAX_TITLE = 100


class _Keep:
    """In a revision: leave this field as it is (distinct from None, which means "no limit")."""

    def __repr__(self) -> str:
        return "KEEP"

    def __bool__(self) -> bool:
        return False


KEEP: Any = _Keep()


class ItemSpec(Protocol):
    """What the merchant says about one item (contracts.ItemInput). On a revision an item is
    found by `id` when given, else by `goods_id`; `price_fen`, `stock` and `per_customer_limit`
    may be KEEP (an existing item keeps its value)."""

    id: str | None
    goods_id: str
    price_fen: Any
    stock: int
    per_customer_limit: Any


class Snapshot(Protocol):
    """The goods as they were when the item was added (goods' GoodsSnapshot)."""

    goods_id: str
    store_id: str
    name: str
    price_fen: int
    image_url: str


def not_open() -> Conflict:
    return Conflict(N_("This solitaire is not open for joining."), code="solitaire_not_open")


def item_has_sales(detail: str = N_("This item already has sales: its price cannot change.")) -> Conflict:
    return Conflict(detail, code="item_has_sales")


def invalid(field_name: str, message: str) -> InvalidInput:
    return InvalidInput(message, fields={field_name: [message]})


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(eq=False)
class SolitaireItem(Entity):
    goods_id: str
    name: str
    image_url: str
    base_price_fen: int  # the goods price in the snapshot
    price_fen: int  # what customers pay: the group price, or the snapshot price
    stock: int
    sold: int = 0
    per_customer_limit: int | None = None
    position: int = 0

    @property
    def remaining(self) -> int:
        return self.stock - self.sold

    @classmethod
    def from_snapshot(
        cls, *, item_id: str, spec: ItemSpec, snapshot: Snapshot, position: int
    ) -> "SolitaireItem":
        price = snapshot.price_fen if spec.price_fen is None or spec.price_fen is KEEP else spec.price_fen
        limit = None if spec.per_customer_limit is KEEP else spec.per_customer_limit
        if spec.stock is KEEP:
            raise invalid("items", N_("{name}: stock is required for a new item.", name=snapshot.name))
        item = cls(
            id=item_id,
            goods_id=snapshot.goods_id,
            name=snapshot.name,
            image_url=snapshot.image_url,
            base_price_fen=snapshot.price_fen,
            price_fen=price,
            stock=spec.stock,
            per_customer_limit=limit,
            position=position,
        )
        item._check()
        return item

    def revise(self, spec: ItemSpec, position: int) -> None:
        price = self.price_fen if spec.price_fen is KEEP or spec.price_fen is None else spec.price_fen
        if price != self.price_fen and self.sold > 0:
            raise item_has_sales(N_("{name} already has sales: its price cannot change.", name=self.name))
        stock = self.stock if spec.stock is KEEP else spec.stock
        if _is_int(stock) and stock < self.sold:
            raise invalid(
                "items",
                N_("{name}: stock cannot be below the {sold} already sold.", name=self.name, sold=self.sold),
            )
        self.price_fen = price
        self.stock = stock
        if spec.per_customer_limit is not KEEP:
            self.per_customer_limit = spec.per_customer_limit
        self.position = position
        self._check()

    def _check(self) -> None:
        if not _is_int(self.price_fen) or self.price_fen <= 0:
            raise invalid(
                "items", N_("{name}: price_fen must be a whole number of fen above 0.", name=self.name)
            )
        if not _is_int(self.stock) or self.stock < 0:
            raise invalid("items", N_("{name}: stock must be 0 or more.", name=self.name))
        limit = self.per_customer_limit
        if limit is not None and (not _is_int(limit) or limit < 1):
            raise invalid(
                "items", N_("{name}: per_customer_limit must be empty or at least 1.", name=self.name)
            )

    def check_limit(self, *, already: int, quantity: int) -> None:
        """The per-customer limit counts the customer's unpaid and paid orders of this item."""
        if self.per_customer_limit is not None and already + quantity > self.per_customer_limit:
            raise Conflict(
                N_(
                    "{name}: at most {per_customer_limit} per customer ({already} already ordered).",
                    name=self.name,
                    per_customer_limit=self.per_customer_limit,
                    already=already,
                ),
                code="limit_exceeded",
            )


@dataclass(frozen=True)
class Reservation:
    item: SolitaireItem
    quantity: int


@dataclass(eq=False)
class Solitaire(AggregateRoot):
    store_id: str
    title: str
    description: str
    start_at: datetime
    end_at: datetime
    pickup_point_ids: list[str]
    items: list[SolitaireItem] = field(default_factory=list)
    status: str = DRAFT
    created_at: datetime | None = None
    removed_item_ids: list[str] = field(default_factory=list, repr=False)

    # ---- creation and revision -------------------------------------------------------------
    @classmethod
    def draft(
        cls,
        *,
        solitaire_id: str,
        store_id: str,
        title: str,
        description: str,
        start_at: datetime,
        end_at: datetime,
        pickup_point_ids: Sequence[str],
        store_pickup_point_ids: Iterable[str],
        items: Sequence[ItemSpec],
        snapshots: dict[str, Snapshot],
        new_item_id,
        now: datetime,
    ) -> "Solitaire":
        solitaire = cls(
            id=solitaire_id,
            store_id=store_id,
            title=_title(title),
            description=description or "",
            start_at=start_at,
            end_at=end_at,
            pickup_point_ids=_pickup_points(pickup_point_ids, store_pickup_point_ids),
            created_at=now,
        )
        _check_window(start_at, end_at)
        solitaire._set_items(items, snapshots, new_item_id)
        return solitaire

    def revise(
        self,
        *,
        title: Any = KEEP,
        description: Any = KEEP,
        start_at: Any = KEEP,
        end_at: Any = KEEP,
        pickup_point_ids: Any = KEEP,
        store_pickup_point_ids: Iterable[str] = (),
        items: Any = KEEP,
        snapshots: dict[str, Snapshot] | None = None,
        new_item_id=None,
    ) -> None:
        """PATCH: only the fields given change. `items`, when given, is the whole new list."""
        if self.status == CLOSED:
            raise Conflict(N_("A closed solitaire cannot be edited."))
        if title is not KEEP:
            self.title = _title(title)
        if description is not KEEP:
            self.description = description or ""
        new_start = self.start_at if start_at is KEEP else start_at
        new_end = self.end_at if end_at is KEEP else end_at
        _check_window(new_start, new_end)
        self.start_at, self.end_at = new_start, new_end
        if pickup_point_ids is not KEEP:
            self.pickup_point_ids = _pickup_points(pickup_point_ids, store_pickup_point_ids)
        if items is not KEEP:
            self._set_items(items, snapshots or {}, new_item_id)

    def _set_items(self, specs: Sequence[ItemSpec], snapshots: dict[str, Snapshot], new_item_id) -> None:
        if not specs:
            raise invalid("items", N_("A solitaire needs at least one item."))
        by_id = {item.id: item for item in self.items}
        by_goods = {item.goods_id: item for item in self.items}
        kept: list[SolitaireItem] = []
        seen_goods: set[str] = set()
        for position, spec in enumerate(specs):
            item = by_id.get(spec.id) if spec.id else by_goods.get(spec.goods_id)
            if spec.id and item is None:
                raise invalid("items", N_("Item {id} is not in this solitaire.", id=spec.id))
            goods_id = item.goods_id if item else spec.goods_id
            if spec.id and spec.goods_id and spec.goods_id != item.goods_id:
                raise invalid(
                    "items", N_("Item {id} holds other goods; add new goods as a new item.", id=spec.id)
                )
            if goods_id in seen_goods:
                raise invalid("items", N_("Goods {goods_id} appear twice.", goods_id=goods_id))
            seen_goods.add(goods_id)
            if item is None:
                snapshot = snapshots.get(goods_id)
                if snapshot is None:
                    raise invalid("items", N_("Goods {goods_id} do not exist.", goods_id=goods_id))
                if snapshot.store_id != self.store_id:
                    raise invalid("items", N_("Goods {goods_id} belong to another store.", goods_id=goods_id))
                item = SolitaireItem.from_snapshot(
                    item_id=new_item_id(), spec=spec, snapshot=snapshot, position=position
                )
            else:
                item.revise(spec, position)
            kept.append(item)
        kept_ids = {item.id for item in kept}
        removed = [item for item in self.items if item.id not in kept_ids]
        for item in removed:
            if item.sold > 0:
                raise item_has_sales(N_("{name} already has sales: it cannot be removed.", name=item.name))
        self.removed_item_ids += [item.id for item in removed]
        self.items = kept

    # ---- life cycle --------------------------------------------------------------------------
    def publish(self, *, store_active: bool) -> None:
        if self.status != DRAFT:
            raise Conflict(N_("A {status} solitaire cannot be published.", status=STATUS_TEXT[self.status]))
        if not store_active:
            raise Conflict(N_("A frozen store publishes nothing."))
        if not self.items:
            raise Conflict(N_("A solitaire needs at least one item to be published."))
        self.status = PUBLISHED
        self.record(
            "SolitairePublished",
            solitaire_id=self.id,
            store_id=self.store_id,
            title=self.title,
            start_at=self.start_at.isoformat(),
            end_at=self.end_at.isoformat(),
        )

    def close(self, *, now: datetime) -> None:
        if self.status != PUBLISHED:
            raise Conflict(N_("A {status} solitaire cannot be closed.", status=STATUS_TEXT[self.status]))
        self.status = CLOSED
        self.record(
            "SolitaireClosed", solitaire_id=self.id, store_id=self.store_id, closed_at=now.isoformat()
        )

    def is_open(self, now: datetime) -> bool:
        return self.status == PUBLISHED and self.start_at <= now < self.end_at

    # ---- joining -----------------------------------------------------------------------------
    def item(self, item_id: str) -> SolitaireItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise NotFound(N_("No such item in this solitaire."))

    def plan_join(
        self,
        *,
        now: datetime,
        store_active: bool,
        lines: Sequence[tuple[str, int]],
        pickup_point_id: str | None,
    ) -> list[Reservation]:
        """What a join reserves, item by item in id order (so two joins never lock rows in
        opposite orders). Lines of the same item are merged."""
        if not store_active or not self.is_open(now):
            raise not_open()
        if not lines:
            raise invalid("lines", N_("Choose at least one item."))
        wanted: dict[str, int] = {}
        for item_id, quantity in lines:
            if not _is_int(quantity) or quantity < 1:
                raise invalid("lines", N_("quantity must be at least 1."))
            if not any(item.id == item_id for item in self.items):
                raise invalid("lines", N_("Item {id} is not in this solitaire.", id=item_id))
            wanted[item_id] = wanted.get(item_id, 0) + quantity
        if pickup_point_id is not None and pickup_point_id not in self.pickup_point_ids:
            raise invalid("pickup", N_("Choose one of this solitaire's pickup points."))
        return [Reservation(self.item(item_id), wanted[item_id]) for item_id in sorted(wanted)]


def _title(title: Any) -> str:
    text = (title or "").strip() if isinstance(title, str) else ""
    if not text:
        raise invalid("title", N_("A title is required."))
    if len(text) > MAX_TITLE:
        raise invalid("title", N_("At most {limit} characters.", limit=MAX_TITLE))
    return text


def _check_window(start_at: datetime, end_at: datetime) -> None:
    if start_at.tzinfo is None or end_at.tzinfo is None:
        raise invalid("start_at", N_("Times need a UTC offset."))
    if end_at <= start_at:
        raise invalid("end_at", N_("end_at must be after start_at."))


def _pickup_points(ids: Sequence[str], store_ids: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(str(i) for i in ids or []))
    if not chosen:
        raise invalid("pickup_point_ids", N_("Choose at least one pickup point."))
    allowed = {str(i) for i in store_ids}
    unknown = [i for i in chosen if i not in allowed]
    if unknown:
        raise invalid(
            "pickup_point_ids", N_("Not pickup points of this store: {ids}.", ids=", ".join(unknown))
        )
    return chosen


@dataclass(frozen=True)
class Participation:
    """One paid order in a solitaire, with the sequence number (接龙序号) it got when paid."""

    id: str
    solitaire_id: str
    order_id: str
    customer_id: str
    sequence_no: int
    items: list[dict]
    joined_at: datetime

    @classmethod
    def of_paid_order(
        cls,
        *,
        solitaire_id: str,
        order_id: str,
        customer_id: str,
        sequence_no: int,
        lines: Sequence[dict],
        paid_at: datetime,
    ) -> "Participation":
        return cls(
            id=new_id(),
            solitaire_id=solitaire_id,
            order_id=order_id,
            customer_id=customer_id,
            sequence_no=sequence_no,
            items=[{"name": line["name"], "quantity": line["quantity"]} for line in lines],
            joined_at=paid_at,
        )
