from django.apps import AppConfig


class ProbeConfig(AppConfig):
    name = "tests.support.probe"
    label = "probe"

    def ready(self) -> None:
        from contexts.shared import eventbus

        for handler in ("record_a", "record_b"):
            eventbus.subscribe("ProbeFired", f"tests.support.probe.handlers.{handler}")
