"""The platform operators' group (平台运营): view rights on everything the admin shows, and the
rights of the few things an operator does: freeze and unfreeze stores, retry failed event
deliveries and notifications, revoke API tokens, run a dry-run settlement. Nothing else: no
add, change or delete. Superusers aside, an operator account is a staff user in this group.

Installed after every migrate (and reset to exactly these rights), so a fresh database has it."""

from django.apps import apps
from django.contrib import admin
from django.db.models import Q

GROUP = "operators"
ACTS = (
    "store.freeze_store",
    "shared.retry_eventdelivery",
    "notification.retry_notification",
    "identity.revoke_apitoken",
    "merchant_account.dry_run_settlement",
)


def operator_permissions(using: str = "default") -> list:
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    shown = [model for model in apps.get_models() if admin.site.is_registered(model)]
    types = ContentType.objects.db_manager(using).get_for_models(*shown, for_concrete_models=False)
    wanted = Q()
    for model, content_type in types.items():
        wanted |= Q(content_type=content_type, codename=f"view_{model._meta.model_name}")
    for act in ACTS:
        app_label, codename = act.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.using(using).filter(wanted))


def install_group(app_config, using: str = "default", **_kwargs) -> None:
    """post_migrate is sent once per app that has models: the group is installed after the last
    one's, when every app's permissions exist."""
    from django.contrib.auth.models import Group

    if app_config is not [config for config in apps.get_app_configs() if config.models_module][-1]:
        return

    group, _created = Group.objects.using(using).get_or_create(name=GROUP)
    group.permissions.set(operator_permissions(using))
