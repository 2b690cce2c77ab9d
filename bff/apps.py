from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BffConfig(AppConfig):
    name = "bff"
    verbose_name = _("Mini-program API and back office")

    def ready(self) -> None:
        from django_q.signals import post_execute_in_worker, pre_enqueue, pre_execute

        import bff.schema  # noqa: F401  (registers the bearer scheme with drf-spectacular)
        from bff import observability
        from bff.backoffice import operators

        post_migrate.connect(operators.install_group, dispatch_uid="operators.install_group")
        pre_enqueue.connect(observability.stamp_task, dispatch_uid="bff.request_id.stamp")
        pre_execute.connect(observability.adopt_task_id, dispatch_uid="bff.request_id.adopt")
        post_execute_in_worker.connect(observability.drop_task_id, dispatch_uid="bff.request_id.drop")
