from django.core.management.base import BaseCommand

from contexts.ordering import bootstrap


class Command(BaseCommand):
    help = (
        "Complete every paid order paid ORDER_AUTO_COMPLETE_DAYS ago or earlier "
        "(the scheduled job, run by hand)."
    )

    def handle(self, *args, **options):
        completed = bootstrap.complete_overdue_orders()
        self.stdout.write(f"{completed} orders completed.")
