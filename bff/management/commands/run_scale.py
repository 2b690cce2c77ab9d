"""`make run-scale`: the scaled-out set-up on the local PostgreSQL and Redis. Creates the database
if it is missing, migrates, collects the static files, seeds the demo, then runs the Procfile
with honcho: one gunicorn master with N workers and M qclusters. Ctrl-C stops everything: honcho
sends SIGTERM to each process group and SIGKILL to what is left 5 s later (a qcluster can hang
on SIGTERM, django-q2 issue 346)."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import psycopg
import redis
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql

ROOT = Path(settings.BASE_DIR)


class Command(BaseCommand):
    help = "Run N gunicorn workers and M qclusters on PostgreSQL and Redis (Procfile); Ctrl-C stops all."

    def add_arguments(self, parser):
        parser.add_argument("--web-workers", type=int, default=3)
        parser.add_argument("--clusters", type=int, default=2)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, web_workers, clusters, host, port, **options):
        database = settings.DATABASES["default"]
        if database["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError("run_scale needs PostgreSQL: set DATABASE_URL=postgres://…")
        if not settings.REDIS_URL:
            raise CommandError("run_scale needs Redis: set REDIS_URL=redis://…")
        self._ensure_database(database)
        self._check_redis(settings.REDIS_URL)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("seed_demo")
        self._banner(f"http://{host}:{port}", web_workers, clusters, database["NAME"])
        self._run_procfile(web_workers, clusters, host, port)

    def _ensure_database(self, database: dict) -> None:
        options = {
            "host": database["HOST"] or None,
            "port": database["PORT"] or None,
            "user": database["USER"] or None,
            "password": database["PASSWORD"] or None,
        }
        try:
            with psycopg.connect(dbname="postgres", autocommit=True, **options) as server:
                exists = server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]])
                if exists.fetchone() is None:
                    server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database["NAME"])))
                    self.stdout.write(f"created database {database['NAME']}")
        except psycopg.OperationalError as error:
            raise CommandError(
                f"PostgreSQL is not reachable ({error}); start it, e.g. "
                '`pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start`'
            ) from error

    def _check_redis(self, url: str) -> None:
        try:
            redis.Redis.from_url(url, socket_connect_timeout=3).ping()
        except redis.RedisError as error:
            raise CommandError(
                f"Redis is not reachable at {url} ({error}); start it, e.g. "
                "`redis-server --daemonize yes --bind 127.0.0.1 --port 6379`"
            ) from error

    def _run_procfile(self, web_workers: int, clusters: int, host: str, port: str) -> None:
        scripts = Path(sys.executable).parent
        env = {
            **os.environ,
            "PATH": f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}",
            "WEB_CONCURRENCY": str(web_workers),
            "HOST": host,
            "Q_SYNC": "0",
            "PYTHONUNBUFFERED": "1",
        }
        command = [str(scripts / "honcho"), "--procfile", str(ROOT / "Procfile"), "--app-root", str(ROOT)]
        command += ["start", "--port", str(port), "--concurrency", f"web=1,cluster={clusters}"]
        honcho = subprocess.Popen(command, env=env)

        def forward(signum, _frame):
            if honcho.poll() is None:
                honcho.send_signal(signum)

        # Ctrl-C reaches honcho from the terminal; a SIGTERM sent to this process is passed on.
        # Either way this process waits for honcho to stop everything it started.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, forward)
        honcho.wait()
        self.stdout.write("stopped.")

    def _banner(self, base: str, web_workers: int, clusters: int, name: str) -> None:
        sandbox = "on" if settings.GROUPBUY_SANDBOX else "off"
        self.stdout.write(
            "\n".join(
                [
                    "",
                    f"groupbuy at scale: gunicorn with {web_workers} workers and {clusters} qclusters on "
                    f"PostgreSQL ({name}) and Redis. Ctrl-C stops all.",
                    f"  API docs   {base}/api/docs/",
                    f"  schema     {base}/api/schema/",
                    f"  health     {base}/api/v1/health",
                    f"  admin      {base}/admin/   login: operator / operator-demo",
                    f"  sandbox    {sandbox}: log in with POST {base}/api/v1/auth/wechat-login "
                    '{"code": "sandbox-<any name>"}',
                    "",
                ]
            )
        )
        self.stdout.flush()
