"""gunicorn's settings, for `make run-scale` and production alike (`gunicorn --config
gunicorn.conf.py groupbuy.wsgi:application`); everything that differs comes from the environment."""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Sync workers: each request is a few milliseconds of database round trips. About two per core
# (the qclusters need their share of the cores too: see README, "At scale").
workers = int(os.environ.get("WEB_CONCURRENCY", 3))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
# A worker is replaced after this many requests (jittered so they do not all restart at once):
# whatever a long-lived process accumulates is given back.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = max_requests // 10
# The proxy in front (production) sets X-Forwarded-*: trust only it.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "groupbuy-web"
# No control socket: nothing here uses gunicornc, and two masters on one machine would share
# its default path.
control_socket_disable = True
