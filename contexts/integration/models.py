from django.db import models
from django.utils.translation import gettext_lazy as _


class SandboxSms(models.Model):
    """A text message the sandbox SMS adapter 'sent': testers read the code back from here."""

    phone = models.CharField(_("phone"), max_length=20)
    purpose = models.CharField(_("purpose"), max_length=32)
    code = models.CharField(_("code"), max_length=12)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("sandbox SMS")
        verbose_name_plural = _("sandbox SMS")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["phone", "-sent_at"], name="sandbox_sms_by_phone")]

    def __str__(self) -> str:
        return f"{self.phone} {self.purpose} {self.sent_at:%Y-%m-%d %H:%M:%S}"


class SandboxMessage(models.Model):
    """A WeChat subscribe message the sandbox adapter 'sent': testers read it back from here."""

    touser = models.CharField(
        _("recipient openid"), max_length=64, help_text=_("The recipient's WeChat openid.")
    )
    template_id = models.CharField(_("template"), max_length=64)
    page = models.CharField(_("page"), max_length=200, blank=True)
    data = models.JSONField(_("data"), default=dict)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("sandbox subscribe message")
        verbose_name_plural = _("sandbox subscribe messages")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["touser", "-sent_at"], name="sandbox_msg_by_touser")]

    def __str__(self) -> str:
        return f"{self.template_id} → {self.touser} {self.sent_at:%Y-%m-%d %H:%M:%S}"
