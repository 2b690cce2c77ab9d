from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SharedConfig(AppConfig):
    name = "contexts.shared"
    label = "shared"
    verbose_name = _("Events")

    def ready(self) -> None:
        from contexts.shared import checks, schedules  # noqa: F401 (checks registers itself)

        schedules.register("events.sweep", "contexts.shared.tasks.sweep_events", minutes=1)
        schedules.register("events.prune", "contexts.shared.tasks.prune_events", minutes=10)
        post_migrate.connect(schedules.install, sender=self)
