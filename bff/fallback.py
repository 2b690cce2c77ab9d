"""Errors raised outside DRF views (unknown paths, crashes) still answer in API.md's shape."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import bad_request as html_bad_request
from django.views.defaults import page_not_found
from django.views.defaults import server_error as html_server_error


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def bad_request(request, exception=None):
    """Django's own 400s: a body over DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields, a bad Host."""
    if _is_api(request):
        return JsonResponse({"code": "invalid", "detail": _("The request is invalid.")}, status=400)
    return html_bad_request(request, exception)


def not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"code": "not_found", "detail": _("Not found.")}, status=404)
    return page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse(
            {"code": "server_error", "detail": _("Something went wrong on our side.")}, status=500
        )
    return html_server_error(request)
