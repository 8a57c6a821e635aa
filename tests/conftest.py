import os
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
REAL_SERVICE_MARKS = {"integration": TESTS / "integration", "e2e": TESTS / "e2e"}


def pytest_collection_modifyitems(config, items):
    # A test's folder says what it needs: tests/integration and tests/e2e are marked by where they live.
    for item in items:
        path = Path(str(item.fspath))
        for mark, folder in REAL_SERVICE_MARKS.items():
            if folder in path.parents:
                item.add_marker(getattr(pytest.mark, mark))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    # In CI a skipped integration or browser test is a missing check, not a pass.
    if (
        os.environ.get("CI", "").lower() in {"1", "true", "yes"}
        and report.skipped
        and any(item.get_closest_marker(mark) for mark in REAL_SERVICE_MARKS)
    ):
        report.outcome = "failed"
        report.longrepr = f"Skipped in CI, which must run it: {report.longrepr}"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english_first():
    # A request leaves its language active in the thread; each test starts in English.
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness protects real passwords, not test ones.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _clear_cache() -> None:
    from django.conf import settings
    from django.core.cache import cache

    prefix = settings.CACHES["default"].get("KEY_PREFIX")
    if prefix:
        # Redis: cache.clear() would flush the database and with it Celery's queues.
        client = cache._cache.get_client(write=True)
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)
    else:
        cache.clear()


@pytest.fixture
def staff_client(client, db):
    """A client signed in as staff with two-factor set up, as the admin requires."""
    from tests.factories import StaffFactory

    client.force_login(StaffFactory())
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth's rate limits live in the cache: one test's failed logins must not lock out the next.
    _clear_cache()
    yield
    _clear_cache()
