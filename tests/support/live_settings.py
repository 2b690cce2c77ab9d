"""Settings of live processes that need the event probe (tests.support.probe): the real
settings plus the probe app."""

import os

from groupbuy.settings import *  # noqa: F403
from groupbuy.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.support.probe"]
PROBE_HANDLER_SECONDS = float(os.environ.get("PROBE_HANDLER_SECONDS", 0.002))
