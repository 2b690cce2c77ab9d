from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SolitaireConfig(AppConfig):
    name = "contexts.solitaire"
    label = "solitaire"
    verbose_name = _("Solitaires")

    def ready(self) -> None:
        from contexts.solitaire import subscribers  # noqa: F401
