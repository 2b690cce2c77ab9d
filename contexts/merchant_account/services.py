"""merchant_account use cases: one keyword-only function each, framework-free (ports come in
as arguments: bootstrap.py binds them by name, tests hand in fakes)."""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from contexts.merchant_account import contracts
from contexts.merchant_account.domain.ledger import OrderRevenue
from contexts.merchant_account.domain.model import Merchant, MerchantAccount
from contexts.merchant_account.domain.ports import MerchantUnitOfWork, Progress
from contexts.merchant_account.domain.settlement import (
    COMMISSIONS,
    ORDERS,
    Tally,
    plan_commissions_batch,
    plan_orders_batch,
)
from contexts.shared.domain.errors import Conflict, InvalidInput, NotFound
from contexts.shared.domain.events import DomainEvent
from contexts.shared.domain.ports import Clock
from contexts.shared.domain.seedwork import new_id
from contexts.shared.domain.text import N_
from contexts.shared.domain.values import Money

log = logging.getLogger(__name__)

# Orders per transaction of a settlement run: large enough that a run of a busy day is a few
# statements, small enough that a batch's locks and parameters stay modest.
BATCH_SIZE = 2000


def open_merchant_for_store(
    *, uow: MerchantUnitOfWork, clock: Clock, store_id: str, owner_id: str
) -> contracts.MerchantOpened:
    """A store's creator is its merchant: the first store opens the merchant and its account,
    later stores join the same merchant. Running it again for the same store changes nothing."""
    if not store_id or not owner_id:
        raise InvalidInput(N_("store_id and owner_id are required."))
    with uow:
        current = uow.merchants.by_store(store_id)
        if current is not None:
            if current.user_id != owner_id:
                raise Conflict(N_("This store already belongs to another merchant."))
            uow.commit()
            return contracts.MerchantOpened(merchant_id=current.id, merchant_created=False, store_added=False)
        merchant = uow.merchants.by_user(owner_id)
        created = merchant is None
        if merchant is None:
            merchant = Merchant.open(user_id=owner_id, now=clock.now())
            uow.merchants.add(merchant)
            uow.accounts.add(MerchantAccount.open(merchant_id=merchant.id))
        merchant.register_store(store_id)
        uow.merchants.save(merchant)
        uow.commit()
    return contracts.MerchantOpened(merchant_id=merchant.id, merchant_created=created, store_added=True)


def credit_completed_order(
    *,
    uow: MerchantUnitOfWork,
    clock: Clock,
    order_id: str,
    order_no: str,
    store_id: str,
    total_fen: int,
    completed_at: datetime,
    resale_id: str | None = None,
    affiliate_store_id: str | None = None,
    commission_fen: int = 0,
    billing_cycle: str | None = None,
) -> bool:
    """OrderCompleted: the order's total becomes its store merchant's pending balance, with its
    revenue row for the settlement runs. Once per order: False (nothing changes) when it was
    credited already. NotFound while a store's merchant is unknown, so the event is retried."""
    with uow:
        merchant_id = _merchant_of_store(uow, store_id)
        affiliate_id = _merchant_of_store(uow, affiliate_store_id) if resale_id else None
        revenue = OrderRevenue.credit(
            order_id=order_id,
            order_no=order_no,
            store_id=store_id,
            merchant_id=merchant_id,
            total=Money(total_fen),
            completed_at=completed_at,
            resale_id=resale_id,
            affiliate_merchant_id=affiliate_id,
            commission=Money(commission_fen),
            billing_cycle=billing_cycle,
            now=clock.now(),
        )
        if not uow.revenue.add(revenue):
            uow.commit()
            return False
        account = _account(uow, merchant_id)
        account.credit_order(revenue, now=revenue.credited_at)
        uow.accounts.save(account)
        uow.commit()
    return True


def reverse_refunded_order(*, uow: MerchantUnitOfWork, clock: Clock, order_id: str) -> bool:
    """OrderRefunded: an order never credited (ordering refunds only orders not completed)
    changes nothing; a credited one not settled yet is reversed (True); a settled one is
    refused with SettledOrderRefunded, for an operator to resolve."""
    with uow:
        revenue = uow.revenue.get(order_id, lock=True)
        if revenue is None or not revenue.reverse(now=clock.now()):
            uow.commit()
            return False
        account = _account(uow, revenue.merchant_id)
        account.reverse_order(revenue, now=clock.now())
        uow.revenue.save(revenue)
        uow.accounts.save(account)
        uow.commit()
    return True


def settle_orders(
    *,
    uow: MerchantUnitOfWork,
    clock: Clock,
    fee_bps: int,
    as_of: datetime | None = None,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    time_budget: timedelta | None = None,
) -> contracts.RunSummary:
    """Settle every credited, unsettled order completed before as_of (default now): one
    `orders` settlement per merchant for the whole run, batch after batch, each batch one
    transaction. A crash leaves the committed batches settled and a rerun settles the rest; a
    second run at once skips the orders the first holds. A dry run reads the same orders and
    writes nothing. With a time budget (the scheduled job's), no batch starts after it is spent:
    the next run goes on from there."""
    as_of, progress, out_of_time = _start(clock, as_of, progress, time_budget)
    progress.start(uow.settlements.count_unsettled(as_of=as_of))
    tally = Tally()
    settlement_of: dict[str, str] = {}
    after = None
    while not out_of_time():
        if dry_run:
            # Reads need no transaction (on SQLite one would take the write lock).
            rows = uow.settlements.peek_unsettled(as_of=as_of, after=after, limit=batch_size)
            if not rows:
                break
            batch = plan_orders_batch(rows, fee_bps=fee_bps)
            after = (rows[-1].completed_at, rows[-1].order_id)
        else:
            with uow:
                rows = uow.settlements.lock_unsettled(as_of=as_of, limit=batch_size)
                if not rows:
                    break
                batch = plan_orders_batch(rows, fee_bps=fee_bps)
                created = {m: new_id() for m in batch.merchants if m not in settlement_of}
                ids = {m: settlement_of.get(m) or created[m] for m in batch.merchants}
                uow.settlements.settle_orders(
                    batch, settlement_of=ids, created=set(created.values()), as_of=as_of, now=clock.now()
                )
                uow.commit()
            settlement_of.update(created)
        tally.add(batch.merchants.values())
        progress.advance(len(rows))
    progress.finish()
    _announce(uow, settlement_of.values())
    return _summary(ORDERS, as_of, dry_run, tally, len(settlement_of))


def settle_commissions(
    *,
    uow: MerchantUnitOfWork,
    clock: Clock,
    as_of: datetime | None = None,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    time_budget: timedelta | None = None,
) -> contracts.RunSummary:
    """Pay each affiliate the commissions withheld from settled resale orders of the billing
    cycles closed by as_of (default now), not paid yet: one `commissions` settlement per
    affiliate and cycle (a later run that finds more orders of a cycle adds to it). The same
    batches, resumability and safety as settle_orders."""
    as_of, progress, out_of_time = _start(clock, as_of, progress, time_budget)
    progress.start(uow.settlements.count_owed(as_of=as_of))
    tally = Tally()
    touched: set[str] = set()
    created: set[str] = set()
    after = None
    while not out_of_time():
        if dry_run:
            rows = uow.settlements.peek_owed(as_of=as_of, after=after, limit=batch_size)
            if not rows:
                break
            batch = plan_commissions_batch(rows)
            after = (rows[-1].cycle_end, rows[-1].order_id)
        else:
            with uow:
                rows = uow.settlements.lock_owed(as_of=as_of, limit=batch_size)
                if not rows:
                    break
                batch = plan_commissions_batch(rows)
                proposed = {key: new_id() for key in batch.cycles}
                ids = uow.settlements.settle_commissions(batch, proposed=proposed, now=clock.now())
                uow.commit()
            touched.update(ids.values())
            created.update(sid for key, sid in ids.items() if sid == proposed[key])
        tally.add(batch.cycles.values())
        progress.advance(len(rows))
    progress.finish()
    _announce(uow, created)
    return _summary(COMMISSIONS, as_of, dry_run, tally, len(touched))


def _start(
    clock: Clock, as_of: datetime | None, progress: Progress | None, time_budget: timedelta | None
) -> tuple[datetime, Progress, Callable[[], bool]]:
    started = clock.now()
    as_of = as_of or started
    if as_of.tzinfo is None or as_of.utcoffset() is None:
        raise InvalidInput(
            N_("as_of needs its UTC offset."), fields={"as_of": [N_("An aware time is required.")]}
        )

    def out_of_time() -> bool:
        return time_budget is not None and clock.now() - started >= time_budget

    return as_of, progress or Progress(), out_of_time


def _summary(
    kind: str, as_of: datetime, dry_run: bool, tally: Tally, settlements: int
) -> contracts.RunSummary:
    return contracts.RunSummary(
        kind=kind,
        as_of=as_of,
        dry_run=dry_run,
        orders=tally.orders,
        gross_fen=tally.gross_fen,
        fee_fen=tally.fee_fen,
        commission_fen=tally.commission_fen,
        net_fen=tally.net_fen,
        settlements=settlements,
    )


def _announce(uow: MerchantUnitOfWork, settlement_ids) -> None:
    """SettlementCompleted for each new settlement, with its final totals. Best effort: the
    money is settled already, so a failure here is logged and the run still reports."""
    settlement_ids = sorted(settlement_ids)
    if not settlement_ids:
        return
    try:
        with uow:
            for payload in uow.settlements.completed(settlement_ids):
                uow.publish(
                    DomainEvent(
                        event_type="SettlementCompleted",
                        aggregate_type="Settlement",
                        aggregate_id=payload["settlement_id"],
                        payload=payload,
                    )
                )
            uow.commit()
    except Exception:
        log.exception("SettlementCompleted not published for %d settlements", len(settlement_ids))


def _merchant_of_store(uow: MerchantUnitOfWork, store_id: str | None) -> str:
    merchant_id = uow.merchants.id_of_store(store_id) if store_id else None
    if merchant_id is None:
        raise NotFound(N_("Store {store_id} has no merchant yet.", store_id=store_id))
    return merchant_id


def _account(uow: MerchantUnitOfWork, merchant_id: str) -> MerchantAccount:
    account = uow.accounts.by_merchant(merchant_id)
    if account is None:
        raise NotFound(N_("Merchant {merchant_id} has no account.", merchant_id=merchant_id))
    return account
