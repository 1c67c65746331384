"""The portal's own pages around the records: 404 and 403 (and what a 403
logs), the footer, and where links in emails point."""

import logging
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail

from contracts.reminders import send_reminders

pytestmark = pytest.mark.django_db

ROOT = Path(django_settings.BASE_DIR)


def test_in_the_demo_an_unknown_address_shows_the_portals_404_not_the_url_list(client_as, settings):
    settings.DEBUG = True
    response = client_as("practice").get("/practices/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert 'class="nhsuk-header"' in body
    # Django's debug page lists the URL patterns (other practices' pages among them).
    assert "URLconf" not in body
    assert "&lt;int:pk&gt;" not in body and "<int:pk>" not in body


def test_in_the_demo_a_record_out_of_scope_shows_the_portals_404(client_as, settings, other_practice):
    settings.DEBUG = True
    response = client_as("practice").get(f"/practices/{other_practice.ods_code}/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_a_refusal_is_logged_in_one_line_with_user_path_and_rule(client_as, caplog):
    caplog.set_level(logging.INFO)
    security_log = logging.getLogger("fedportal.security")
    security_log.addHandler(caplog.handler)  # it does not propagate to the root
    try:
        response = client_as("practice").get("/imports/")
    finally:
        security_log.removeHandler(caplog.handler)
    assert response.status_code == 403
    about = [r for r in caplog.records if "/imports/" in r.getMessage()]
    assert len(about) == 1
    line = about[0].getMessage()
    assert "user=practice" in line and "path=/imports/" in line and "rule=Only federation staff" in line
    assert "\n" not in line
    assert not any(r.exc_info for r in caplog.records)


@pytest.mark.parametrize(
    ("role", "shown", "not_shown"),
    [
        ("staff", ["Home", "Practices", "Imports"], []),
        ("practice", ["Home"], ["Imports"]),
    ],
)
def test_the_footer_lists_the_sections_of_the_menu_the_user_may_see(client_as, role, shown, not_shown):
    body = client_as(role).get("/").content.decode()
    footer = body[body.index("<footer") :]
    header = body[: body.index("<footer")]
    for label in shown:
        assert f">{label}</a>" in footer
    for label in not_shown:
        assert f">{label}</a>" not in footer
    # The same sections as the menu, in the same order.
    menu = [line for line in header.split('class="nhsuk-header__navigation-link"')[1:]]
    links = [line for line in footer.split('class="nhsuk-footer__list-item-link"')[1:]]
    assert [m.split(">")[1].split("<")[0] for m in menu] == [f.split(">")[1].split("<")[0] for f in links]


def test_reminders_link_to_the_portals_address_from_the_one_setting(settings, staff_user):
    staff_user.email = "helen@example.org"
    staff_user.save()
    settings.FEDPORTAL_BASE_URL = "http://127.0.0.1:8123"
    send_reminders(today=date(2019, 2, 15))
    bodies = [message.body for message in mail.outbox]
    links = [word for body in bodies for word in body.split() if "://" in word]
    assert links
    assert all(link.startswith("http://127.0.0.1:8123/") for link in links)


def test_make_run_sets_the_base_url_from_the_port_it_serves_on(tmp_path):
    # A stand-in for the venv's python that says what it was run with.
    fake = tmp_path / "python"
    fake.write_text('#!/bin/sh\necho "base=$FEDPORTAL_BASE_URL args=$*"\n')
    fake.chmod(0o755)
    environment = {k: v for k, v in os.environ.items() if k != "FEDPORTAL_BASE_URL"}
    result = subprocess.run(  # noqa: S603 (our own Makefile, fixed arguments)
        [
            shutil.which("make"),
            "--no-print-directory",
            "-o",
            "setup",
            "-o",
            "migrate",
            "-o",
            "demo",
            "run",
            "PORT=8123",
            f"PY={fake}",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "base=http://127.0.0.1:8123 args=manage.py runserver 127.0.0.1:8123" in result.stdout


def test_the_readme_documents_port_and_host_for_make_run():
    readme = (ROOT / "README.md").read_text()
    assert "make run PORT=" in readme
    assert "HOST=" in readme
