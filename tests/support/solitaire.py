"""In-memory fakes of solitaire's ports, and a small world to run its use cases in (no database)."""

import copy
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from contexts.ordering.contracts import Contact, IdempotencyKeyTaken, OrderView, Pickup, Resale
from contexts.shared.domain.errors import Conflict
from contexts.solitaire import services
from contexts.solitaire.contracts import ItemInput
from contexts.solitaire.domain import ports
from tests.support.fakes import FakeAccess, FakeStoreDirectory, FakeUnitOfWork, FixedClock

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 6, 1, 10, 0, tzinfo=SH)
PICKUP = Pickup(method="pickup", pickup_point_id="p1")
CONTACT = Contact(name="A", phone="13800000000")


@dataclass(frozen=True)
class Snap:
    goods_id: str
    store_id: str
    name: str
    price_fen: int
    image_url: str = "https://img/x.png"


class FakeSolitaires(ports.SolitaireRepository):
    def __init__(self) -> None:
        self.rows: dict = {}

    def get(self, solitaire_id, *, for_update=False):
        found = self.rows.get(solitaire_id)
        return copy.deepcopy(found) if found else None

    def solitaire_of_item(self, item_id):
        return next((s.id for s in self.rows.values() if any(i.id == item_id for i in s.items)), None)

    def add(self, solitaire):
        self.rows[solitaire.id] = copy.deepcopy(solitaire)

    def save(self, solitaire):
        sold = {item.id: item.sold for item in self.rows[solitaire.id].items}
        fresh = copy.deepcopy(solitaire)
        for item in fresh.items:
            item.sold = sold.get(item.id, 0)  # sold never moves through a save
        self.rows[solitaire.id] = fresh


class FakeStock(ports.StockLedger):
    """Moves `sold` of the items the solitaire repository holds, as the database's one table does."""

    def __init__(self, solitaires: FakeSolitaires) -> None:
        self.solitaires = solitaires

    def _item(self, item_id):
        return next(i for s in self.solitaires.rows.values() for i in s.items if i.id == item_id)

    def reserve(self, item_id, quantity):
        item = self._item(item_id)
        if item.sold + quantity > item.stock:
            return False
        item.sold += quantity
        return True

    def release(self, item_id, quantity):
        item = self._item(item_id)
        if item.sold < quantity:
            return False
        item.sold -= quantity
        return True


class FakeParticipations(ports.ParticipationRepository):
    def __init__(self) -> None:
        self.rows: dict = {}

    def add_if_absent(self, participation):
        if participation.order_id in self.rows:
            return False
        self.rows[participation.order_id] = participation
        return True

    def mark_refunded(self, order_id, at):
        return self.rows.pop(order_id, None) is not None


class FakeReleases(ports.ReleaseLog):
    def __init__(self) -> None:
        self.rows: set = set()

    def claim(self, *, order_id, solitaire_id, reason, at):
        if order_id in self.rows:
            return False
        self.rows.add(order_id)
        return True


class FakeGoods(ports.GoodsCatalog):
    def __init__(self) -> None:
        self.goods = {
            "g1": Snap("g1", "s1", "Apples", 1200),
            "g2": Snap("g2", "s1", "Pears", 800),
            "gx": Snap("gx", "s2", "Foreign", 100),
        }

    def snapshots(self, goods_ids):
        return {g: self.goods[g] for g in goods_ids if g in self.goods}


class FakeOrdering(ports.Ordering):
    """Ordering as a join sees it. Its orders (`rows`) live in the join's transaction: the unit
    of work rolls them back with the solitaire's."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.cart: list[dict] = []

    @property
    def orders(self) -> list[dict]:
        return self.rows

    def quantities_ordered(self, *, customer_id, solitaire_item_ids):
        totals: dict = {}
        for order in self.rows:
            if order["customer_id"] == customer_id:
                for line in order["lines"]:
                    if line.solitaire_item_id in solitaire_item_ids:
                        totals[line.solitaire_item_id] = totals.get(line.solitaire_item_id, 0) + line.quantity
        return totals

    def place_order(self, **order):
        key = order["idempotency_key"]
        if key and any(
            (o["customer_id"], o["idempotency_key"]) == (order["customer_id"], key) for o in self.rows
        ):
            raise IdempotencyKeyTaken(key)
        self.rows.append(order)
        return {"order": len(self.rows), **order}

    def order_by_idempotency_key(self, *, customer_id, key) -> OrderView | None:
        for number, order in enumerate(self.rows, start=1):
            if (order["customer_id"], order["idempotency_key"]) == (customer_id, key):
                return {"order": number, **order}
        return None

    def add_cart_line(self, **line):
        self.cart.append(line)
        return line


class FakeFranchises(ports.Franchises):
    """Affiliate as a join sees it: resale id -> (its solitaire, its terms)."""

    def __init__(self) -> None:
        self.resales: dict[str, tuple[str, Resale]] = {}

    def offer(self, resale_id, *, solitaire_id, affiliate_store_id="s2", commission_bps=1000, cycle="daily"):
        self.resales[resale_id] = (
            solitaire_id,
            Resale(
                resale_id=resale_id,
                affiliate_store_id=affiliate_store_id,
                commission_bps=commission_bps,
                billing_cycle=cycle,
            ),
        )

    def resale_terms(self, *, resale_id, solitaire_id):
        solitaire, terms = self.resales.get(resale_id, (None, None))
        if solitaire != solitaire_id:
            raise Conflict("This resale takes no orders.", code="franchise_disabled")
        return terms


def make_world():
    w = type("World", (), {})()
    w.ordering = FakeOrdering()
    w.franchises = FakeFranchises()
    solitaires = FakeSolitaires()
    w.uow = FakeUnitOfWork(
        solitaires=solitaires,
        stock=FakeStock(solitaires),
        participations=FakeParticipations(),
        releases=FakeReleases(),
        ordering=w.ordering,
    )
    w.stores = FakeStoreDirectory()
    w.stores.add("s1", points=["p1", "p2"])
    w.stores.add("s2", points=["q1"])
    w.access = FakeAccess({("owner", "s1"): "owner", ("clerk", "s1"): "clerk"})
    w.goods, w.clock = FakeGoods(), FixedClock(NOW)
    return w


def create(w, actor="owner", store="s1", items=None, **overrides):
    return services.create_solitaire(
        uow=w.uow,
        stores=w.stores,
        access=w.access,
        goods=w.goods,
        clock=w.clock,
        actor_id=actor,
        store_id=store,
        title=overrides.pop("title", "Fruit"),
        start_at=overrides.pop("start_at", NOW - timedelta(hours=1)),
        end_at=overrides.pop("end_at", NOW + timedelta(hours=1)),
        pickup_point_ids=overrides.pop("pickup_point_ids", ["p1"]),
        items=items if items is not None else [ItemInput(goods_id="g1", stock=10, per_customer_limit=2)],
        **overrides,
    )


def published(w, **kw):
    solitaire_id = create(w, **kw)
    services.publish_solitaire(
        uow=w.uow, stores=w.stores, access=w.access, actor_id="owner", solitaire_id=solitaire_id
    )
    return solitaire_id


def join(w, solitaire_id, lines, customer="c1", key=None, pickup=None, resale_id=None):
    return services.join_solitaire(
        uow=w.uow,
        stores=w.stores,
        ordering=w.ordering,
        franchises=w.franchises,
        clock=w.clock,
        resale_id=resale_id,
        customer_id=customer,
        solitaire_id=solitaire_id,
        lines=lines,
        pickup=pickup or PICKUP,
        contact=CONTACT,
        idempotency_key=key,
    )


def item_of(w, solitaire_id):
    return w.uow.solitaires.rows[solitaire_id].items[0]
