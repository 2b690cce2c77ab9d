from django.core.management.base import BaseCommand

from contexts.ordering import bootstrap


class Command(BaseCommand):
    help = "Cancel every unpaid order past its payment time (the scheduled job, run by hand)."

    def handle(self, *args, **options):
        expired = bootstrap.expire_unpaid_orders()
        self.stdout.write(f"{expired} orders expired.")
