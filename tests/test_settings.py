import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


PRODUCTION = {"SITE_URL": "https://convene.example", "REDIS_URL": "redis://127.0.0.1:6379/0"}
SETTINGS_VARIABLES = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "REDIS_URL", "CELERY_BROKER_URL"}


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deploy_check_without_a_warning():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="convene.example", **PRODUCTION,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_debug_the_development_secret_key_is_refused_with_a_clear_message():
    result = manage("check", DEBUG="0", **PRODUCTION)
    assert result.returncode == 1
    assert "Configuration error: Convene refuses to start with DEBUG off and the development SECRET_KEY" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


def test_without_debug_a_missing_redis_is_refused():
    result = manage(
        "check", DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), SITE_URL="https://convene.example"
    )
    assert result.returncode == 1
    assert "no REDIS_URL" in result.stderr


def test_without_debug_a_plain_http_site_url_is_refused():
    result = manage(
        "check", DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), REDIS_URL="redis://127.0.0.1:6379/0",
        SITE_URL="http://convene.example",
    )  # fmt: skip
    assert result.returncode == 1
    assert "SITE_URL not on https" in result.stderr
