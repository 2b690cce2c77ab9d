"""What the settlement commands share: their options, a progress bar on a terminal, and the
one-line summary they end with."""

import sys
from datetime import datetime

from django.core.management.base import CommandParser
from django.utils import timezone
from tqdm import tqdm

from contexts.merchant_account.contracts import RunSummary
from contexts.merchant_account.domain.ports import Progress
from contexts.merchant_account.services import BATCH_SIZE


def instant(text: str) -> datetime:
    """--as-of: ISO 8601; without an offset it is local time (settings.TIME_ZONE)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not an ISO 8601 time: {text!r}") from None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def add_run_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--as-of",
        type=instant,
        default=None,
        help="ISO 8601 time (default now; without an offset, local time).",
    )
    parser.add_argument("--dry-run", action="store_true", help="Print the summary and write nothing.")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="Orders per transaction.")


class TerminalProgress(Progress):
    """A tqdm bar on stderr when it is a terminal; nothing otherwise (cron, logs, tests)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar = None

    def start(self, total: int) -> None:
        self.bar = tqdm(
            total=total, desc=self.label, unit="order", file=sys.stderr, disable=None, leave=False
        )

    def advance(self, count: int) -> None:
        if self.bar is not None:
            self.bar.update(count)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.close()


def summary_line(summary: RunSummary) -> str:
    return summary.line() + (" (dry run: nothing written)" if summary.dry_run else "")
