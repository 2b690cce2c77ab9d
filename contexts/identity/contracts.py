"""Published language of identity."""

from dataclasses import dataclass


@dataclass(frozen=True)
class UserInfo:
    """A user as other contexts and the bff see it. It is also DRF's request.user."""

    id: str
    nickname: str
    avatar_url: str
    phone: str | None
    is_staff: bool = False

    @property
    def pk(self) -> str:
        return self.id

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def as_dict(self) -> dict:
        """The API's user = {id, nickname, avatar_url, phone}."""
        return {"id": self.id, "nickname": self.nickname, "avatar_url": self.avatar_url, "phone": self.phone}


@dataclass(frozen=True)
class LoginResult:
    token: str
    user: UserInfo
