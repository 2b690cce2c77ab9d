"""Value objects shared by every context."""

import re
from dataclasses import dataclass

from contexts.shared.domain.errors import InvalidInput
from contexts.shared.domain.text import N_


@dataclass(frozen=True, order=True)
class Money:
    """An amount in fen (分). Never a float."""

    fen: int

    def __post_init__(self) -> None:
        if isinstance(self.fen, bool) or not isinstance(self.fen, int):
            raise TypeError("Money is an integer number of fen")

    @classmethod
    def zero(cls) -> "Money":
        return cls(0)

    def __add__(self, other: "Money") -> "Money":
        return Money(self.fen + other.fen)

    def __sub__(self, other: "Money") -> "Money":
        return Money(self.fen - other.fen)

    def __mul__(self, quantity: int) -> "Money":
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise TypeError("Money multiplies by an integer quantity")
        return Money(self.fen * quantity)

    __rmul__ = __mul__

    def share_bps(self, bps: int) -> "Money":
        """The part of this amount at `bps` basis points, rounded half-up once."""
        if bps < 0:
            raise ValueError("a rate is never negative")
        sign = -1 if self.fen < 0 else 1
        return Money(sign * ((abs(self.fen) * bps + 5_000) // 10_000))

    def is_positive(self) -> bool:
        return self.fen > 0

    def display(self) -> str:
        """As people read it: ¥35.90, ¥1,234.05, -¥0.50 (yuan from fen by integer division)."""
        yuan, fen = divmod(abs(self.fen), 100)
        return f"{'-' if self.fen < 0 else ''}¥{yuan:,}.{fen:02d}"


PHONE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


@dataclass(frozen=True)
class Phone:
    """A mainland China mobile number."""

    number: str

    def __post_init__(self) -> None:
        if not isinstance(self.number, str) or not PHONE_PATTERN.match(self.number):
            raise InvalidInput(N_("Enter a valid mainland China mobile number."), code="invalid_phone")

    def masked(self) -> str:
        return f"{self.number[:3]}****{self.number[-4:]}"

    def __str__(self) -> str:
        return self.number


@dataclass(frozen=True)
class Address:
    province: str
    city: str
    district: str
    detail: str
    latitude: float | None = None
    longitude: float | None = None

    def __post_init__(self) -> None:
        for name in ("province", "city", "district", "detail"):
            if not str(getattr(self, name) or "").strip():
                raise InvalidInput(
                    N_("{field} is required.", field=name), fields={name: [N_("This field is required.")]}
                )
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            raise InvalidInput(N_("latitude is out of range."), fields={"latitude": [N_("Out of range.")]})
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            raise InvalidInput(N_("longitude is out of range."), fields={"longitude": [N_("Out of range.")]})

    def as_dict(self) -> dict:
        return {
            "province": self.province,
            "city": self.city,
            "district": self.district,
            "detail": self.detail,
            "latitude": self.latitude,
            "longitude": self.longitude,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Address":
        return cls(
            province=data.get("province", ""),
            city=data.get("city", ""),
            district=data.get("district", ""),
            detail=data.get("detail", ""),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
        )
