from django.urls import path

from groupbuy.urls import handler404, handler500  # noqa: F401
from groupbuy.urls import urlpatterns as project_urls
from tests.benchmarks.plain_views import plain_join

urlpatterns = [path("bench/plain-join", plain_join), *project_urls]
