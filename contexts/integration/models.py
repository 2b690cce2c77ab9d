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
