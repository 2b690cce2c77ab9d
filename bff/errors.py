"""One exception handler: every error leaves as {"code", "detail"} (+ "fields") with its status.

Human texts follow the request's language (LocaleMiddleware; zh-hans by default): the domain's
marked texts are rendered here (contexts.shared.domain.text), DRF's and the bff's own through
gettext. Codes never change with the language."""

import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext, gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response

from contexts.shared.domain import errors as domain
from contexts.shared.domain.text import render

INVALID = gettext_lazy("The request is invalid.")

DOMAIN_STATUS = [
    (domain.NotAuthenticated, status.HTTP_401_UNAUTHORIZED),
    (domain.PermissionDenied, status.HTTP_403_FORBIDDEN),
    (domain.NotFound, status.HTTP_404_NOT_FOUND),
    (domain.Conflict, status.HTTP_409_CONFLICT),
    (domain.Throttled, status.HTTP_429_TOO_MANY_REQUESTS),
    (domain.UpstreamFailed, status.HTTP_502_BAD_GATEWAY),
    (domain.DomainError, status.HTTP_400_BAD_REQUEST),
]

DRF_CODES = {
    exceptions.ParseError: "invalid",
    exceptions.AuthenticationFailed: "not_authenticated",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}


def error_response(status_code: int, code: str, detail: str, fields: dict | None = None, headers=None):
    body = {"code": code, "detail": render(detail, gettext)}
    if fields:
        body["fields"] = {name: [render(m, gettext) for m in messages] for name, messages in fields.items()}
    return Response(body, status=status_code, headers=headers)


def _flatten(detail, prefix: str = "") -> dict:
    """Nested DRF errors become dotted names: {"address.city": [...], "lines[0].quantity": [...]}."""
    if isinstance(detail, dict):
        fields: dict = {}
        for key, value in detail.items():
            name = f"{prefix}[{key}]" if isinstance(key, int) else f"{prefix}.{key}" if prefix else str(key)
            fields.update(_flatten(value, name))
        return fields
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        fields = {}
        for index, item in enumerate(detail):
            if item:
                fields.update(_flatten(item, f"{prefix}[{index}]"))
        return fields
    messages = detail if isinstance(detail, list) else [detail]
    name = prefix.removesuffix(".non_field_errors") or "non_field_errors"
    return {name: list(messages)}


def exception_handler(exc, context):
    if isinstance(exc, domain.DomainError):
        for family, status_code in DOMAIN_STATUS:
            if isinstance(exc, family):
                retry_after = getattr(exc, "retry_after", None)
                headers = {"Retry-After": str(retry_after)} if retry_after else None
                return error_response(status_code, exc.code, exc.detail, exc.fields, headers)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        return error_response(400, "invalid", INVALID, _flatten(exc.detail))
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None) is not None:
            headers["Retry-After"] = str(math.ceil(exc.wait))  # never 0 for a wait under a second
        code = next((c for cls, c in DRF_CODES.items() if isinstance(exc, cls)), "invalid")
        detail = exc.detail if isinstance(exc.detail, str) else INVALID
        return error_response(exc.status_code, code, detail, headers=headers)
    return None
