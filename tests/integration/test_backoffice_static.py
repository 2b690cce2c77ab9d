"""In production (DEBUG off) the web process itself serves the collected static files, the
back office's vendored Chart.js included (WhiteNoise): no CDN, hashed names cached for good."""

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client, override_settings

PRODUCTION_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_the_collected_chart_library_is_served_under_its_hashed_name(tmp_path):
    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES=PRODUCTION_STATIC,
        WHITENOISE_AUTOREFRESH=False,
        WHITENOISE_USE_FINDERS=False,
    ):
        # given `manage.py collectstatic`, as a deployment runs it
        call_command("collectstatic", interactive=False, verbosity=0)
        url = staticfiles_storage.url("backoffice/vendor/chartjs/chart.umd.min.js")
        # when a browser asks for it
        response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
        body = b"".join(response.streaming_content)
    # then
    assert url.startswith("/static/backoffice/vendor/chartjs/chart.umd.min.") and url.endswith(".js")
    assert (response.status_code, response["Content-Encoding"]) == (200, "gzip")
    assert "immutable" in response["Cache-Control"]
    assert len(body) > 50_000
