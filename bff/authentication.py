"""`Authorization: Bearer <token>`: the token from /auth/wechat-login, checked by identity."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from contexts.identity import bootstrap as identity


class BearerTokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = get_authorization_header(request)
        if not header:
            return None  # anonymous; the view's permissions decide
        parts = header.split()
        if len(parts) != 2 or parts[0].lower() != self.keyword.lower().encode():
            raise exceptions.AuthenticationFailed(_("Use the header 'Authorization: Bearer <token>'."))
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("The token is malformed.")) from exc
        user = identity.authenticate(raw_token=raw)
        if user is None:
            raise exceptions.AuthenticationFailed(_("The token is invalid, expired or revoked."))
        return user, raw

    def authenticate_header(self, request) -> str:
        return self.keyword
