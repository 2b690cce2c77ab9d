from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _
from django_q.apps import DjangoQConfig


class BackOfficeAdminConfig(AdminConfig):
    """django.contrib.admin, with the back office as its default site (admin.site)."""

    default_site = "bff.backoffice.site.BackOfficeSite"


class LoginProtectionConfig(AxesAppConfig):
    """django-axes, under a name operators read (its own texts have no Chinese: see texts.py)."""

    verbose_name = _("Login protection")


class TaskQueueConfig(DjangoQConfig):
    """django-q2, under a name operators read."""

    verbose_name = _("Task queue")
