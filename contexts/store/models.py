from django.db import models
from django.utils import timezone


class AddressFields(models.Model):
    province = models.CharField(max_length=50)
    city = models.CharField(max_length=50)
    district = models.CharField(max_length=50)
    detail = models.CharField(max_length=200)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        abstract = True


class Store(AddressFields):
    class Status(models.TextChoices):
        ACTIVE = "active"
        FROZEN = "frozen"

    id = models.CharField(max_length=36, primary_key=True)
    owner_id = models.CharField(max_length=36, db_index=True, help_text="The creator's user id.")
    name = models.CharField(max_length=64)
    phone = models.CharField(max_length=11)
    description = models.TextField(blank=True)
    door_image_url = models.CharField(max_length=500, blank=True)
    door_image_defaulted = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["active", "frozen"]), name="store_status_valid"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PickupPoint(AddressFields):
    id = models.CharField(max_length=36, primary_key=True)
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="pickup_points")
    name = models.CharField(max_length=64)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["store_id", "-is_default", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["store"], condition=models.Q(is_default=True), name="store_one_default_pickup_point"
            )
        ]

    def __str__(self) -> str:
        return self.name
