"""Browser tests: Debian's Chromium driven by Playwright's sync API against pytest-django's live server.

One browser for the whole session; every test gets a fresh context (no cookies, no storage), so the
tests stay independent and fast. The live server serves static files itself (pytest-django uses
staticfiles' StaticFilesHandler), so Bootstrap loads without collectstatic; helpers.screenshot
checks that it does on every page it saves.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.helpers import PageProblems
from tests.services import celery_workers, mailbox, real_services, smtp_server  # noqa: F401

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-dev-shm-usage",
]
# Generous for a slow CI machine, but a hung page still fails in seconds, not minutes.
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium; .ci/run does it)")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # Playwright's event loop runs in this thread, so Django would refuse the ORM in tests without it.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context):
    """A fresh tab that records failed static files, server errors and JavaScript errors."""
    page = context.new_page()
    page.problems = PageProblems(page)
    return page
