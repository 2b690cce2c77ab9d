"""The identity context's errors, in the shared families the bff maps to statuses."""

from contexts.shared.domain.errors import Conflict, InvalidInput, NotFound
from contexts.shared.domain.text import N_


def invalid_sms_code() -> InvalidInput:
    return InvalidInput(
        N_("The SMS code is wrong, expired or used up; request a new one."), code="invalid_sms_code"
    )


def user_not_found() -> NotFound:
    return NotFound(N_("No such user."), code="user_not_found")


def phone_already_bound() -> Conflict:
    return Conflict(N_("This phone is already bound to another user."))


def invalid_purpose(purpose: str) -> InvalidInput:
    return InvalidInput(
        N_("Unknown SMS purpose {purpose}.", purpose=repr(purpose)),
        fields={"purpose": [N_('"{purpose}" is not a valid choice.', purpose=purpose)]},
    )
