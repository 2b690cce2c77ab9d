"""Requests refused before any view, in API.md's error shape."""

import io
from urllib.parse import unquote

from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.utils.mediatypes import media_type_matches

from bff.fallback import not_found
from bff.parsers import JSONParser

PARSER = JSONParser()


def _has_nul(request) -> bool:
    if "\x00" in request.path_info or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
        return True
    return any("\x00" in value for key, value in request.META.items() if key.startswith("HTTP_"))


class RefuseNulCharactersMiddleware:
    """A NUL character in the path, query or headers: PostgreSQL cannot store or compare text
    containing one (a 500 otherwise), and no client means to send it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            return JsonResponse(
                {"code": "invalid", "detail": _("The request contains a NUL character.")}, status=400
            )
        return self.get_response(request)


class RefuseMalformedJsonMiddleware:
    """A body that says it is JSON must be JSON that bff.parsers.JSONParser reads (UTF-8, not
    too deep), on every API endpoint, before any view. DRF parses a body only when a view reads
    it, so an endpoint that takes none (cancel, pay, logout …) would otherwise act on a request
    carrying garbage. The view parses the body again: microseconds for the bodies of API.md."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.path_info.startswith("/api/") and media_type_matches(PARSER.media_type, content_type):
            body = request.body
            if body:
                try:
                    PARSER.parse(io.BytesIO(body), content_type)
                except ParseError as exc:
                    return JsonResponse({"code": "invalid", "detail": str(exc.detail)}, status=400)
        return self.get_response(request)


class JsonNotFoundMiddleware:
    """An unknown /api/ path answers API.md's JSON 404 also with DEBUG on, where Django answers
    its HTML debug page instead of calling handler404 (bff/fallback.py, which covers DEBUG off).
    A JSON 404 of a view (not_found, user_not_found …) is left as it is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 404
            and request.path_info.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return not_found(request)
        return response
