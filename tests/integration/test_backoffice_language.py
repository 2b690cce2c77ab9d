"""Every text the project shows in the back office has its Simplified Chinese, and the catalogs
on disk are complete and compiled: a string added without its translation fails here."""

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.contrib.auth.models import AbstractUser
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.utils import translation
from django.utils.functional import Promise

from contexts.identity.models import User

pytestmark = pytest.mark.django_db

CATALOG = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
PROJECT_APPS = {c.label for c in apps.get_app_configs() if c.name.startswith(("contexts.", "bff"))}
DJANGO_USER_FIELDS = {field.name for field in AbstractUser._meta.get_fields()}


def translated_identically() -> set[str]:
    """msgids whose Chinese is the same text (ID, HTTP Accept …)."""
    return {e.msgid for e in polib.pofile(str(CATALOG / "django.po")) if e.msgstr == e.msgid}


def model_texts(model) -> list[tuple[str, object]]:
    meta = model._meta
    texts = [(f"{meta.label} name", meta.verbose_name), (f"{meta.label} plural", meta.verbose_name_plural)]
    for field in meta.get_fields():
        if field.auto_created or not field.concrete:
            continue
        if model is User and field.name in DJANGO_USER_FIELDS:
            continue  # Django's own fields, in Django's catalog
        where = f"{meta.label}.{field.name}"
        texts.append((where, field.verbose_name))
        if field.help_text:
            texts.append((f"{where} help", field.help_text))
        texts += [(f"{where} choice {value}", label) for value, label in field.flatchoices]
    return texts


def admin_texts(model, model_admin, request) -> list[tuple[str, object]]:
    where = f"{model._meta.label} admin"
    texts = []
    for item in model_admin.get_list_display(request):
        if model is User and item in DJANGO_USER_FIELDS:
            continue
        texts.append((f"{where} column {item}", label_for_field(item, model, model_admin)))
    for item in model_admin.get_list_filter(request):
        if isinstance(item, type) and issubclass(item, admin.SimpleListFilter):
            chosen = item(request, {}, model, model_admin)
            texts.append((f"{where} filter", chosen.title))
            texts += [(f"{where} filter choice", label) for _value, label in chosen.lookup_choices]
    for _function, name, description in model_admin.get_actions(request).values():
        texts.append((f"{where} action {name}", description))
    if model_admin.search_fields:
        texts.append((f"{where} search help", model_admin.search_help_text))
    for name, options in model_admin.get_fieldsets(request):
        if name:
            texts.append((f"{where} fieldset", name))
        for item in options["fields"]:
            if not isinstance(item, str):
                texts.append((f"{where} field", label_for_field(item, model, model_admin)))
    for inline in model_admin.get_inline_instances(request):
        texts += model_texts(inline.model)
        texts.append((f"{where} inline", inline.verbose_name_plural))
        for item in inline.get_fields(request):
            if not isinstance(item, str):
                texts.append((f"{where} inline field", label_for_field(item, inline.model, inline)))
    return texts


def shown_texts() -> list[tuple[str, object]]:
    request = RequestFactory().get("/admin/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    site = admin.site
    texts = [("site header", site.site_header), ("site title", site.site_title), ("index", site.index_title)]
    texts += [(f"app {label}", apps.get_app_config(label).verbose_name) for label in PROJECT_APPS]
    for model in apps.get_models():
        if not site.is_registered(model):
            continue
        model_admin = site.get_model_admin(model)
        project_admin = type(model_admin).__module__.startswith(("contexts.", "bff"))
        if model._meta.app_label in PROJECT_APPS:
            texts += model_texts(model)
        if project_admin:
            texts += admin_texts(model, model_admin, request)
    return texts


def test_every_project_text_in_the_admin_is_marked_and_has_its_chinese():
    # given every text the admin shows of the project's apps, models, fields and admins
    texts = shown_texts()
    identical = translated_identically()
    # when each is read in both languages
    missing = []
    for where, text in texts:
        if not isinstance(text, Promise):
            missing.append(f"{where}: {text!r} is not marked for translation")
            continue
        with translation.override("en"):
            english = str(text)
        with translation.override("zh-hans"):
            chinese = str(text)
        if chinese == english and english not in identical:
            missing.append(f"{where}: {english!r} has no Chinese")
    # then none is left in English
    assert len(texts) > 800
    assert missing == []


def test_the_catalog_has_a_chinese_text_for_every_entry_and_its_compiled_copy_is_current():
    source = polib.pofile(str(CATALOG / "django.po"))
    compiled = polib.mofile(str(CATALOG / "django.mo"))
    untranslated = [e.msgid for e in source if not e.translated()]
    fuzzy = [e.msgid for e in source if "fuzzy" in e.flags]
    assert (untranslated, fuzzy) == ([], [])

    def entries(catalog):
        return {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in catalog
            if e.msgid
        }

    assert entries(compiled) == entries(source)


def test_every_marked_string_of_the_code_is_in_the_catalog(tmp_path, monkeypatch):
    # given a copy of the project's sources (makemessages writes next to the `locale` it finds),
    # read again by makemessages with GNU gettext's xgettext
    assert shutil.which("xgettext"), "xgettext is missing: apt-get install gettext"
    for folder in ("contexts", "bff", "templates"):
        shutil.copytree(
            Path(settings.BASE_DIR) / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("makemessages", locale=["zh_Hans"], no_location=True, verbosity=0)
    fresh = polib.pofile(str(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOG / "django.po")) if e.translated()}
    # then every msgid it finds has its translation in the committed catalog
    assert sorted((e.msgctxt or "", e.msgid) for e in fresh if (e.msgctxt, e.msgid) not in committed) == []
    assert len(fresh) > 600


def test_the_compiled_catalog_loads_with_gnu_msgfmt_checks(tmp_path):
    # msgfmt --check-format: every {name} and %(name)s of a msgid is in its translation
    checked = subprocess.run(
        ["msgfmt", "--check-format", "-o", str(tmp_path / "django.mo"), str(CATALOG / "django.po")],
        capture_output=True,
        text=True,
    )
    assert (checked.returncode, checked.stderr) == (0, "")
