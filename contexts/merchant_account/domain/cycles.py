"""Franchise billing cycles (API.md "Merchant account and settlement"): daily, weekly from
Monday, monthly from the 1st, each from local midnight in Asia/Shanghai. A cycle is the
half-open interval [start, end): it closes at its end, and a commission run as of T pays the
cycles whose end <= T. Pure Python."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

DAILY = "daily"
WEEKLY = "weekly"
MONTHLY = "monthly"
CYCLES = (DAILY, WEEKLY, MONTHLY)


@dataclass(frozen=True)
class Cycle:
    start: datetime
    end: datetime

    def closed_by(self, as_of: datetime) -> bool:
        return self.end <= as_of


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=SHANGHAI)


def _first_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def cycle_containing(at: datetime, kind: str) -> Cycle:
    """The billing cycle of kind `kind` that contains the instant `at`."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("a billing cycle is found for an aware instant only")
    if kind not in CYCLES:
        raise ValueError(f"unknown billing cycle {kind!r}")
    day = at.astimezone(SHANGHAI).date()
    if kind == DAILY:
        first, after = day, day + timedelta(days=1)
    elif kind == WEEKLY:
        first = day - timedelta(days=day.weekday())  # Monday is weekday 0
        after = first + timedelta(days=7)
    else:
        first, after = day.replace(day=1), _first_of_next_month(day)
    return Cycle(start=_midnight(first), end=_midnight(after))
