"""The benchmark's settings: production settings (events go to the ORM broker, no sync mode)
plus the plain comparison view. DATABASE_URL names the throwaway PostgreSQL database."""

from groupbuy.settings import *  # noqa: F403

ROOT_URLCONF = "tests.benchmarks.urls"
# DEBUG keeps every query in connection.queries: a cost production does not pay.
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
GROUPBUY_SANDBOX = True  # seeding logs customers in through the sandbox WeChat code
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # The sell-out burst answers 409 on purpose: not a warning per request.
    "loggers": {"django.request": {"level": "ERROR"}},
}
