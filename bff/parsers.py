"""The one JSON parser of the API (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES): DRF's own, made to
refuse with 400 `invalid` what DRF would turn into a 500 or misread.

- Nesting: DRF catches ValueError only, and a body nested ~1,000 levels deep makes the decoder
  raise RecursionError. A body deeper than MAX_DEPTH is refused too, even when it decodes:
  everything after the parser (serializers, error flattening, the renderer echoing a value)
  walks data recursively, and none of it may meet a depth it cannot survive.
- Charset: JSON is UTF-8 (RFC 8259 §8.1). Django silently drops a charset it does not know and
  DRF then reads the body as UTF-8 anyway; we refuse a charset that is not UTF-8 instead of
  guessing. UTF-16 and UTF-32 are refused as well: RFC 8259 requires UTF-8 between systems,
  the mini-programs send UTF-8, and one encoding is one path to test.
"""

import codecs

from django.utils.http import parse_header_parameters
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32  # the deepest body of API.md nests 3 levels (an order's pickup address)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        _require_utf8(media_type or "")
        context = {**(parser_context or {}), "encoding": "utf-8"}
        try:
            data = super().parse(stream, media_type, context)
        except RecursionError:
            raise ParseError(
                _("JSON parse error - nested deeper than {limit} levels.").format(limit=MAX_DEPTH)
            ) from None
        if _deeper_than(data, MAX_DEPTH):
            raise ParseError(
                _("JSON parse error - nested deeper than {limit} levels.").format(limit=MAX_DEPTH)
            )
        return data


def _require_utf8(media_type: str) -> None:
    charset = parse_header_parameters(media_type)[1].get("charset")
    if charset is None:
        return
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        raise ParseError(
            _("Unknown charset {charset}: send JSON as UTF-8.").format(charset=repr(charset))
        ) from None
    if name != "utf-8":
        raise ParseError(_("JSON must be UTF-8, not {charset}.").format(charset=repr(charset)))


def _deeper_than(data, limit: int) -> bool:
    """Iterative, so that measuring the depth cannot itself overflow the stack."""
    stack = [(data, 1)] if isinstance(data, dict | list) else []
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False
