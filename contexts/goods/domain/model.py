"""Goods, Category and HotWord: the rules a store's catalogue obeys, in plain Python."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from contexts.shared.domain.errors import InvalidInput
from contexts.shared.domain.seedwork import AggregateRoot, Entity, new_id
from contexts.shared.domain.text import N_

ON_SALE = "on_sale"
OFF_SHELF = "off_shelf"
STATUSES = (ON_SALE, OFF_SHELF)

NAME_MAX = 100
DESCRIPTION_MAX = 5000
IMAGES_MAX = 20
IMAGE_URL_MAX = 1000
CATEGORY_NAME_MAX = 30
HOT_WORD_MAX = 30
# Upper bounds keep every value inside a 32-bit database integer, so a huge number is a 400, never a 500.
PRICE_MAX_FEN = 100_000_000
STOCK_MAX = 100_000_000
QUANTITY_MAX = 100_000_000


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class FieldErrors:
    """Collects every wrong field of one request, so the caller hears about all of them at once."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.fields:
            raise InvalidInput(N_("The request is invalid."), fields=self.fields)


def check_name(
    value: Any, errors: FieldErrors, *, field_name: str = "name", max_length: int = NAME_MAX
) -> str:
    if not isinstance(value, str) or not value.strip():
        errors.add(field_name, N_("This field is required."))
        return ""
    value = value.strip()
    if len(value) > max_length:
        errors.add(
            field_name,
            N_("Ensure this field has no more than {max_length} characters.", max_length=max_length),
        )
    return value


def check_description(value: Any, errors: FieldErrors) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.add("description", N_("Must be a string."))
        return ""
    if len(value) > DESCRIPTION_MAX:
        errors.add(
            "description",
            N_("Ensure this field has no more than {max_length} characters.", max_length=DESCRIPTION_MAX),
        )
    return value


def check_image_urls(value: Any, errors: FieldErrors) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(url, str) and url.strip() for url in value):
        errors.add("image_urls", N_("Must be a list of non-empty strings."))
        return []
    if len(value) > IMAGES_MAX:
        errors.add("image_urls", N_("Ensure this list has no more than {limit} images.", limit=IMAGES_MAX))
    if any(len(url) > IMAGE_URL_MAX for url in value):
        errors.add(
            "image_urls",
            N_("Ensure each url has no more than {max_length} characters.", max_length=IMAGE_URL_MAX),
        )
    return [url.strip() for url in value]


def check_price(value: Any, errors: FieldErrors) -> int:
    if not _is_int(value):
        errors.add("price_fen", N_("A valid integer number of fen is required."))
        return 0
    if value <= 0:
        errors.add("price_fen", N_("Ensure this value is greater than 0."))
    elif value > PRICE_MAX_FEN:
        errors.add(
            "price_fen",
            N_("Ensure this value is less than or equal to {limit_value}.", limit_value=PRICE_MAX_FEN),
        )
    return value


def check_stock(value: Any, errors: FieldErrors) -> int:
    if not _is_int(value):
        errors.add("stock", N_("A valid integer is required."))
        return 0
    if value < 0:
        errors.add("stock", N_("Ensure this value is greater than or equal to 0."))
    elif value > STOCK_MAX:
        errors.add(
            "stock", N_("Ensure this value is less than or equal to {limit_value}.", limit_value=STOCK_MAX)
        )
    return value


def check_quantity(value: Any) -> int:
    if not _is_int(value) or not 0 < value <= QUANTITY_MAX:
        raise InvalidInput(
            N_("quantity must be a positive integer."),
            fields={"quantity": [N_("A positive integer is required.")]},
        )
    return value


@dataclass(eq=False)
class Category(Entity):
    store_id: str
    name: str
    sort: int

    @classmethod
    def create(cls, *, store_id: str, name: Any, sort: int) -> "Category":
        errors = FieldErrors()
        name = check_name(name, errors, max_length=CATEGORY_NAME_MAX)
        errors.raise_if_any()
        return cls(id=new_id(), store_id=store_id, name=name, sort=sort)


@dataclass(frozen=True)
class HotWord:
    store_id: str
    word: str
    sort: int


@dataclass(eq=False)
class Goods(AggregateRoot):
    store_id: str = ""
    name: str = ""
    description: str = ""
    image_urls: list[str] = field(default_factory=list)
    price_fen: int = 0
    stock: int = 0
    category_id: str | None = None
    status: str = ON_SALE
    sales: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @classmethod
    def create(
        cls,
        *,
        store_id: str,
        name: Any,
        price_fen: Any,
        stock: Any,
        description: Any = "",
        image_urls: Any = None,
        category: Category | None = None,
        now: datetime,
    ) -> "Goods":
        """New goods are on sale at once. `category` was looked up by the caller (None: no category)."""
        errors = FieldErrors()
        goods = cls(
            id=new_id(),
            store_id=store_id,
            name=check_name(name, errors),
            description=check_description(description, errors),
            image_urls=check_image_urls(image_urls, errors),
            price_fen=check_price(price_fen, errors),
            stock=check_stock(stock, errors),
            category_id=category.id if category else None,
            status=ON_SALE,
            sales=0,
            created_at=now,
            updated_at=now,
        )
        errors.raise_if_any()
        return goods

    def edit(self, *, changes: dict[str, Any], now: datetime, category: Category | None = None) -> None:
        """Apply a partial update; all-or-nothing. A `category_id` in changes must come with the
        `category` the caller looked up for it (None clears the category)."""
        errors = FieldErrors()
        checked: dict[str, Any] = {}
        checks = {
            "name": check_name,
            "description": check_description,
            "image_urls": check_image_urls,
            "price_fen": check_price,
            "stock": check_stock,
        }
        for key, value in changes.items():
            if key in checks:
                checked[key] = checks[key](value, errors)
            elif key == "status":
                if value not in STATUSES:
                    errors.add("status", N_("Must be one of: {choices}.", choices=", ".join(STATUSES)))
                checked[key] = value
            elif key == "category_id":
                checked[key] = category.id if category else None
            else:
                errors.add(key, N_("This field cannot be changed."))
        errors.raise_if_any()
        for key, value in checked.items():
            setattr(self, key, value)
        self.updated_at = now

    def take_off_shelf(self, *, now: datetime) -> bool:
        """True when the goods were on sale; taking them off twice changes nothing."""
        if self.status == OFF_SHELF:
            return False
        self.status = OFF_SHELF
        self.updated_at = now
        return True

    @property
    def first_image(self) -> str:
        return self.image_urls[0] if self.image_urls else ""


def check_category_belongs(category: Category | None, store_id: str) -> Category:
    """A goods' category must exist and belong to the goods' own store."""
    if category is None or category.store_id != store_id:
        raise InvalidInput(
            N_("Unknown category for this store."),
            fields={"category_id": [N_("No such category in this store.")]},
        )
    return category
