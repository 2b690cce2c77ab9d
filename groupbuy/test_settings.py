"""The test suite: the production settings, with django-q2 running tasks inline (the same
code path as the cluster) and a fast password hasher."""

from groupbuy.settings import *  # noqa: F403
from groupbuy.settings import Q_CLUSTER

Q_CLUSTER = {**Q_CLUSTER, "sync": True}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
GROUPBUY_SANDBOX = True
