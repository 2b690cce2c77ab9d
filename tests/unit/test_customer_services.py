"""customer's domain and use cases with in-memory fakes: no database."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from contexts.customer import services
from contexts.customer.domain.model import COUNTED, REFUNDED, CustomerOrder, StoreCustomer, check_tags
from contexts.customer.domain.ports import CustomerOrderRepository, CustomerRepository
from contexts.shared.domain.errors import InvalidInput, NotFound, PermissionDenied
from tests.support.fakes import FakeAccess, FakeStoreDirectory, FakeUnitOfWork, FakeUserDirectory, FixedClock

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
NOW = datetime(2025, 3, 9, 12, 0, tzinfo=UTC)
STORE, OTHER_STORE = "store-1", "store-2"
BUYER, OWNER, CLERK = "u-buyer", "u-owner", "u-clerk"


class FakeCustomers(CustomerRepository):
    def __init__(self, orders: "FakeOrders") -> None:
        self.rows: dict[str, StoreCustomer] = {}
        self.orders = orders

    def get(self, customer_id):
        found = self.rows.get(customer_id)
        return replace(found, tags=list(found.tags)) if found else None

    def ensure(self, *, store_id, user_id, now):
        for row in self.rows.values():
            if (row.store_id, row.user_id) == (store_id, user_id):
                return row.id
        fresh = StoreCustomer.first_seen(store_id=store_id, user_id=user_id, now=now)
        self.rows[fresh.id] = fresh
        return fresh.id

    def save_annotations(self, customer):
        row = self.rows[customer.id]
        row.remark, row.tags, row.updated_at = customer.remark, list(customer.tags), customer.updated_at

    def count_orders(self, counts, *, now):
        for customer_id, count, nickname in counts:
            row = self.rows[customer_id]
            if count.phone and (row.last_order_at is None or row.last_order_at <= count.phone_paid_at):
                row.phone = count.phone
            if nickname and (row.last_order_at is None or row.last_order_at <= count.last_paid_at):
                row.nickname = nickname
            row.order_count += count.count
            row.total_spent_fen += count.total_fen
            row.first_order_at = min(filter(None, [row.first_order_at, count.first_paid_at]))
            row.last_order_at = max(filter(None, [row.last_order_at, count.last_paid_at]))
            row.updated_at = now

    def uncount_order(self, customer_id, *, order, now):
        row = self.rows[customer_id]
        row.order_count = max(row.order_count - 1, 0)
        row.total_spent_fen = max(row.total_spent_fen - order.total_fen, 0)
        mine = [o for o in self.orders.rows.values() if o.store_customer_id == customer_id]
        times = [o.paid_at for o in mine if o.state == COUNTED]
        row.first_order_at, row.last_order_at = (min(times), max(times)) if times else (None, None)


class FakeOrders(CustomerOrderRepository):
    def __init__(self) -> None:
        self.rows: dict[str, CustomerOrder] = {}

    def get(self, order_id):
        found = self.rows.get(order_id)
        return replace(found) if found else None

    def add(self, order):
        if order.order_id in self.rows:
            return False
        self.rows[order.order_id] = replace(order)
        return True

    def mark_refunded(self, order_id):
        row = self.rows.get(order_id)
        if row is None or row.state != COUNTED:
            return None
        row.state = REFUNDED
        return replace(row)


@pytest.fixture
def uow():
    orders = FakeOrders()
    return FakeUnitOfWork(customers=FakeCustomers(orders), orders=orders)


def stores() -> FakeStoreDirectory:
    directory = FakeStoreDirectory()
    directory.add(STORE)
    directory.add(OTHER_STORE)
    return directory


def pay(uow, order_id="o-1", *, total_fen=1280, at=T0, phone="13800000000", user=BUYER, nickname="小美"):
    return services.count_paid_order(
        uow=uow,
        users=FakeUserDirectory({user: {"nickname": nickname}}),
        clock=FixedClock(NOW),
        order_id=order_id,
        store_id=STORE,
        user_id=user,
        total_fen=total_fen,
        paid_at=at,
        contact_phone=phone,
    )


def refund(uow, order_id="o-1", total_fen=1280):
    return services.uncount_refunded_order(
        uow=uow, clock=FixedClock(NOW), order_id=order_id, total_fen=total_fen
    )


def only(uow) -> StoreCustomer:
    [row] = uow.customers.rows.values()
    return row


def edit(uow, actor=OWNER, store=STORE, customer_id=None, **changes):
    return services.edit_customer(
        uow=uow,
        stores=stores(),
        access=FakeAccess({(OWNER, STORE): "owner", (CLERK, STORE): "clerk"}),
        clock=FixedClock(NOW),
        actor_id=actor,
        store_id=store,
        customer_id=customer_id or only(uow).id,
        **changes,
    )


def test_paid_orders_count_with_first_and_last_times_and_the_latest_phone(uow):
    # when two orders are paid, the later one handled first
    assert pay(uow, "o-2", total_fen=650, at=T0 + timedelta(days=1), phone="13900000002") is True
    assert pay(uow, "o-1", total_fen=1280, at=T0, phone="13900000001") is True
    # then
    row = only(uow)
    assert (row.order_count, row.total_spent_fen) == (2, 1930)
    assert (row.first_order_at, row.last_order_at) == (T0, T0 + timedelta(days=1))
    assert (row.phone, row.nickname, row.store_id, row.user_id) == ("13900000002", "小美", STORE, BUYER)


def test_the_same_order_counts_once(uow):
    assert pay(uow) is True
    assert pay(uow) is False
    assert (only(uow).order_count, only(uow).total_spent_fen) == (1, 1280)


def test_a_refund_uncounts_its_order_once_and_the_times_follow_the_orders_left(uow):
    # given
    pay(uow, "o-1", total_fen=1280, at=T0)
    pay(uow, "o-2", total_fen=650, at=T0 + timedelta(days=2))
    # when
    assert refund(uow, "o-2") is True
    assert refund(uow, "o-2") is False
    # then
    row = only(uow)
    assert (row.order_count, row.total_spent_fen, row.first_order_at, row.last_order_at) == (1, 1280, T0, T0)


def test_a_refund_of_an_order_never_counted_changes_nothing_and_its_late_payment_counts_nothing(uow):
    # given a counted order
    pay(uow, "o-1")
    # when an unknown order is refunded, then its payment arrives late
    assert refund(uow, "o-9", total_fen=999) is False
    assert pay(uow, "o-9", total_fen=999) is False
    # then
    assert (only(uow).order_count, only(uow).total_spent_fen) == (1, 1280)
    assert uow.orders.rows["o-9"].state == REFUNDED


def test_a_paid_order_with_a_bad_total_is_refused_and_changes_nothing(uow):
    with pytest.raises(InvalidInput):
        pay(uow, total_fen=-1)
    with pytest.raises(InvalidInput):
        pay(uow, at=datetime(2025, 3, 1, 8, 0))
    assert uow.customers.rows == {} and uow.orders.rows == {}


def test_staff_annotate_with_trimmed_de_duplicated_tags(uow):
    # given
    pay(uow)
    # when
    view = edit(uow, remark=" 爱买鸡蛋 ", tags=["老客", " 老客", "团长"])
    # then
    assert (view.remark, view.tags, view.order_count) == ("爱买鸡蛋", ("老客", "团长"), 1)
    assert (only(uow).remark, only(uow).tags, only(uow).updated_at) == ("爱买鸡蛋", ["老客", "团长"], NOW)


def test_an_edit_of_tags_alone_keeps_the_remark(uow):
    pay(uow)
    edit(uow, remark="先前")
    view = edit(uow, tags=[])
    assert (view.remark, view.tags) == ("先前", ())


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"remark": "长" * 201}, "remark"),
        ({"remark": 5}, "remark"),
        ({"tags": "老客"}, "tags"),
        ({"tags": ["ok", 3]}, "tags"),
        ({"tags": ["   "]}, "tags"),
        ({"tags": ["长" * 21]}, "tags"),
        ({"tags": [f"t{i}" for i in range(11)]}, "tags"),
        ({"remark": "fine", "tags": [f"t{i}" for i in range(11)]}, "tags"),
    ],
)
def test_bad_annotations_are_refused_and_change_nothing(uow, changes, field):
    # given
    pay(uow)
    before = replace(only(uow), tags=list(only(uow).tags))
    # when
    with pytest.raises(InvalidInput) as error:
        edit(uow, **changes)
    # then
    assert list(error.value.fields) == [field]
    after = only(uow)
    assert (after.remark, after.tags, after.updated_at) == (before.remark, before.tags, before.updated_at)


def test_ten_distinct_tags_are_fine_even_with_repeats():
    assert check_tags([f"t{i}" for i in range(10)] + ["t0", "t1"]) == [f"t{i}" for i in range(10)]


def test_who_may_edit_and_which_customer(uow):
    pay(uow)
    with pytest.raises(PermissionDenied):
        edit(uow, actor=CLERK, remark="x")
    with pytest.raises(PermissionDenied):
        edit(uow, actor=OWNER, store=OTHER_STORE, remark="x")
    with pytest.raises(NotFound):
        edit(uow, store="nowhere", remark="x")
    with pytest.raises(NotFound):
        edit(uow, customer_id="no-such-customer", remark="x")
    assert only(uow).remark == ""
