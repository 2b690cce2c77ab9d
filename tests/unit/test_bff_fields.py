"""bff/fields.py: strict JSON types, and instants Python accepts but the database or the
product cannot (offsets past the real ones, year 1) refused with the field named."""

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict
from django.utils import translation
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from bff.fields import InstantQueryField, StrictCharField, StrictDateTimeField, StrictFloatField

SHANGHAI = ZoneInfo("Asia/Shanghai")  # settings.TIME_ZONE: the current time zone of a request
INVALID = "Give an ISO 8601 date and time with its UTC offset, e.g. 2026-12-01T10:00:00+08:00."


@pytest.fixture(autouse=True)
def in_english():
    """The messages as an English client reads them (the default language is Chinese): not
    whatever language an earlier test left active."""
    with translation.override("en"):
        yield


OFFSET = "The UTC offset must be whole minutes between -12:00 and +14:00."
YEAR = "The year must be between 2000 and 2100."


class WindowInput(serializers.Serializer):
    start_at = StrictDateTimeField()


class OrdersQuery(serializers.Serializer):
    created_after = InstantQueryField()
    created_before = InstantQueryField()


def errors_of(value) -> dict:
    serializer = WindowInput(data={"start_at": value})
    assert not serializer.is_valid()
    return serializer.errors


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2026-12-01T10:00:00+08:00", datetime(2026, 12, 1, 2, 0, tzinfo=UTC)),
        ("2026-12-01T02:00:00Z", datetime(2026, 12, 1, 2, 0, tzinfo=UTC)),
        ("2026-12-01T10:00:00+05:45", datetime(2026, 12, 1, 4, 15, tzinfo=UTC)),
        ("2026-12-01T10:00:00-12:00", datetime(2026, 12, 1, 22, 0, tzinfo=UTC)),
        ("2026-12-01T10:00:00+14:00", datetime(2026, 11, 30, 20, 0, tzinfo=UTC)),
        ("2000-01-01T00:00:00+00:00", datetime(2000, 1, 1, tzinfo=UTC)),
        ("2100-12-31T23:59:59.5+08:00", datetime(2100, 12, 31, 15, 59, 59, 500000, tzinfo=UTC)),
    ],
)
def test_an_instant_with_a_real_offset_is_normalised_to_the_current_time_zone(text, utc):
    # when
    serializer = WindowInput(data={"start_at": text})
    # then
    assert serializer.is_valid(), serializer.errors
    start_at = serializer.validated_data["start_at"]
    assert start_at == utc
    assert start_at.tzinfo == SHANGHAI


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-01T10:00:00-19:12",
        "2026-12-01T10:00:00+16:00",
        "2026-12-01T10:00:00-18:00",
        "2026-12-01T10:00:00+14:01",
        "2026-12-01T10:00:00-12:01",
        "2026-12-01T10:00:00+23:59",
        "2026-12-01T10:00:00+05:45:30",
    ],
)
def test_an_offset_no_place_uses_is_refused_naming_the_field(text):
    assert errors_of(text) == {"start_at": [OFFSET]}


@pytest.mark.parametrize(
    "text",
    [
        "0001-01-01T00:00:00+08:00",
        "1999-12-31T23:59:59+08:00",
        "2101-01-01T00:00:00+08:00",
        "9999-12-31T23:59:59-12:00",
    ],
)
def test_a_year_outside_the_window_is_refused(text):
    assert errors_of(text) == {"start_at": [YEAR]}


@pytest.mark.parametrize(
    "value",
    [
        "2026-12-01T10:00:00",  # no offset: which instant is unknown
        "2026-12-01",
        "",
        "soon",
        " 2026-12-01T10:00:00+08:00",
        "２０２６-12-01T10:00:00+08:00",  # full-width digits
        "2026-13-01T10:00:00+08:00",
        1764554400,
        1.5,
        True,
        ["2026-12-01T10:00:00+08:00"],
        {"at": "2026-12-01T10:00:00+08:00"},
    ],
)
def test_anything_but_an_iso_8601_string_with_an_offset_is_refused(value):
    assert errors_of(value) == {"start_at": [INVALID]}


def test_null_is_refused_unless_allowed():
    # DRF's own messages are translated (LANGUAGE_CODE zh-hans): their codes are compared
    assert [error.code for error in errors_of(None)["start_at"]] == ["null"]


def test_a_datetime_object_is_not_json_and_is_refused():
    assert errors_of(datetime(2026, 12, 1, 10, tzinfo=timezone(timedelta(hours=8)))) == {
        "start_at": [INVALID]
    }


def test_the_query_field_names_the_bad_parameter():
    # given the query string of the fuzzer's request
    params = QueryDict("created_after=2026-12-01T10:00:00-19:12&created_before=2026-12-02T00:00:00%2B08:00")
    # when
    query = OrdersQuery(data=params)
    # then
    assert not query.is_valid()
    assert query.errors == {"created_after": [OFFSET]}


def test_the_query_field_normalises_a_valid_unusual_offset():
    # given "+" written as %2B, as a client must in a query string
    params = QueryDict("created_after=2026-12-01T10:00:00%2B05:45")
    # when
    query = OrdersQuery(data=params)
    # then
    assert query.is_valid(), query.errors
    assert query.validated_data == {"created_after": datetime(2026, 12, 1, 12, 15, tzinfo=SHANGHAI)}


@pytest.mark.parametrize("raw", ["", "created_after=", "created_after=&created_before="])
def test_an_absent_or_empty_query_parameter_is_no_filter(raw):
    # when
    query = OrdersQuery(data=QueryDict(raw))
    # then
    assert query.is_valid(), query.errors
    assert query.validated_data == {}


@pytest.mark.parametrize("raw", ["created_after=yesterday", "created_after=2026-12-01T10:00:00"])
def test_a_query_instant_without_offset_is_refused(raw):
    # when
    query = OrdersQuery(data=QueryDict(raw))
    # then
    assert not query.is_valid()
    assert query.errors == {"created_after": [INVALID]}


@pytest.mark.parametrize("value", [5, 1.5, True, ["a"], {"a": 1}])
def test_a_strict_char_field_refuses_what_is_not_a_json_string(value):
    # given
    class NameInput(serializers.Serializer):
        name = StrictCharField(max_length=100)

    # when
    serializer = NameInput(data={"name": value})
    # then
    assert not serializer.is_valid()
    assert {name: [e.code for e in errors] for name, errors in serializer.errors.items()} == {
        "name": ["invalid"]
    }


@pytest.mark.parametrize("value", ["22.5", True, None, [1.0]])
def test_a_coordinate_is_a_json_number_only(value):
    field = StrictFloatField(min_value=-90, max_value=90)
    with pytest.raises(ValidationError):
        field.run_validation(value)


@pytest.mark.parametrize("value", [22, 22.5, -90])
def test_a_coordinate_in_range_is_taken_as_a_float(value):
    assert StrictFloatField(min_value=-90, max_value=90).run_validation(value) == float(value)
