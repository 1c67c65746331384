"""Production settings pass Django's deployment checklist, and refuse to start
without their secrets. Run as a separate process: settings load once."""

import os
import subprocess
import sys
from pathlib import Path

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
