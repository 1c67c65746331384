"""Staff keep services, their head contracts, tariffs and evidence
requirements, and sub-contracts; every refusal is explained beside the field
to correct, and changes show in the record's history."""

import re
from datetime import date
from decimal import Decimal

import pytest

from contracts.models import (
    EvidenceRequirement,
    HeadContract,
    ScheduledClinician,
    Service,
    SubContract,
    Tariff,
)
from contracts.services.evidence import evidence_submit
from tests.contracts.conftest import pdf_upload
from tests.pages import errors_beside, input_value

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

OVERLAP = "This practice already has a sub-contract for this service in those dates."


def test_staff_add_a_head_contract_then_a_service_under_it(client_as, ccg, pcl):
    client = client_as("staff")

    # when staff add a head contract
    response = client.post(
        "/services/head-contracts/new/",
        {
            "title": "Community Based Services",
            "commissioner": ccg.pk,
            "paying_organisation": pcl.pk,
            "start_date": "2018-04-01",
            "end_date": "2021-03-31",
        },
    )

    # then they are taken to add a service under it, the head contract chosen
    head = HeadContract.objects.get(title="Community Based Services")
    assert response.status_code == 302
    assert response["Location"] == f"/services/new/?head_contract={head.pk}"
    form = client.get(response["Location"]).content.decode()
    assert f'<option value="{head.pk}" selected>' in form

    # when they add the service without a short name
    response = client.post(
        "/services/new/", {"name": "NHS Health Check", "slug": "", "head_contract": head.pk, "unit": "check"}
    )

    # then it is made from the name, and the service's page shows the head contract and who pays
    service = Service.objects.get(name="NHS Health Check")
    assert service.slug == "nhs-health-check"
    assert response["Location"] == "/services/nhs-health-check/"
    page = client.get("/services/nhs-health-check/").content.decode()
    assert "Community Based Services" in page
    assert ccg.name in page
    assert pcl.name in page


def test_a_head_contract_ending_before_it_starts_is_refused_beside_the_end_date(client_as, ccg):
    response = client_as("staff").post(
        "/services/head-contracts/new/",
        {"title": "Backwards", "commissioner": ccg.pk, "start_date": "2019-04-01", "end_date": "2019-03-31"},
    )

    assert response.status_code == 400
    assert errors_beside(response.content, "end_date") == ["The end date must be on or after the start date."]
    assert not HeadContract.objects.filter(title="Backwards").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "H. pylori breath test"}, "name", "Service with this Name already exists."),
        ({"slug": "h-pylori"}, "slug", "Service with this Slug already exists."),
        ({"slug": "new"}, "slug", "“new” is taken by the portal's own pages. Choose another."),
        ({"unit": ""}, "unit", "This field is required."),
    ],
)
def test_a_service_that_cannot_be_saved_is_explained_beside_the_field(
    client_as, h_pylori, changes, field, message
):
    data = {
        "name": "Contraception: LARC fitting",
        "slug": "",
        "head_contract": h_pylori.head_contract_id,
        "unit": "fitting",
    }
    data.update(changes)

    response = client_as("staff").post("/services/new/", data)

    assert response.status_code == 400
    assert errors_beside(response.content, field) == [message]
    assert Service.objects.count() == 1


def test_staff_add_tariffs_and_a_duplicate_date_is_refused_beside_it(client_as, h_pylori, time_machine):
    time_machine.move_to(date(2019, 6, 1))
    client = client_as("staff")

    # when staff add a new tariff from 1 April 2019
    response = client.post(
        "/services/h-pylori/tariffs/new/",
        {"effective_from": "2019-04-01", "unit_price": "27.50", "note": "2019/20"},
    )

    # then both tariffs are shown, the new one in force today
    assert response.status_code == 302
    page = client.get("/services/h-pylori/").content.decode()
    assert "£25.00" in page
    assert re.search(r"1 April 2019 <strong[^>]*>In force today</strong>", page)

    # when they add another from the same date
    response = client.post(
        "/services/h-pylori/tariffs/new/", {"effective_from": "2019-04-01", "unit_price": "30"}
    )

    # then it is refused beside the date, and the first stays
    assert response.status_code == 400
    assert errors_beside(response.content, "effective_from") == [
        "This service already has a tariff from that date."
    ]
    assert Tariff.objects.get(service=h_pylori, effective_from=date(2019, 4, 1)).unit_price == Decimal(
        "27.50"
    )


def test_a_negative_price_is_refused_beside_the_price(client_as, h_pylori):
    response = client_as("staff").post(
        "/services/h-pylori/tariffs/new/", {"effective_from": "2019-04-01", "unit_price": "-1"}
    )

    assert response.status_code == 400
    assert errors_beside(response.content, "unit_price") == ["The unit price cannot be negative."]


def test_staff_add_a_requirement_and_stop_asking_for_it(client_as, h_pylori, subcontract, indemnity):
    client = client_as("staff")

    # when staff add a requirement
    response = client.post(
        "/services/h-pylori/requirements/new/",
        {"name": "DPO self-assessment", "has_expiry": "on", "position": "5", "active": "on"},
    )
    assert response.status_code == 302
    added = EvidenceRequirement.objects.get(name="DPO self-assessment")

    # then practices are asked for it
    page = client.get(f"/subcontracts/{subcontract.pk}/").content.decode()
    assert f'data-requirement="{added.pk}"' in page

    # when staff stop asking for it (untick "required now")
    response = client.post(
        f"/services/requirements/{added.pk}/edit/",
        {"name": "DPO self-assessment", "has_expiry": "on", "position": "5"},
    )

    # then it is kept but no longer asked for, nor offered on the upload form
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.active is False
    assert (
        f'data-requirement="{added.pk}"'
        not in client.get(f"/subcontracts/{subcontract.pk}/").content.decode()
    )
    form = client.get(f"/subcontracts/{subcontract.pk}/evidence/new/").content.decode()
    assert "DPO self-assessment" not in form
    assert "No longer" in client.get("/services/h-pylori/").content.decode()


def test_a_duplicate_requirement_name_is_refused_beside_the_name(client_as, indemnity):
    response = client_as("staff").post(
        "/services/h-pylori/requirements/new/",
        {"name": "Indemnity certificate", "position": "1", "active": "on"},
    )

    assert response.status_code == 400
    assert errors_beside(response.content, "name") == [
        "This service already requires evidence with that name."
    ]


def test_a_requirement_with_evidence_cannot_become_a_schedule(client_as, subcontract, indemnity, staff_user):
    # given evidence uploaded for the indemnity requirement
    evidence_submit(
        subcontract=subcontract,
        requirement=indemnity,
        upload=pdf_upload(),
        description="MDU",
        valid_from=None,
        valid_to=date(2020, 1, 1),
        user=staff_user,
    )

    # when staff try to make it a schedule of clinicians
    response = client_as("staff").post(
        f"/services/requirements/{indemnity.pk}/edit/",
        {
            "name": "Indemnity certificate",
            "has_expiry": "on",
            "is_clinician_schedule": "on",
            "position": "1",
            "active": "on",
        },
    )

    # then it is refused beside that field, and nothing changes
    assert response.status_code == 400
    assert "cannot change" in errors_beside(response.content, "is_clinician_schedule")[0]
    indemnity.refresh_from_db()
    assert indemnity.is_clinician_schedule is False


def test_staff_add_a_sub_contract_and_see_who_did_in_its_history(client_as, practice, h_pylori):
    client = client_as("staff")

    # when staff add a sub-contract
    response = client.post(
        "/subcontracts/new/",
        {
            "practice": practice.pk,
            "service": h_pylori.pk,
            "start_date": "2018-04-01",
            "notes": "Signed 28/3/18",
        },
    )

    # then it exists and its page shows who created it
    subcontract = SubContract.objects.get()
    assert response["Location"] == f"/subcontracts/{subcontract.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "History of changes" in page
    assert re.search(
        r"<td class=\"nhsuk-table__cell\">\s*Helen Parker created this sub-contract, starting 1 April 2018",
        page,
    )
    # and the practice sees it too, but not the board (it holds the practice's uploads)
    assert "History of changes" in client_as("practice").get(response["Location"]).content.decode()
    assert "History of changes" not in client_as("board").get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("start", "end"),
    [("2019-01-01", ""), ("2017-01-01", "2018-04-01"), ("2017-01-01", "")],
)
def test_an_overlapping_sub_contract_is_refused_beside_the_dates(client_as, subcontract, start, end):
    # given the practice's open-ended sub-contract from 1 April 2018
    # when staff add another for the same practice and service that overlaps it
    response = client_as("staff").post(
        "/subcontracts/new/",
        {
            "practice": subcontract.practice_id,
            "service": subcontract.service_id,
            "start_date": start,
            "end_date": end,
        },
    )

    # then the constraint's message is beside the start date, and what was typed is kept
    assert response.status_code == 400
    assert errors_beside(response.content, "start_date") == [OVERLAP]
    assert input_value(response.content, "start_date") == start
    assert SubContract.objects.count() == 1


def test_a_sub_contract_after_one_that_ended_is_accepted(client_as, practice, h_pylori):
    SubContract.objects.create(
        practice=practice, service=h_pylori, start_date=date(2017, 4, 1), end_date=date(2018, 3, 31)
    )

    response = client_as("staff").post(
        "/subcontracts/new/", {"practice": practice.pk, "service": h_pylori.pk, "start_date": "2018-04-01"}
    )

    assert response.status_code == 302
    assert SubContract.objects.count() == 2


def test_a_sub_contract_ending_before_it_starts_is_refused_beside_the_end_date(client_as, practice, h_pylori):
    response = client_as("staff").post(
        "/subcontracts/new/",
        {
            "practice": practice.pk,
            "service": h_pylori.pk,
            "start_date": "2019-04-01",
            "end_date": "2019-03-01",
        },
    )

    assert response.status_code == 400
    assert errors_beside(response.content, "end_date") == ["The end date must be on or after the start date."]


def test_removing_a_clinician_keeps_them_with_the_first_date(client_as, subcontract, fitters, time_machine):
    # given a clinician on the schedule
    clinician = ScheduledClinician.objects.create(subcontract=subcontract, name="Dr Ann Fitter")

    # when the practice removes them on one day, and again the next (signed in afresh)
    time_machine.move_to(date(2019, 2, 1))
    client_as("practice").post(f"/subcontracts/clinicians/{clinician.pk}/remove/")
    time_machine.move_to(date(2019, 2, 2))
    client = client_as("practice")
    response = client.post(f"/subcontracts/clinicians/{clinician.pk}/remove/")

    # then they stay on record, removed on the first date, and are no longer offered for uploads
    assert response["Location"] == f"/subcontracts/{subcontract.pk}/"
    clinician.refresh_from_db()
    assert clinician.removed_on == date(2019, 2, 1)
    form = client.get(f"/subcontracts/{subcontract.pk}/evidence/new/").content.decode()
    assert f'<option value="{clinician.pk}"' not in form
    # and a GET does not remove anyone
    assert client.get(f"/subcontracts/clinicians/{clinician.pk}/remove/").status_code == 405


def test_a_clinician_needs_a_name(client_as, subcontract):
    response = client_as("practice").post(f"/subcontracts/{subcontract.pk}/clinicians/new/", {"role": "GP"})

    assert response.status_code == 400
    assert errors_beside(response.content, "name") == ["This field is required."]
    assert 'value="GP"' in response.content.decode()


def test_the_service_list_shows_todays_tariff_and_active_sub_contracts(
    client_as, subcontract, other_subcontract
):
    staff_page = client_as("staff").get("/services/").content.decode()
    board_page = client_as("board").get("/services/").content.decode()

    assert "£25.00" in staff_page
    assert re.search(r'<td class="nhsuk-table__cell fp-numeric">.*?2</td>\s*</tr>', staff_page, re.S)
    assert "Add a service" in staff_page
    assert "Add a service" not in board_page


@pytest.mark.parametrize(
    "path", ["/services/new/?head_contract=²", "/subcontracts/new/?practice=x&service=²"]
)
def test_a_nonsense_preselection_still_shows_the_form(client_as, h_pylori, path):
    assert client_as("staff").get(path).status_code == 200


def test_staff_end_a_sub_contract_and_the_change_is_in_its_history(client_as, subcontract):
    client = client_as("staff")
    url = f"/subcontracts/{subcontract.pk}/edit/"
    # given the practice's open-ended sub-contract, whose page offers the change to staff
    assert url in client.get(f"/subcontracts/{subcontract.pk}/").content.decode()
    form = client.get(url).content.decode()
    assert input_value(form, "start_date") == "2018-04-01"

    # when staff end it on 31 March 2019
    response = client.post(
        url, {"start_date": "2018-04-01", "end_date": "2019-03-31", "notes": "Practice gave notice"}
    )

    # then it ends then, and its history says who changed what
    assert response.status_code == 302
    subcontract.refresh_from_db()
    assert subcontract.end_date == date(2019, 3, 31)
    assert subcontract.notes == "Practice gave notice"
    entries = client.get(f"/subcontracts/{subcontract.pk}/").context["history"]
    change = next(e for e in entries if e.action == "Changed")
    assert change.who == "Helen Parker"
    assert "end date" in [c.field for c in change.changes]


def test_ending_a_sub_contract_before_it_starts_is_refused_and_nothing_changes(client_as, subcontract):
    response = client_as("staff").post(
        f"/subcontracts/{subcontract.pk}/edit/", {"start_date": "2018-04-01", "end_date": "2018-01-31"}
    )
    assert response.status_code == 400
    assert errors_beside(response.content, "end_date") == ["The end date must be on or after the start date."]
    assert input_value(response.content, "end_date") == "2018-01-31"
    subcontract.refresh_from_db()
    assert subcontract.end_date is None


def test_moving_a_sub_contract_over_another_is_refused(client_as, subcontract, practice, h_pylori):
    # given the practice's earlier sub-contract for the same service
    earlier = SubContract.objects.create(
        practice=practice, service=h_pylori, start_date=date(2016, 4, 1), end_date=date(2017, 3, 31)
    )
    # when staff extend the earlier one into the current one
    response = client_as("staff").post(
        f"/subcontracts/{earlier.pk}/edit/", {"start_date": "2016-04-01", "end_date": "2018-06-30"}
    )
    # then the overlap is refused beside the dates
    assert response.status_code == 400
    assert errors_beside(response.content, "start_date") == [OVERLAP]


@pytest.mark.parametrize(("role", "status"), [("practice", 403), ("board", 403), ("anonymous", 302)])
def test_only_staff_change_a_sub_contract(client_as, subcontract, role, status):
    url = f"/subcontracts/{subcontract.pk}/edit/"
    assert client_as(role).get(url).status_code == status
    assert (
        client_as(role).post(url, {"start_date": "2018-04-01", "end_date": "2018-05-01"}).status_code
        == status
    )
    subcontract.refresh_from_db()
    assert subcontract.end_date is None


def test_a_missing_sub_contract_is_404_to_staff(client_as):
    assert client_as("staff").get("/subcontracts/999999/edit/").status_code == 404
