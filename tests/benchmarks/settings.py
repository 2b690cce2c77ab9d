"""The benchmark's settings: production settings (events go to the ORM broker, no sync mode),
persistent connections with health checks. DATABASE_URL names the throwaway PostgreSQL database."""

from groupbuy.settings import *  # noqa: F403
from groupbuy.settings import DATABASES

# DEBUG keeps every query in connection.queries: a cost production does not pay.
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
GROUPBUY_SANDBOX = True  # customers log in through the sandbox WeChat code
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # The sell-out burst answers 409 on purpose: not a warning per request.
    "loggers": {"django.request": {"level": "ERROR"}},
}
