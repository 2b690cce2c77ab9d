"""Strict JSON fields: the mini-program sends real JSON types, and a value of the wrong type is
a client's mistake to report (400 with the field), never something to coerce or round."""

from rest_framework import serializers


class StrictIntegerField(serializers.IntegerField):
    """Money and counts: 1.5, "15", 12.0 and true are refused."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
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
