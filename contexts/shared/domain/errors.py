"""Domain errors carry an API.md error code; the bff maps each family to its HTTP status and
renders the detail (a Text marked with N_) in the request's language."""

from contexts.shared.domain.text import N_


class DomainError(Exception):
    code = "invalid"
    default_detail = N_("The request is invalid.")

    def __init__(self, detail: str | None = None, *, code: str | None = None, fields: dict | None = None):
        super().__init__(detail or self.default_detail)
        self.detail = detail or self.default_detail
        if code:
            self.code = code
        self.fields = fields


class InvalidInput(DomainError):
    """400: the request itself is wrong."""


class NotAuthenticated(DomainError):
    code = "not_authenticated"
    default_detail = N_("Authentication credentials were not provided or are invalid.")


class PermissionDenied(DomainError):
    code = "permission_denied"
    default_detail = N_("You do not have permission to perform this action.")


class NotFound(DomainError):
    code = "not_found"
    default_detail = N_("Not found.")


class Conflict(DomainError):
    """409: the resource's current state does not allow the action."""

    code = "invalid_state"
    default_detail = N_("The current state does not allow this action.")


class Throttled(DomainError):
    """429; `retry_after`: the seconds after which a new try may succeed (Retry-After)."""

    code = "throttled"
    default_detail = N_("Too many requests; try again later.")

    def __init__(self, detail: str | None = None, *, retry_after: int | None = None, **kwargs):
        super().__init__(detail, **kwargs)
        self.retry_after = retry_after


class UpstreamFailed(DomainError):
    """502: an outside system (WeChat, WeChat Pay, the SMS provider) refused the call or did not
    answer; nothing changed here, and the caller may try again."""

    code = "upstream_failed"
    default_detail = N_("An outside service did not answer as expected; try again later.")
