"""Users (customers log in with WeChat, operators with a password), their API tokens and SMS
codes. Operators may revoke tokens (through identity's use case); the rest they only read."""

import uuid

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext

from contexts.identity import bootstrap
from contexts.identity.models import ApiToken, SmsCode, User
from contexts.shared import admin_kit


def user_names(ids: list[str]) -> dict[str, str]:
    """{user id: nickname, else user name} of the known ones; ids that are no user's are left out."""
    wanted = []
    for value in ids:
        try:
            wanted.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    rows = User.objects.filter(pk__in=wanted).values_list("id", "nickname", "username")
    return {str(pk): nickname or username for pk, nickname, username in rows}


admin_kit.register_kind("user", url_name="admin:identity_user_change", names=user_names)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "nickname", "phone", "openid", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups", ("phone", admin.EmptyFieldListFilter))
    search_fields = ("username", "nickname", "phone", "openid", "unionid", "email", "=id")
    search_help_text = _("Search by user name, nickname, phone, WeChat openid or ID.")
    ordering = ("-date_joined",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ("id", "openid", "unionid", "last_login", "date_joined")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("WeChat"), {"fields": ("id", "openid", "unionid", "nickname", "avatar_url", "phone")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin_kit.ReadOnlyAdmin):
    list_display = ("user", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("user__username", "user__nickname", "user__phone")
    search_help_text = _("Search by user name, nickname or phone.")
    list_select_related = ("user",)
    date_hierarchy = "created_at"
    actions = ["revoke"]

    def has_revoke_permission(self, request) -> bool:
        return request.user.has_perm("identity.revoke_apitoken")

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request, queryset):
        tokens = list(queryset.filter(revoked_at__isnull=True))
        count = bootstrap.revoke_tokens(token_ids=[str(token.pk) for token in tokens])
        admin_kit.log_operator_action(request, tokens, gettext_noop("Revoked the token."))
        text = ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count) % {"count": count}
        self.message_user(request, text, messages.SUCCESS)


@admin.register(SmsCode)
class SmsCodeAdmin(admin_kit.ReadOnlyAdmin):
    list_display = ("phone", "purpose", "created_at", "expires_at", "attempts", "used_at")
    list_filter = ("purpose",)
    search_fields = ("phone",)
    search_help_text = _("Search by phone.")
    date_hierarchy = "created_at"
