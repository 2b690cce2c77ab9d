"""The identity context's errors, in the shared families the bff maps to statuses."""

from contexts.shared.domain.errors import Conflict, InvalidInput, NotFound


def invalid_sms_code() -> InvalidInput:
    return InvalidInput(
        "The SMS code is wrong, expired or used up; request a new one.", code="invalid_sms_code"
    )


def user_not_found() -> NotFound:
    return NotFound("No such user.", code="user_not_found")


def phone_already_bound() -> Conflict:
    return Conflict("This phone is already bound to another user.")


def invalid_purpose(purpose: str) -> InvalidInput:
    return InvalidInput(
        f"Unknown SMS purpose {purpose!r}.", fields={"purpose": [f'"{purpose}" is not a valid choice.']}
    )
