"""Membership of the federation is the federation's decision: staff keep it
on the practice form; only members count in its figures and are offered on
its contract form, however many practices an import brings."""

import re
from datetime import date

import pytest
from django.test import override_settings

from contracts.models import Contract, Organisation
from localities.models import Practice, PracticeStatus
from tests.localities.test_forms import new_practice_data
from tests.pages import error_beside

pytestmark = pytest.mark.django_db

TODAY = "2019-02-15"


def bulk(count: int, *, members: bool, start: int = 10000) -> None:
    """``count`` open practices of another commissioner (as a national ODS
    import brings), members or not."""
    Practice.objects.bulk_create(
        Practice(
            ods_code=f"Y{start + n:05d}",
            name=f"National Practice {start + n}",
            commissioner_code="99Z",
            member_from=date(2000, 1, 1) if members else None,
        )
        for n in range(count)
    )


def checkboxes(body: str) -> list[str]:
    return re.findall(r'name="practices" type="checkbox" value="(\d+)"', body)


def test_members_on_a_day_follow_the_dates(practice, other_practice):
    other_practice.member_until = date(2019, 4, 1)
    other_practice.save()
    Practice.objects.create(ods_code="Y05412", name="South Wigston Asylum Service")

    def members(day):
        return sorted(Practice.objects.members(on=day).values_list("ods_code", flat=True))

    assert members(date(2019, 3, 31)) == ["C82009", "C82010"]
    assert members(date(2019, 4, 1)) == ["C82009"]
    assert members(date(1970, 1, 1)) == []


def test_staff_make_a_practice_a_member_on_its_form(client_as, harborough):
    client = client_as("staff")
    response = client.post(
        "/practices/new/", new_practice_data(member_from="2019-01-01", locality=str(harborough.pk))
    )

    assert response.status_code == 302
    practice = Practice.objects.get(ods_code="C82099")
    assert practice.member_from == date(2019, 1, 1)
    assert practice.is_member_on(date(2019, 1, 1))
    assert "From 1 January 2019" in client.get(practice.get_absolute_url()).content.decode()


def test_a_membership_ending_before_it_starts_is_refused_beside_the_end(client_as):
    response = client_as("staff").post(
        "/practices/new/", new_practice_data(member_from="2019-01-01", member_until="2018-01-01")
    )

    assert response.status_code == 400
    assert error_beside(response.content, "member_until") == "A membership ends after it starts."
    assert not Practice.objects.filter(ods_code="C82099").exists()


@override_settings(FEDPORTAL_TODAY=TODAY)
def test_non_members_are_not_in_the_practice_counts(client_as, practice, other_practice):
    bulk(5, members=False)
    client = client_as("staff")

    assert re.search(r"2 results", client.get("/practices/?member=yes").content.decode())
    assert re.search(r"5 results", client.get("/practices/?member=no").content.decode())


@override_settings(FEDPORTAL_TODAY=TODAY)
def test_the_contract_form_offers_members_only_with_1000_non_members_present(
    client_as, practice, other_practice
):
    bulk(1000, members=False)

    response = client_as("staff").get("/contracts/new/")

    body = response.content.decode()
    assert response.status_code == 200
    assert sorted(checkboxes(body)) == sorted([str(practice.pk), str(other_practice.pk)])
    assert len(response.content) < 100_000
    # grouped by locality; no search box for two practices
    assert '<h3 class="nhsuk-heading-xs fp-picker-group">Harborough</h3>' in body
    assert 'name="practice_search"' not in body


@pytest.fixture
def contract_data(harborough):
    contractor = Organisation.objects.create(name="Jamie Bell Physiotherapy Ltd")
    return {
        "reference": "FCP-HARB",
        "title": "First Contact Physio",
        "contractor": contractor.pk,
        "start_date": "2018-09-01",
        "end_date": "2019-03-31",
        "value": "35000.00",
        "vat_rate": "20",
    }


@override_settings(FEDPORTAL_TODAY=TODAY)
def test_past_a_few_dozen_members_the_picker_is_a_search_that_works_without_javascript(
    client_as, practice, contract_data
):
    bulk(1000, members=True)
    client = client_as("staff")

    # the empty form offers no practice but a search
    first = client.get("/contracts/new/")
    assert checkboxes(first.content.decode()) == []
    assert 'name="practice_search"' in first.content.decode()
    assert len(first.content) < 100_000

    # "Find practices" posts what was typed and shows the matches, saving nothing
    wanted = Practice.objects.get(ods_code="Y10123")
    found = client.post(
        "/contracts/new/", {**contract_data, "practice_search": "Y1012", "find_practices": "1"}
    )
    body = found.content.decode()
    assert found.status_code == 200
    assert str(wanted.pk) in checkboxes(body)
    assert len(checkboxes(body)) == 10  # Y10120 .. Y10129
    assert 'value="FCP-HARB"' in body  # what was typed is kept
    assert "nhsuk-error-message" not in body
    assert not Contract.objects.exists()

    # ticked, then searched again: the ticked practice stays offered and ticked
    again = client.post(
        "/contracts/new/",
        {**contract_data, "practices": [wanted.pk], "practice_search": "Y1099", "find_practices": "1"},
    ).content.decode()
    assert f'value="{wanted.pk}" checked' in again

    # saved with a member practice chosen
    saved = client.post("/contracts/new/", {**contract_data, "practices": [wanted.pk]})
    assert saved.status_code == 302
    assert list(Contract.objects.get().practices.all()) == [wanted]


@override_settings(FEDPORTAL_TODAY=TODAY)
def test_a_non_member_cannot_be_put_on_a_contract(client_as, practice, contract_data):
    outsider = Practice.objects.create(ods_code="Y05412", name="South Wigston Asylum Service")

    response = client_as("staff").post("/contracts/new/", {**contract_data, "practices": [outsider.pk]})

    assert response.status_code == 400
    assert "Select a valid choice" in error_beside(response.content, "practices")
    assert not Contract.objects.exists()


def test_status_on_a_day_comes_from_the_dates(practice):
    Practice.objects.create(
        ods_code="C82036",
        name="Two Shires",
        status=PracticeStatus.DORMANT,
        merged_into=practice,
        merged_on=date(2019, 4, 1),
        open_date=date(1974, 4, 1),
    )
    Practice.objects.create(ods_code="C82700", name="New", open_date=date(2019, 6, 1))
    Practice.objects.create(
        ods_code="C82108", name="Closed", status=PracticeStatus.OPEN, close_date=date(2019, 3, 1)
    )
    Practice.objects.create(ods_code="C82641", name="Dormant, end unknown", status=PracticeStatus.DORMANT)

    def statuses(day):
        return dict(Practice.objects.with_status_on(day).values_list("ods_code", "status_on"))

    assert statuses(date(2019, 2, 15)) == {
        "C82009": "open",
        "C82036": "open",
        "C82700": "proposed",
        "C82108": "open",
        "C82641": "dormant",
    }
    assert statuses(date(2019, 4, 1)) == {
        "C82009": "open",
        "C82036": "dormant",
        "C82700": "proposed",
        "C82108": "closed",
        "C82641": "dormant",
    }
    for day in (date(2019, 2, 15), date(2019, 4, 1), date(2019, 7, 1)):
        open_codes = set(Practice.objects.open_on(day).values_list("ods_code", flat=True))
        assert open_codes == {code for code, status in statuses(day).items() if status == "open"}


@override_settings(FEDPORTAL_TODAY=TODAY)
def test_the_demo_marks_elrs_30_practices_members_and_two_shires_open_in_february_2019():
    from io import StringIO

    from django.core.management import call_command

    from fedportal.models import User
    from reports.dashboard import home_context

    call_command("load_demo", force=True, stdout=StringIO())

    day = date(2019, 2, 15)
    members = Practice.objects.members(on=day)
    assert members.count() == 30
    assert not Practice.objects.get(ods_code="C83653").is_member_on(day)  # the PCN's Stackyard
    two_shires = Practice.objects.with_status_on(day).get(ods_code="C82036")
    assert two_shires.status_on == PracticeStatus.OPEN
    assert not two_shires.is_member_on(date(2019, 4, 1))  # merged into Kibworth
    context = home_context(User.objects.get(username="demo-staff"), day)
    headlines = {headline.label: headline.value for headline in context["headlines"]}
    assert headlines["Open member practices"] == 30
    assert sum(locality.practice_count for locality in context["localities"]) == 30
