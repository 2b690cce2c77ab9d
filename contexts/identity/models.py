import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Customers log in with WeChat (openid) and get an unusable password; operators use the
    admin with username and password. `phone` is set only once verified by an SMS code."""

    id = models.UUIDField(_("ID"), primary_key=True, default=uuid.uuid4, editable=False)
    openid = models.CharField(_("WeChat openid"), max_length=64, unique=True, null=True, blank=True)
    unionid = models.CharField(_("WeChat unionid"), max_length=64, null=True, blank=True, db_index=True)
    nickname = models.CharField(_("nickname"), max_length=64, blank=True)
    avatar_url = models.URLField(_("avatar URL"), max_length=500, blank=True)
    phone = models.CharField(_("verified phone"), max_length=11, unique=True, null=True, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.nickname or self.username


class ApiToken(models.Model):
    """A bearer token. Only the SHA-256 of the raw token is stored."""

    id = models.UUIDField(_("ID"), primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    key_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        permissions = [("revoke_apitoken", _("Can revoke API tokens"))]

    def __str__(self) -> str:
        return f"{self.user} · {localtime(self.created_at):%Y-%m-%d %H:%M}"


class SmsCode(models.Model):
    class Purpose(models.TextChoices):
        BIND_PHONE = "bind_phone", _("bind a phone")
        CREATE_STORE = "create_store", _("create a store")

    id = models.UUIDField(_("ID"), primary_key=True, default=uuid.uuid4, editable=False)
    phone = models.CharField(_("phone"), max_length=11)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    code_hash = models.CharField(_("code hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["phone", "purpose", "-created_at"], name="sms_code_latest")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(purpose__in=["bind_phone", "create_store"]), name="sms_code_purpose_known"
            ),
            models.CheckConstraint(condition=models.Q(attempts__lte=5), name="sms_code_at_most_5_attempts"),
        ]
        verbose_name = _("SMS code")
        verbose_name_plural = _("SMS codes")

    def __str__(self) -> str:
        return f"{self.phone} {self.get_purpose_display()} {localtime(self.created_at):%Y-%m-%d %H:%M:%S}"
