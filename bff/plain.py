"""What DRF's APIView gives an endpoint, for the one endpoint served without it: POST /orders.

Joining a solitaire is the product's hottest request, and DRF's per-request machinery (its
Request wrapper, content negotiation, the template-response rendering) cost ≈ 0.4 ms of CPU
of it — a third of the gap to the plain-view baseline in the buying issue's benchmark. The
rules and answers stay DRF's own: the Bearer authentication class, the JSON parser and
renderer, and every error through bff.errors.exception_handler: the same bodies and statuses
(only the Vary and Allow headers DRF adds are not sent)."""

import io
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from rest_framework import exceptions
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.mediatypes import media_type_matches

from bff.authentication import BearerTokenAuthentication
from bff.errors import exception_handler

AUTHENTICATION = BearerTokenAuthentication()
PARSER = JSONParser()
RENDERER = JSONRenderer()
ERROR_HEADERS = ("WWW-Authenticate", "Retry-After")


def json_response(data, *, status: int) -> HttpResponse:
    return HttpResponse(RENDERER.render(data), status=status, content_type=RENDERER.media_type)


def authenticated_user(request: HttpRequest):
    """The user of the request's Bearer token; 401 as DRF's IsAuthenticated answers."""
    found = AUTHENTICATION.authenticate(request)
    if found is None:
        raise exceptions.NotAuthenticated()
    return found[0]


def json_body(request: HttpRequest):
    """The body as DRF's Request.data reads it with the JSON parser: no body is {}, another
    media type 415, bad JSON or charset 400."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if not length:
        return {}
    content_type = request.META.get("CONTENT_TYPE", "")
    if not media_type_matches(PARSER.media_type, content_type):
        raise exceptions.UnsupportedMediaType(content_type)
    context = {"encoding": request.encoding or settings.DEFAULT_CHARSET}
    return PARSER.parse(io.BytesIO(request.body), content_type, context)


def errors_as_json(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Every exception bff.errors knows leaves as its JSON error; others reach Django's 500."""

    @wraps(view)
    def answer(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Exception as exc:
            if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
                exc.auth_header = AUTHENTICATION.authenticate_header(request)
            response = _error(exc, request)
            if response is None:
                raise
            return response

    return answer


def _error(exc: Exception, request: HttpRequest) -> HttpResponse | None:
    handled = exception_handler(exc, {"request": request})
    if handled is None:
        return None
    response = json_response(handled.data, status=handled.status_code)
    for name in ERROR_HEADERS:
        if name in handled:
            response[name] = handled[name]
    return response
