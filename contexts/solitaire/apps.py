from django.apps import AppConfig


class SolitaireConfig(AppConfig):
    name = "contexts.solitaire"
    label = "solitaire"
    verbose_name = "Solitaires (接龙) and participations"

    def ready(self) -> None:
        from contexts.solitaire import subscribers  # noqa: F401
