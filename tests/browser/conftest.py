"""The back office in a real browser: Playwright for Python driving Debian's Chromium
(`apt-get install chromium fonts-noto-cjk`; never `playwright install`), against Django's live
server on the test database, with the demo data of `make run`.

Playwright's sync API runs an event loop in the test's thread, so Django's ORM there needs
DJANGO_ALLOW_ASYNC_UNSAFE (the live server answers from its own thread). Each page a test
visits is saved as a PNG under var/screenshots/<test name>/ (not committed)."""

import io
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Chromium is missing: apt-get install -y chromium fonts-noto-cjk"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def demo(transactional_db):
    """`make run`'s demo data (seed_demo), committed so the live server sees it."""
    call_command("seed_demo", stdout=io.StringIO())


class Screens:
    """Saves each page under var/screenshots/<test>/NN-<name>.png."""

    def __init__(self, page, folder: Path) -> None:
        self.page, self.folder, self.taken = page, folder, []

    def shot(self, name: str) -> Path:
        path = self.folder / f"{len(self.taken) + 1:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)
        return path


@pytest.fixture
def page(browser, request):
    """A Chinese-speaking operator's browser tab (Accept-Language zh-CN), 1440 px wide."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


@pytest.fixture
def screens(page, request):
    folder = Path(settings.BASE_DIR) / "var" / "screenshots" / re.sub(r"\W", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return Screens(page, folder)
