"""Requests carrying a NUL character are refused before any view: PostgreSQL cannot store or
compare text containing one (a 500 otherwise), and no client means to send it."""

from urllib.parse import unquote

from django.http import JsonResponse


def _has_nul(request) -> bool:
    if "\x00" in request.path_info or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
        return True
    return any("\x00" in value for key, value in request.META.items() if key.startswith("HTTP_"))


class RefuseNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            return JsonResponse(
                {"code": "invalid", "detail": "The request contains a NUL character."}, status=400
            )
        return self.get_response(request)
