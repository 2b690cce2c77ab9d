from django.db import models


class SandboxSms(models.Model):
    """A text message the sandbox SMS adapter 'sent': testers read the code back from here."""

    phone = models.CharField(max_length=20)
    purpose = models.CharField(max_length=32)
    code = models.CharField(max_length=12)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["phone", "-sent_at"], name="sandbox_sms_by_phone")]
        verbose_name = "sandbox SMS"
        verbose_name_plural = "sandbox SMS"

    def __str__(self) -> str:
        return f"{self.phone} {self.purpose} {self.sent_at:%Y-%m-%d %H:%M:%S}"


class SandboxMessage(models.Model):
    """A WeChat subscribe message the sandbox adapter 'sent': testers read it back from here."""

    touser = models.CharField(max_length=64, help_text="The recipient's openid.")
    template_id = models.CharField(max_length=64)
    page = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["touser", "-sent_at"], name="sandbox_msg_by_touser")]
        verbose_name = "sandbox subscribe message"

    def __str__(self) -> str:
        return f"{self.template_id} → {self.touser} {self.sent_at:%Y-%m-%d %H:%M:%S}"
