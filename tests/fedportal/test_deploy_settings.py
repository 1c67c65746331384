"""Production settings pass Django's deployment checklist, and refuse to start
without their secrets. Run as a separate process: settings load once."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "fedportal.settings.production",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x7Qp" * 12,
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    "FEDPORTAL_BASE_URL": "https://portal.example.org",
    # The checks do not connect; the server need not exist.
    "DATABASE_URL": "postgres://fedportal:secret@127.0.0.1:1/fedportal",
}


def manage(*args, env):
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "FEDPORTAL_"))
    }
    return subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_are_clean_under_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("variable", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "FEDPORTAL_BASE_URL"])
def test_a_missing_variable_is_named_in_one_line_not_a_traceback(variable):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != variable}
    result = manage("check", "--deploy", env=env)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert f"Set the environment variable {variable}" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_proxy_count_is_named():
    result = manage("check", env={**PRODUCTION_ENV, "FEDPORTAL_TRUSTED_PROXIES": "two"})
    assert result.returncode == 1
    assert "FEDPORTAL_TRUSTED_PROXIES must be a whole number" in result.stderr
