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
# The project's logs (a line per request; the sell-out burst's 409s are no warnings) and metrics,
# as production runs them: the benchmark pays for both. gunicorn writes its output to a file.
METRICS_ENABLED = True
