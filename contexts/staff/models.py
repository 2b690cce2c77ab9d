from django.db import models
from django.utils.translation import gettext_lazy as _


class StoreMember(models.Model):
    """A user's role in one store. Store and user are other contexts' ids (no foreign keys)."""

    class Role(models.TextChoices):
        OWNER = "owner", _("owner")
        MANAGER = "manager", _("manager")
        CLERK = "clerk", _("clerk")

    id = models.CharField(_("ID"), max_length=36, primary_key=True)
    store_id = models.CharField(_("store"), max_length=36)
    user_id = models.CharField(_("user"), max_length=36, db_index=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    joined_at = models.DateTimeField(_("joined at"))

    class Meta:
        verbose_name = _("store member")
        verbose_name_plural = _("store members")
        ordering = ["store_id", "joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["store_id", "user_id"], name="staff_one_membership_per_user"),
            models.UniqueConstraint(
                fields=["store_id"], condition=models.Q(role="owner"), name="staff_one_owner_per_store"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["owner", "manager", "clerk"]), name="staff_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.user_id[:8]}"
