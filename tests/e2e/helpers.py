"""Helpers for the browser tests: a clean-load check, a styled-page check and screenshots."""

from __future__ import annotations

import re
from pathlib import Path

SCREENS = Path(__file__).resolve().parent / "screens"  # git-ignored
PASSWORD = "a-long-and-unusual-passphrase-42"


class PageProblems:
    """What went wrong while pages loaded: failed static files, server errors, JavaScript errors."""

    def __init__(self, page) -> None:
        self.failures: list[str] = []
        page.on("response", self._response)
        page.on("requestfailed", self._request_failed)
        page.on("pageerror", lambda error: self.failures.append(f"JavaScript error: {error}"))

    def _response(self, response) -> None:
        # A 4xx page is sometimes the point (the 404 page); a 4xx static file or any 5xx never is.
        if response.status >= 500 or (response.status >= 400 and "/static/" in response.url):
            self.failures.append(f"{response.url}: HTTP {response.status}")

    def _request_failed(self, request) -> None:
        # Leaving a page aborts what it was still loading: that is the browser, not the server.
        if request.failure != "net::ERR_ABORTED":
            self.failures.append(f"{request.url}: {request.failure}")

    def check(self) -> None:
        assert not self.failures, "The page did not load cleanly:\n" + "\n".join(self.failures)


def assert_styled(page) -> None:
    """Both stylesheets were served with rules in them, and Bootstrap and convene.css both apply."""
    sheets = page.evaluate(
        """() => [...document.styleSheets].map(sheet => {
            try { return [sheet.href || '', sheet.cssRules.length]; } catch (e) { return [sheet.href, -1]; }
        })"""
    )
    hrefs = [href for href, _ in sheets]
    assert any(href.endswith("/bootstrap.min.css") for href in hrefs), f"no Bootstrap stylesheet in {hrefs}"
    assert any(href.endswith("/convene.css") for href in hrefs), f"no convene.css in {hrefs}"
    empty = [href for href, rules in sheets if rules <= 0]
    assert not empty, f"stylesheets without rules (not served?): {empty}"
    styles = page.evaluate(
        """() => ({
            navbar: getComputedStyle(document.querySelector('nav.navbar')).backgroundColor,
            container: getComputedStyle(document.querySelector('main.container')).maxWidth,
        })"""
    )
    assert styles["navbar"] == "rgb(29, 78, 137)", f"convene.css does not apply: {styles}"
    assert styles["container"] != "none", f"Bootstrap's grid does not apply: {styles}"


def screenshot(page, name: str) -> Path:
    """Check that the page loaded cleanly and is styled, then save it as tests/e2e/screens/<name>.png."""
    page.wait_for_load_state("load")
    page.problems.check()
    assert_styled(page)
    SCREENS.mkdir(exist_ok=True)
    path = SCREENS / f"{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def field(page, label: str):
    """The form field labelled `label`, with or without crispy's required-field asterisk."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))
