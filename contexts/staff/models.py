from django.db import models


class StoreMember(models.Model):
    """A user's role in one store. Store and user are other contexts' ids (no foreign keys)."""

    class Role(models.TextChoices):
        OWNER = "owner"
        MANAGER = "manager"
        CLERK = "clerk"

    id = models.CharField(max_length=36, primary_key=True)
    store_id = models.CharField(max_length=36)
    user_id = models.CharField(max_length=36, db_index=True)
    role = models.CharField(max_length=10, choices=Role.choices)
    joined_at = models.DateTimeField()

    class Meta:
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
        return f"{self.user_id} @ {self.store_id} ({self.role})"
