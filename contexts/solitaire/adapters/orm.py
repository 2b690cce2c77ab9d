"""Repositories and mappers model <-> domain, the stock ledger, and solitaire's unit of work."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F

from contexts.shared.adapters import sql
from contexts.shared.adapters.uow import DjangoUnitOfWork
from contexts.shared.domain.errors import Conflict
from contexts.shared.domain.text import N_
from contexts.solitaire import models
from contexts.solitaire.domain import model
from contexts.solitaire.domain.ports import (
    ParticipationRepository,
    ReleaseLog,
    SolitaireRepository,
    SolitaireUnitOfWork,
    StockLedger,
)

ITEM_FIELDS = (
    "goods_id",
    "name",
    "image_url",
    "base_price_fen",
    "price_fen",
    "stock",
    "per_customer_limit",
    "position",
)


SOLITAIRE_COLUMNS = (
    "id",
    "store_id",
    "title",
    "description",
    "start_at",
    "end_at",
    "pickup_point_ids",
    "status",
    "created_at",
)
ITEM_COLUMNS = ("id", *ITEM_FIELDS, "sold")
# LEFT JOIN: a solitaire without items still comes back (with one row of NULL items).
SOLITAIRE_WITH_ITEMS = (
    "SELECT "
    + ", ".join([*(f"s.{name}" for name in SOLITAIRE_COLUMNS), *(f"i.{name}" for name in ITEM_COLUMNS)])
    + " FROM solitaire_solitaire s LEFT OUTER JOIN solitaire_solitaireitem i ON i.solitaire_id = s.id"
    + " WHERE s.id = %s ORDER BY i.position, i.id"
)
SOLITAIRE_WITH_ITEMS_FIELDS = sql.Columns(
    *(sql.column(models.Solitaire, name) for name in SOLITAIRE_COLUMNS),
    *(sql.column(models.SolitaireItem, name) for name in ITEM_COLUMNS),
)


def item_to_domain(row: models.SolitaireItem) -> model.SolitaireItem:
    return model.SolitaireItem(id=row.pk, sold=row.sold, **{name: getattr(row, name) for name in ITEM_FIELDS})


def to_domain(row: models.Solitaire, items: list[models.SolitaireItem]) -> model.Solitaire:
    return model.Solitaire(
        id=row.pk,
        store_id=row.store_id,
        title=row.title,
        description=row.description,
        start_at=row.start_at,
        end_at=row.end_at,
        pickup_point_ids=list(row.pickup_point_ids),
        items=[item_to_domain(item) for item in items],
        status=row.status,
        created_at=row.created_at,
    )


def _row_values(solitaire: model.Solitaire) -> dict:
    return {
        "store_id": solitaire.store_id,
        "title": solitaire.title,
        "description": solitaire.description,
        "status": solitaire.status,
        "start_at": solitaire.start_at,
        "end_at": solitaire.end_at,
        "pickup_point_ids": list(solitaire.pickup_point_ids),
    }


class DjangoSolitaireRepository(SolitaireRepository):
    def get(self, solitaire_id: str, *, for_update: bool = False) -> model.Solitaire | None:
        if not for_update:
            return self._get_for_reading(str(solitaire_id))
        # Edits read `sold` (price locked once sold, stock never below sold): lock the items
        # so a concurrent join waits for the edit instead of racing it (PostgreSQL).
        items = list(
            models.SolitaireItem.objects.filter(solitaire_id=str(solitaire_id))
            .select_related("solitaire")
            .select_for_update()
            .order_by("position", "id")
        )
        if items:
            return to_domain(items[0].solitaire, items)
        row = models.Solitaire.objects.filter(pk=str(solitaire_id)).select_for_update().first()
        return to_domain(row, []) if row else None

    def _get_for_reading(self, solitaire_id: str) -> model.Solitaire | None:
        """The solitaire and its items in one hand-written query: every join starts here."""
        rows = sql.fetch(SOLITAIRE_WITH_ITEMS, [solitaire_id], SOLITAIRE_WITH_ITEMS_FIELDS)
        if not rows:
            return None
        head = dict(zip(SOLITAIRE_COLUMNS, rows[0][: len(SOLITAIRE_COLUMNS)], strict=True))
        items = [
            model.SolitaireItem(**dict(zip(ITEM_COLUMNS, row[len(SOLITAIRE_COLUMNS) :], strict=True)))
            for row in rows
            if row[len(SOLITAIRE_COLUMNS)] is not None
        ]
        head["pickup_point_ids"] = list(head["pickup_point_ids"])
        return model.Solitaire(**head, items=items)

    def solitaire_of_item(self, item_id: str) -> str | None:
        return (
            models.SolitaireItem.objects.filter(pk=str(item_id))
            .values_list("solitaire_id", flat=True)
            .first()
        )

    def add(self, solitaire: model.Solitaire) -> None:
        models.Solitaire.objects.create(
            id=solitaire.id, created_at=solitaire.created_at, **_row_values(solitaire)
        )
        models.SolitaireItem.objects.bulk_create(
            [
                models.SolitaireItem(id=item.id, solitaire_id=solitaire.id, **_item_values(item))
                for item in solitaire.items
            ]
        )

    def save(self, solitaire: model.Solitaire) -> None:
        models.Solitaire.objects.filter(pk=solitaire.id).update(**_row_values(solitaire))
        if solitaire.removed_item_ids:
            removed = set(solitaire.removed_item_ids)
            deleted, _ = models.SolitaireItem.objects.filter(pk__in=removed, sold=0).delete()
            if deleted != len(removed):
                raise model.item_has_sales(N_("An item got sales meanwhile: it cannot be removed."))
        existing = set(
            models.SolitaireItem.objects.filter(solitaire_id=solitaire.id).values_list("pk", flat=True)
        )
        try:
            with transaction.atomic():
                for item in solitaire.items:
                    if item.id in existing:
                        # Never `sold`: only the stock ledger moves it.
                        models.SolitaireItem.objects.filter(pk=item.id).update(**_item_values(item))
                    else:
                        models.SolitaireItem.objects.create(
                            id=item.id, solitaire_id=solitaire.id, **_item_values(item)
                        )
        except IntegrityError as exc:
            # sold <= stock caught a join that landed after the edit read `sold`.
            raise Conflict(N_("Stock cannot go below what is already sold.")) from exc


def _item_values(item: model.SolitaireItem) -> dict:
    return {name: getattr(item, name) for name in ITEM_FIELDS}


class DjangoStockLedger(StockLedger):
    def reserve(self, item_id: str, quantity: int) -> bool:
        # One conditional UPDATE (never read-then-write), hand-written: every join issues it.
        return bool(
            sql.execute(
                "UPDATE solitaire_solitaireitem SET sold = sold + %s WHERE id = %s AND sold <= stock - %s",
                [quantity, str(item_id), quantity],
            )
        )

    def release(self, item_id: str, quantity: int) -> bool:
        return bool(
            models.SolitaireItem.objects.filter(pk=item_id, sold__gte=quantity).update(
                sold=F("sold") - quantity
            )
        )


class DjangoParticipationRepository(ParticipationRepository):
    def add_if_absent(self, participation: model.Participation) -> bool:
        try:
            with transaction.atomic():  # a savepoint: the handler's transaction survives a repeat
                models.Participation.objects.create(
                    id=participation.id,
                    solitaire_id=participation.solitaire_id,
                    order_id=participation.order_id,
                    customer_id=participation.customer_id,
                    sequence_no=participation.sequence_no,
                    items=participation.items,
                    joined_at=participation.joined_at,
                )
        except IntegrityError:
            if models.Participation.objects.filter(order_id=participation.order_id).exists():
                return False
            raise
        return True

    def add_all_if_absent(self, participations: list[model.Participation]) -> int:
        rows = [
            {
                "id": participation.id,
                "solitaire_id": participation.solitaire_id,
                "order_id": participation.order_id,
                "customer_id": participation.customer_id,
                "sequence_no": participation.sequence_no,
                "items": participation.items,
                "joined_at": participation.joined_at,
            }
            for participation in participations
        ]
        return sql.insert(models.Participation, rows, on_conflict_do_nothing="order_id")

    def mark_refunded(self, order_id: str, at: datetime) -> bool:
        return bool(
            models.Participation.objects.filter(order_id=order_id, refunded_at__isnull=True).update(
                refunded_at=at
            )
        )


class DjangoReleaseLog(ReleaseLog):
    def claim(self, *, order_id: str, solitaire_id: str, reason: str, at: datetime) -> bool:
        _row, created = models.StockRelease.objects.get_or_create(
            order_id=order_id, defaults={"solitaire_id": solitaire_id, "reason": reason, "released_at": at}
        )
        return created


class DjangoSolitaireUow(DjangoUnitOfWork, SolitaireUnitOfWork):
    def __init__(self) -> None:
        self.solitaires = DjangoSolitaireRepository()
        self.stock = DjangoStockLedger()
        self.participations = DjangoParticipationRepository()
        self.releases = DjangoReleaseLog()
