"""POST /orders' body. Joining a solitaire is the hottest request of the product, and a nested
DRF serializer spends more time building and walking its fields than the database spends on
the join's statements (benchmark of the buying issue), so this one body is a pydantic model:
the same rules, validated in compiled code, documented by drf-spectacular's pydantic support.

Rules as every other input of the bff: real JSON types only (no "1" for 1, no true for 1),
text trimmed, no NUL or lone surrogate characters (PostgreSQL cannot store them), unknown keys
ignored; an invalid body is 400 `invalid` with dotted `fields` such as `lines[0].quantity`."""

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic import ValidationError as PydanticValidationError

from contexts.shared.domain.errors import InvalidInput
from contexts.shared.domain.values import Phone

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _storable(text: str) -> str:
    if UNSTORABLE.search(text):
        raise ValueError("Null and surrogate characters are not allowed.")
    return text


def _text(max_length: int, *, blank: bool = False):
    bounds = StringConstraints(strip_whitespace=True, min_length=0 if blank else 1, max_length=max_length)
    return Annotated[str, bounds, AfterValidator(_storable)]


Id = _text(36)
Quantity = Annotated[int, Field(ge=1, le=10_000)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


class OrderLineBody(_Strict):
    goods_id: Id | None = None
    solitaire_item_id: Id | None = None
    quantity: Quantity

    @model_validator(mode="after")
    def one_item(self):
        if bool(self.goods_id) == bool(self.solitaire_item_id):
            raise ValueError("Give exactly one of goods_id and solitaire_item_id.")
        return self


class AddressBody(_Strict):
    province: _text(50)
    city: _text(50)
    district: _text(50)
    detail: _text(200)
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None


class PickupBody(_Strict):
    method: Literal["pickup", "delivery"]
    pickup_point_id: Id | None = None
    address: AddressBody | None = None

    @model_validator(mode="after")
    def where(self):
        if self.method == "pickup" and not self.pickup_point_id:
            raise ValueError("pickup_point_id is required for pickup.")
        if self.method == "delivery" and self.address is None:
            raise ValueError("address is required for delivery.")
        return self


class ContactBody(_Strict):
    name: _text(50)
    phone: _text(20)


class PlaceOrderBody(_Strict):
    solitaire_id: Id | None = None
    store_id: Id | None = None
    resale_id: Id | None = None
    lines: Annotated[list[OrderLineBody], Field(min_length=1, max_length=50)]
    pickup: PickupBody
    contact: ContactBody
    remark: _text(200, blank=True) = ""


def place_order_body(data) -> PlaceOrderBody:
    """The validated body, or InvalidInput (400 `invalid` with `fields`; `invalid_phone`)."""
    try:
        body = PlaceOrderBody.model_validate(data)
    except PydanticValidationError as exc:
        raise InvalidInput("The request is invalid.", fields=_fields(exc)) from None
    _check_lines(body)
    body.contact.phone = Phone(body.contact.phone).number  # InvalidInput(code="invalid_phone")
    return body


def _check_lines(body: PlaceOrderBody) -> None:
    """What needs the whole body: an order names a solitaire or a store, its lines the matching
    kind of item, each once."""
    if not body.solitaire_id:
        if not body.store_id:
            _refuse("store_id", "Required for an order outside a solitaire.")
        if body.resale_id:
            _refuse("resale_id", "Only an order in a solitaire has a resale.")
    item_field = "solitaire_item_id" if body.solitaire_id else "goods_id"
    items = [getattr(line, item_field) for line in body.lines]
    if not all(items):
        _refuse("lines", f"Each line needs a {item_field}.")
    if len(set(items)) != len(items):
        _refuse("lines", "Each item may appear once.")


def _refuse(field: str, message: str):
    raise InvalidInput("The request is invalid.", fields={field: [message]})


def _fields(exc: PydanticValidationError) -> dict[str, list[str]]:
    """pydantic's error locations as the bff's dotted names: ("lines", 0, "quantity") ->
    "lines[0].quantity"; an error of the body as a whole -> "non_field_errors"."""
    fields: dict[str, list[str]] = {}
    for error in exc.errors(include_url=False, include_context=False, include_input=False):
        name = ""
        for part in error["loc"]:
            name += f"[{part}]" if isinstance(part, int) else f".{part}" if name else str(part)
        fields.setdefault(name or "non_field_errors", []).append(error["msg"].removeprefix("Value error, "))
    return fields
