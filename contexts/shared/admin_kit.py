"""What every context's admin shares: amounts shown as money, other contexts' ids shown as names
that link to their admin page, read-only pages, and operator actions that need a permission of
their own and leave a line in the admin history.

A context owns its tables, so its admin knows only the ids of other contexts' objects. Each
context that others point at registers a `kind` here (in its admin module): how to name a batch
of its ids and which admin page shows one. An admin names its id columns in `references`; a
list page then asks each kind once for the ids of the whole page (a fixed number of queries,
however long the page), and a detail page asks for its own few."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.html import format_html

from contexts.shared.domain.values import Money


@dataclass(frozen=True)
class Kind:
    url_name: str  # the admin page of one object, e.g. "admin:store_store_change"
    names: Callable[[list[str]], dict[str, str]]  # {id: name} of the known ids among these


_kinds: dict[str, Kind] = {}
# What an empty display shows (the admin's own mark): a read-only field would print None itself.
EMPTY = "-"


def register_kind(kind: str, *, url_name: str, names: Callable[[list[str]], dict[str, str]]) -> None:
    """Called by the context that owns `kind` (its admin module)."""
    _kinds[kind] = Kind(url_name=url_name, names=names)


def names_of(kind: str, ids: Iterable[str]) -> dict[str, str]:
    wanted = sorted({str(i) for i in ids if i})
    found = _kinds.get(kind)
    return found.names(wanted) if found and wanted else {}


def short_id(value: str) -> str:
    return f"{value[:8]}…" if len(value) > 9 else value


class Reference:
    """A column or field showing another object's name for an id, linking to its admin page."""

    def __init__(self, field: str, kind: str, description, attribute: str | None = None) -> None:
        self.field, self.kind = field, kind
        self.attribute = attribute or field  # a foreign key's column (merchant_id for merchant)
        self.__name__ = field
        self.short_description = description
        self.admin_order_field = field

    def __call__(self, obj):
        value = getattr(obj, self.attribute)
        if not value:
            return EMPTY
        value = str(value)
        resolved = getattr(obj, "admin_names", None)
        if resolved is None:
            resolved = {(self.kind, key): name for key, name in names_of(self.kind, [value]).items()}
        name = resolved.get((self.kind, value))
        kind = _kinds.get(self.kind)
        if kind is None:
            return short_id(value)
        return format_html(
            '<a href="{}" title="{}">{}</a>',
            reverse(kind.url_name, args=[value]),
            value,
            name or short_id(value),
        )


class MoneyDisplay:
    """An amount in fen shown as ¥35.90 (integer arithmetic, Money.display), sortable."""

    def __init__(self, field: str, description) -> None:
        self.field = field
        self.__name__ = field
        self.short_description = description
        self.admin_order_field = field

    def __call__(self, obj):
        value = getattr(obj, self.field)
        if value is None:
            return EMPTY
        return format_html('<span class="money">{}</span>', Money(int(value)).display())


class ReadableMixin:
    """Maps the names an admin lists to their readable displays: every `*_fen` field as money,
    every field of `references` ({field: kind}) as a linked name."""

    references: dict[str, str] = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Built once: the same display object must answer both the fields and the read-only
        # fields of a page, as Django matches them by equality.
        self.readable_displays = {}
        for field in self.model._meta.concrete_fields:
            if field.name in self.references:
                kind = self.references[field.name]
                self.readable_displays[field.name] = Reference(
                    field.name, kind, field.verbose_name, attribute=field.attname
                )
            elif field.name.endswith("_fen"):
                self.readable_displays[field.name] = MoneyDisplay(field.name, field.verbose_name)

    def readable(self, names: Iterable) -> list:
        displays, shown = self.readable_displays, []
        for name in names:
            item = displays.get(name, name) if isinstance(name, str) else name
            if item not in shown:
                shown.append(item)
        return shown

    def get_fields(self, request, obj=None):
        return self.readable(super().get_fields(request, obj))

    def get_readonly_fields(self, request, obj=None):
        names = list(super().get_readonly_fields(request, obj))
        # The names stay (so the form leaves those fields out); their displays are what shows.
        return [*names, *(d for d in self.readable(names) if not isinstance(d, str))]


class OperatorAdmin(ReadableMixin, admin.ModelAdmin):
    """The back office's model admin: readable columns, the names of a page fetched in bulk."""

    def get_list_display(self, request):
        return self.readable(super().get_list_display(request))

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            columns = [c for c in self.get_list_display(request) if isinstance(c, Reference)]
            attach_names(changelist.result_list, columns)
        return response


def attach_names(objects: list, columns: list[Reference]) -> None:
    """One lookup per kind for the whole page; each object carries the answers."""
    wanted: dict[str, set] = defaultdict(set)
    for column in columns:
        values = (getattr(obj, column.attribute) for obj in objects)
        wanted[column.kind].update(str(value) for value in values if value)
    resolved = {
        (kind, key): name for kind, ids in wanted.items() for key, name in names_of(kind, ids).items()
    }
    for obj in objects:
        obj.admin_names = resolved


class NoWrites:
    """Neither added, changed nor deleted by hand, whoever asks."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoWrites, OperatorAdmin):
    """Data written by use cases alone: operators look (and act through actions)."""

    def get_readonly_fields(self, request, obj=None):
        names = [f.name for f in self.model._meta.concrete_fields]
        return [*names, *(d for d in self.readable(names) if not isinstance(d, str))]


class ReadOnlyInline(NoWrites, ReadableMixin, admin.TabularInline):
    """Rows shown under their parent, read-only; it names its `fields`."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        names = list(self.fields)
        return [*names, *(d for d in self.readable(names) if not isinstance(d, str))]


def log_operator_action(request, objects: Iterable, message: str) -> None:
    """A line per object in the admin history: who did what. `message` is an English msgid (marked
    with gettext_noop), shown translated in the history pages."""
    objects = list(objects)
    if objects:
        LogEntry.objects.log_actions(request.user.pk, objects, CHANGE, change_message=message)


def log_operator_run(request, model, summary: str, message: str) -> None:
    """A line in the admin history for an action on no one object (a dry run), under `model`."""
    LogEntry.objects.create(
        user_id=request.user.pk,
        content_type=ContentType.objects.get_for_model(model),
        object_id=None,
        object_repr=summary[:200],
        action_flag=CHANGE,
        change_message=message,
    )
