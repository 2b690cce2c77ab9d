"""`make run`: the web server and one qcluster side by side; Ctrl-C stops both.

qcluster can hang on SIGTERM (django-q2 issue 346), so it gets a few seconds and then SIGKILL."""

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from bff.management.commands.seed_demo import ADMIN, OPERATOR

STOP_TIMEOUT_SECONDS = 8


class Command(BaseCommand):
    help = "Run the web server and one qcluster (embedded default); Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, host, port, **options):
        python = sys.executable
        base = f"http://{host}:{port}"
        children = [
            subprocess.Popen([python, "manage.py", "runserver", f"{host}:{port}", "--noreload"]),
            subprocess.Popen([python, "manage.py", "qcluster"]),
        ]
        self._banner(base)
        stopping = False

        def stop(_signum, _frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.3)
        finally:
            self._stop(children)

    def _banner(self, base: str) -> None:
        sandbox = "on" if settings.GROUPBUY_SANDBOX else "off"
        self.stdout.write(
            "\n".join(
                [
                    "",
                    "groupbuy is running (SQLite + one qcluster). Ctrl-C stops both.",
                    f"  API docs   {base}/api/docs/",
                    f"  schema     {base}/api/schema/",
                    f"  health     {base}/api/v1/health",
                    f"  back office {base}/admin/   operator: {OPERATOR[0]} / {OPERATOR[1]}"
                    f"   administrator: {ADMIN[0]} / {ADMIN[1]}",
                    f"  sandbox    {sandbox}: log in with POST {base}/api/v1/auth/wechat-login "
                    '{"code": "sandbox-<any name>"}',
                    "",
                ]
            )
        )

    def _stop(self, children: list[subprocess.Popen]) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        self.stdout.write("stopped.")
