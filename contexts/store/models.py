from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AddressFields(models.Model):
    province = models.CharField(_("province"), max_length=50)
    city = models.CharField(_("city"), max_length=50)
    district = models.CharField(_("district"), max_length=50)
    detail = models.CharField(_("street address"), max_length=200)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        abstract = True


class Store(AddressFields):
    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("store status", "active")
        FROZEN = "frozen", _("frozen")

    id = models.CharField(_("ID"), max_length=36, primary_key=True)
    owner_id = models.CharField(
        _("owner"), max_length=36, db_index=True, help_text=_("The creator's user id.")
    )
    name = models.CharField(_("name"), max_length=64)
    phone = models.CharField(_("phone"), max_length=11)
    description = models.TextField(_("description"), blank=True)
    door_image_url = models.CharField(_("door image URL"), max_length=500, blank=True)
    door_image_defaulted = models.BooleanField(_("default door image"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        permissions = [("freeze_store", _("Can freeze and unfreeze stores"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["active", "frozen"]), name="store_status_valid"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PickupPoint(AddressFields):
    id = models.CharField(_("ID"), max_length=36, primary_key=True)
    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="pickup_points", verbose_name=_("store")
    )
    name = models.CharField(_("name"), max_length=64)
    is_default = models.BooleanField(_("the store's address"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["store_id", "-is_default", "created_at"]
        verbose_name = _("pickup point")
        verbose_name_plural = _("pickup points")
        constraints = [
            models.UniqueConstraint(
                fields=["store"], condition=models.Q(is_default=True), name="store_one_default_pickup_point"
            )
        ]

    def __str__(self) -> str:
        return self.name
