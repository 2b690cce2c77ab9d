from django.core.management.base import BaseCommand

from contexts.merchant_account import bootstrap
from contexts.merchant_account.management.runs import TerminalProgress, add_run_arguments, summary_line


class Command(BaseCommand):
    help = (
        "Pay each affiliate the commissions withheld from settled resale orders of the billing "
        "cycles closed by --as-of (the daily job, run by hand). Safe to run twice, or twice at once."
    )

    def add_arguments(self, parser):
        add_run_arguments(parser)

    def handle(self, *args, **options):
        summary = bootstrap.settle_commissions(
            as_of=options["as_of"],
            dry_run=options["dry_run"],
            batch_size=options["batch_size"],
            progress=TerminalProgress("settle_commissions"),
        )
        self.stdout.write(summary_line(summary))
