"""Strict JSON fields: the mini-program sends real JSON types, and a value of the wrong type is
a client's mistake to report (400 with the field), never something to coerce or round."""

from datetime import datetime, timedelta

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import empty


class StrictIntegerField(serializers.IntegerField):
    """Money and counts: 1.5, "15", 12.0 and true are refused."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictFloatField(serializers.FloatField):
    """Coordinates: a JSON number only ("22.5" and true are refused; 22 is a number)."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """Only true/false: "true", 1 or "yes" are refused."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictCharField(serializers.CharField):
    """A JSON string only: 5 or true is not text the client meant."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


EARLIEST_YEAR, LATEST_YEAR = 2000, 2100  # no sale of this product starts or ends outside them
UTC_OFFSETS = (timedelta(hours=-12), timedelta(hours=14))  # the offsets any place on Earth uses


class StrictDateTimeField(serializers.DateTimeField):
    """An instant: a JSON string in ISO 8601 with its UTC offset ("Z" or ±hh:mm), answered in the
    current time zone. Python accepts offsets up to ±23:59 and years 1 to 9999, but PostgreSQL
    refuses offsets past ±15:59 (a 500) and converting year 1 overflows: both are refused."""

    default_error_messages = {
        "invalid": _("Give an ISO 8601 date and time with its UTC offset, e.g. 2026-12-01T10:00:00+08:00."),
        "offset": _("The UTC offset must be whole minutes between -12:00 and +14:00."),
        "year": format_lazy(
            _("The year must be between {first} and {last}."), first=EARLIEST_YEAR, last=LATEST_YEAR
        ),
    }

    def to_internal_value(self, value):
        if not isinstance(value, str) or not value.isascii():
            self.fail("invalid")
        try:
            instant = datetime.fromisoformat(value)
        except ValueError:
            self.fail("invalid")
        offset = instant.utcoffset()
        if offset is None:
            self.fail("invalid")
        if not UTC_OFFSETS[0] <= offset <= UTC_OFFSETS[1] or offset % timedelta(minutes=1):
            self.fail("offset")
        if not EARLIEST_YEAR <= instant.year <= LATEST_YEAR:
            self.fail("year")
        return self.enforce_timezone(instant)  # the current time zone, as DRF answers instants


class InstantQueryField(StrictDateTimeField):
    """`created_after` / `created_before` of a query-parameter serializer: the same rules, optional,
    and an empty parameter (`?created_after=`) is an absent one, as django-filter treats it."""

    def __init__(self, **kwargs):
        super().__init__(**{"required": False, **kwargs})

    def validate_empty_values(self, data):
        return super().validate_empty_values(empty if data == "" else data)
