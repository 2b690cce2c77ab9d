"""In-memory fakes of solitaire's ports for the service tests (no tests here)."""

import copy
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from contexts.shared.domain.errors import NotFound, PermissionDenied
from contexts.shared.domain.ports import UnitOfWork
from contexts.solitaire import services
from contexts.solitaire.contracts import ItemInput
from contexts.solitaire.domain import ports

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 6, 1, 10, 0, tzinfo=SH)


@dataclass(frozen=True)
class Snap:
    goods_id: str
    store_id: str
    name: str
    price_fen: int
    image_url: str = "https://img/x.png"


class State:
    def __init__(self) -> None:
        self.solitaires: dict = {}
        self.participations: dict = {}
        self.releases: set = set()
        self.orders: list = []  # ordering's rows live in the same transaction as the solitaire's


class FakeSolitaires(ports.SolitaireRepository):
    def __init__(self, state: State) -> None:
        self.state = state

    def get(self, solitaire_id, *, for_update=False):
        found = self.state.solitaires.get(solitaire_id)
        return copy.deepcopy(found) if found else None

    def solitaire_of_item(self, item_id):
        return next(
            (s.id for s in self.state.solitaires.values() if any(i.id == item_id for i in s.items)), None
        )

    def add(self, solitaire):
        self.state.solitaires[solitaire.id] = copy.deepcopy(solitaire)

    def save(self, solitaire):
        stored = self.state.solitaires[solitaire.id]
        sold = {item.id: item.sold for item in stored.items}
        fresh = copy.deepcopy(solitaire)
        for item in fresh.items:
            item.sold = sold.get(item.id, 0)  # sold never moves through a save
        self.state.solitaires[solitaire.id] = fresh


class FakeStock(ports.StockLedger):
    def __init__(self, state: State) -> None:
        self.state = state

    def _item(self, item_id):
        return next(i for s in self.state.solitaires.values() for i in s.items if i.id == item_id)

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
    def __init__(self, state: State) -> None:
        self.state = state

    def add_if_absent(self, participation):
        if participation.order_id in self.state.participations:
            return False
        self.state.participations[participation.order_id] = participation
        return True

    def mark_refunded(self, order_id, at):
        return self.state.participations.pop(order_id, None) is not None


class FakeReleases(ports.ReleaseLog):
    def __init__(self, state: State) -> None:
        self.state = state

    def claim(self, *, order_id, solitaire_id, reason, at):
        if order_id in self.state.releases:
            return False
        self.state.releases.add(order_id)
        return True


class FakeUow(ports.SolitaireUnitOfWork, UnitOfWork):
    """Rolls the whole state back when the use case fails, like a database transaction."""

    def __init__(self) -> None:
        self.state = State()
        self.events: list = []
        self._rebind()

    def _rebind(self):
        self.solitaires = FakeSolitaires(self.state)
        self.stock = FakeStock(self.state)
        self.participations = FakeParticipations(self.state)
        self.releases = FakeReleases(self.state)

    def _begin(self):
        self._saved = copy.deepcopy(self.state.__dict__)

    def _write_events(self, events):
        self.events += events

    def _end(self, *, commit, exc_type, exc, tb):
        if not commit:
            self.state.__dict__.update(self._saved)


class FakeStores(ports.Stores):
    def __init__(self) -> None:
        self.active = {"s1": True, "s2": True}
        self.points = {"s1": ["p1", "p2"], "s2": ["q1"]}

    def ensure_exists(self, store_id):
        if store_id not in self.active:
            raise NotFound()

    def is_active(self, store_id):
        return self.active.get(store_id, False)

    def pickup_point_ids(self, store_id):
        return self.points[store_id]


class FakeStaff(ports.StaffPolicy):
    roles = {("owner", "s1"): "owner", ("clerk", "s1"): "clerk"}

    def authorize(self, *, user_id, store_id, operation):
        role = self.roles.get((user_id, store_id))
        if role not in ("owner", "manager"):
            raise PermissionDenied()
        return role


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
    def __init__(self, uow: FakeUow) -> None:
        self.uow = uow
        self.by_key: dict = {}
        self.cart: list[dict] = []

    @property
    def orders(self) -> list[dict]:
        return self.uow.state.orders

    def quantities_ordered(self, *, customer_id, solitaire_item_ids):
        totals: dict = {}
        for order in self.orders:
            if order["customer_id"] == customer_id:
                for line in order["lines"]:
                    if line.solitaire_item_id in solitaire_item_ids:
                        totals[line.solitaire_item_id] = totals.get(line.solitaire_item_id, 0) + line.quantity
        return totals

    def place_order(self, **order):
        self.orders.append(order)
        return {"order": len(self.orders), **order}

    def idempotent(self, *, customer_id, key, place):
        if (customer_id, key) not in self.by_key:
            self.by_key[(customer_id, key)] = place()
        return self.by_key[(customer_id, key)]

    def add_cart_line(self, **line):
        self.cart.append(line)
        return line


class Clock(ports.Clock):
    def __init__(self) -> None:
        self.at = NOW

    def now(self):
        return self.at


@dataclass(frozen=True)
class Pickup:
    method: str = "pickup"
    pickup_point_id: str | None = "p1"
    address: dict | None = None


def make_world():
    uow = FakeUow()
    w = type("World", (), {})()
    w.uow, w.stores, w.staff, w.goods, w.clock = uow, FakeStores(), FakeStaff(), FakeGoods(), Clock()
    w.ordering = FakeOrdering(uow)
    return w


def create(w, actor="owner", store="s1", items=None, **overrides):
    return services.create_solitaire(
        uow=w.uow,
        stores=w.stores,
        staff=w.staff,
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
        uow=w.uow, stores=w.stores, staff=w.staff, actor_id="owner", solitaire_id=solitaire_id
    )
    return solitaire_id


def join(w, solitaire_id, lines, customer="c1", key=None, pickup=None):
    return services.join_solitaire(
        uow=w.uow,
        stores=w.stores,
        ordering=w.ordering,
        clock=w.clock,
        customer_id=customer,
        solitaire_id=solitaire_id,
        lines=lines,
        pickup=pickup or Pickup(),
        contact={"name": "A", "phone": "13800000000"},
        idempotency_key=key,
    )


def item_of(w, solitaire_id):
    return w.uow.state.solitaires[solitaire_id].items[0]
