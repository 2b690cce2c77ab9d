from django.core.management.base import BaseCommand, CommandError

from contexts.merchant_account import audit


class Command(BaseCommand):
    help = (
        "Check over the whole database that money is conserved: every fen of every credited order "
        "in exactly one place, settlements equal to their entries, cached balances equal to the "
        "ledger. Exits non-zero, naming the orders, settlements and merchants, when not."
    )

    def handle(self, *args, **options):
        orders = audit.credited_orders()
        problems = audit.audit_money()
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            raise CommandError(f"audit_money: {len(problems)} problems in {orders} orders")
        self.stdout.write(f"audit_money: {orders} orders, all conserved")
