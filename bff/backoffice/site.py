"""The operators' back office: the admin site with its Chinese title, the dashboard on its
index, and no bulk delete anywhere (orders, money and events are never deleted; stores are
frozen, not deleted)."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The sections in the order an operator needs them: business first, machinery last.
SECTIONS = [
    "ordering",
    "store",
    "solitaire",
    "merchant_account",
    "shared",
    "notification",
    "customer",
    "goods",
    "staff",
    "affiliate",
    "identity",
    "admin",
    "auth",
    "axes",
    "django_q",
    "integration",
]


class BackOfficeSite(admin.AdminSite):
    site_header = _("GroupBuy operations back office")
    site_title = _("GroupBuy back office")
    index_title = _("Dashboard")

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)
        self.disable_action("delete_selected")

    def index(self, request, extra_context=None):
        context = dict(extra_context or {})
        # The figures are the platform's business: shown to whoever may read its orders.
        if request.user.has_perm("ordering.view_order"):
            from bff.backoffice.dashboard import build

            context["dashboard"] = build(now=timezone.now())
        return super().index(request, context)

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        rank = {label: position for position, label in enumerate(SECTIONS)}
        return sorted(apps, key=lambda app: rank.get(app["app_label"], len(SECTIONS)))
