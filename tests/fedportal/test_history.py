"""History of changes (django-pghistory triggers) shown on a record's page:
who changed what, before and after."""

import re
from datetime import date

import pytest

from fedportal.history import history_for
from localities.models import ListSize, Practice

# Each request commits on its own, as in production: PostgreSQL stamps events
# with their transaction's time, so one test-wide transaction would give every
# event the same time.
pytestmark = pytest.mark.django_db(transaction=True)


def history_rows(body: str) -> list[str]:
    section = body[body.index('id="history"') :]
    rows = re.findall(r'<tr class="nhsuk-table__row">(.*?)</tr>', section, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def test_an_edit_through_the_form_is_shown_on_the_practice_page_naming_the_user(
    client_for, staff_user, practice, rutland
):
    client = client_for(staff_user)

    # when staff rename the practice and move it to Rutland
    client.post(
        f"/practices/{practice.ods_code}/edit/",
        {
            "ods_code": practice.ods_code,
            "name": "Market Harborough MC",
            "postcode": practice.postcode,
            "locality": rutland.pk,
            "status": "open",
            "open_date": "1974-04-01",
        },
    )

    # then the practice page shows the change first, by Helen Parker, with before and after
    rows = history_rows(client.get(f"/practices/{practice.ods_code}/").content.decode())
    assert "Helen Parker changed the " in rows[0]
    assert "Name: Market Harborough Medical Centre → Market Harborough MC" in rows[0]
    assert "Locality: Harborough → Rutland" in rows[0]
    # and the practice's creation (outside any request) is there too
    assert any("The portal added this practice to the portal" in row for row in rows[1:])


def test_a_list_size_recorded_through_the_form_is_in_the_practice_history(client_for, staff_user, practice):
    client = client_for(staff_user)

    client.post(
        f"/practices/{practice.ods_code}/list-sizes/new/",
        {"as_at": "2019-04-01", "registered_patients": "21700"},
    )

    rows = history_rows(client.get(f"/practices/{practice.ods_code}/").content.decode())
    assert "Helen Parker recorded a list size of 21,700 registered patients at 1 April 2019" in rows[0]


def test_bulk_updates_are_caught_by_the_triggers(practice, staff_user):
    # when a practice is changed with a queryset update (no signals, no save())
    Practice.objects.filter(pk=practice.pk).update(postcode="LE16 7AA")

    entries = history_for(practice, user=staff_user)

    assert entries[0].action == "Changed"
    assert [(c.field, c.before, c.after) for c in entries[0].changes] == [
        ("postcode", "LE16 9BX", "LE16 7AA")
    ]


def test_history_is_newest_first_and_hides_bookkeeping_fields(practice, staff_user):
    practice.name = "Renamed"
    practice.save()
    ListSize.objects.create(practice=practice, as_at=date(2019, 4, 1), registered_patients=1)

    entries = history_for(practice, user=staff_user)

    assert [e.action.split(":")[0] for e in entries] == [
        "Created list size",
        "Changed",
        "Created list size",
        "Created",
    ]
    assert all(c.field not in ("updated_at", "id") for e in entries for c in e.changes)


@pytest.mark.django_db(transaction=False)
def test_changes_in_one_transaction_keep_their_order(harborough, staff_user):
    # given a practice created and then changed in one transaction, as an import does
    practice = Practice.objects.create(ods_code="C82001", name="First", locality=harborough)
    Practice.objects.filter(pk=practice.pk).update(name="Second")
    Practice.objects.filter(pk=practice.pk).update(name="Third")

    entries = history_for(practice, user=staff_user)

    # then the newest change still comes first
    assert [(e.action, [(c.before, c.after) for c in e.changes]) for e in entries] == [
        ("Changed", [("Second", "Third")]),
        ("Changed", [("First", "Second")]),
        ("Created", []),
    ]
