"""The history on a page never names a record its reader cannot see: on a
practice's page and a sub-contract's, an entry about another record (a list
size, a contract covering the practice, a sub-contract, a merged practice, a
return, evidence and its decision, a clinician) is left out when the reader
may not see that record, and a change pointing to one does not name it."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts.models import ActivityReturn, EvidenceSubmission, Organisation, ScheduledClinician, SubContract
from contracts.services.evidence import evidence_review
from contracts.services.held import contract_archive, contract_save
from contracts.services.subcontracts import clinician_add
from fedportal.history import NOT_VISIBLE, history_for
from localities.models import ListSize, Practice
from tests.contracts import conftest as contracts
from tests.contracts.helpers import Q2, Q3, make_evidence, make_return

pytestmark = pytest.mark.django_db

# The contracts tests' world: the H. pylori service and its evidence
# requirements, a sub-contract for the practice user's practice and one for
# another practice, and the seed's month (February 2019).
ccg, pcl, h_pylori, indemnity = contracts.ccg, contracts.pcl, contracts.h_pylori, contracts.indemnity
subcontract, other_subcontract = contracts.subcontract, contracts.other_subcontract
february_2019 = contracts.february_2019

SECRET = "SECRET draft rival bid"


def history(client, url) -> list[str]:
    """The page's history entries as the reader sees them, one line each."""
    response = client.get(url)
    assert response.status_code == 200
    return [
        " ".join([entry.action, *(f"{c.field}: {c.before} → {c.after}" for c in entry.changes)])
        for entry in response.context["history"]
    ]


def practice_page(practice) -> str:
    return f"/practices/{practice.ods_code}/"


def cover(practice, user, *, title, reference, contractor="Jamie Bell Physiotherapy Ltd", is_draft=False):
    """A contract covering ``practice``, saved by staff through the service."""
    return contract_save(
        reference=reference,
        title=title,
        contractor=Organisation.objects.get_or_create(name=contractor)[0],
        practices=[practice],
        start_date=date(2019, 4, 1),
        end_date=date(2020, 3, 31),
        value=Decimal("48000.00"),
        vat_rate=Decimal("20.00"),
        is_draft=is_draft,
        user=user,
    )


def test_history_for_needs_the_reader(practice):
    # so that no page can show a history without scoping it
    with pytest.raises(TypeError):
        history_for(practice)


# ---------------------------------------------------------------- contracts covering the practice


def test_a_draft_contract_covering_the_practice_is_never_named_to_the_practice(
    client_for, staff_user, practice_user, practice, subcontract
):
    # given staff drafting a rival bid that covers the practice
    draft = cover(
        practice,
        staff_user,
        title=SECRET,
        reference="CLAR-1",
        contractor="Clarity Informatics Ltd",
        is_draft=True,
    )
    staff, practice_client = client_for(staff_user), client_for(practice_user)
    pages = [practice_page(practice), f"/subcontracts/{subcontract.pk}/"]

    # then the practice cannot open it, and neither of its pages names it
    assert practice_client.get(f"/contracts/{draft.pk}/").status_code == 404
    for page in pages:
        response = practice_client.get(page)
        assert response.status_code == 200
        assert SECRET not in response.content.decode()
        assert "Clarity" not in response.content.decode()
    # while staff see who added the practice to it
    assert "Added practice covered: SECRET draft rival bid (Clarity Informatics Ltd)" in history(
        staff, practice_page(practice)
    )

    # when staff archive the draft
    contract_archive(contract=draft, user=staff_user)

    # then the practice still never sees it
    for page in pages:
        assert SECRET not in practice_client.get(page).content.decode()
    # and, archived, it has left staff's pages too (its own page is 404 for
    # them), so the practice's history no longer names it to them either
    assert staff.get(f"/contracts/{draft.pk}/").status_code == 404
    assert SECRET not in staff.get(practice_page(practice)).content.decode()


@pytest.mark.parametrize(
    ("is_draft", "archived", "seen_by_practice", "seen_by_staff"),
    [
        (False, False, True, True),  # signed: the practice sees the contracts covering it
        (True, False, False, True),  # a draft: staff only
        (False, True, False, False),  # archived: out of every page
    ],
)
def test_a_contract_covering_the_practice_is_in_its_history_when_the_reader_sees_the_contract(
    client_for, staff_user, practice_user, practice, is_draft, archived, seen_by_practice, seen_by_staff
):
    contract = cover(practice, staff_user, title="First Contact Physio", reference="FCP-1", is_draft=is_draft)
    if archived:
        contract_archive(contract=contract, user=staff_user)
    entry = "Added practice covered: First Contact Physio (Jamie Bell Physiotherapy Ltd)"

    assert (entry in history(client_for(practice_user), practice_page(practice))) is seen_by_practice
    assert (entry in history(client_for(staff_user), practice_page(practice))) is seen_by_staff


# ---------------------------------------------------------------- the practice's other records


def test_a_list_size_now_of_another_practice_is_left_out(
    client_for, staff_user, practice_user, practice, other_practice
):
    # given the practice's own figure, and one recorded against it by mistake
    # and then moved to the practice it belongs to
    ListSize.objects.create(practice=practice, as_at=date(2019, 4, 1), registered_patients=21700)
    wrong = ListSize.objects.create(practice=practice, as_at=date(2019, 7, 1), registered_patients=31337)
    ListSize.objects.filter(pk=wrong.pk).update(practice=other_practice)

    seen = history(client_for(practice_user), practice_page(practice))
    assert any("registered patients 21700" in entry for entry in seen)
    assert not any("31337" in entry for entry in seen)
    assert any(
        "registered patients 31337" in entry
        for entry in history(client_for(staff_user), practice_page(practice))
    )


def test_a_sub_contract_now_of_another_practice_is_left_out(
    client_for, staff_user, practice_user, practice, other_practice, subcontract, h_pylori
):
    # given the practice's sub-contract, and an earlier one moved to another practice
    earlier = SubContract.objects.create(
        practice=practice, service=h_pylori, start_date=date(2017, 4, 1), end_date=date(2018, 3, 31)
    )
    SubContract.objects.filter(pk=earlier.pk).update(practice=other_practice)

    def created(client):
        return [e for e in history(client, practice_page(practice)) if e.startswith("Created sub contract")]

    assert len(created(client_for(practice_user))) == 1
    assert len(created(client_for(staff_user))) == 2


def test_a_practice_merged_into_this_one_is_not_named_to_its_users(
    client_for, staff_user, practice_user, practice, other_practice
):
    # given another practice that merged into this one
    Practice.objects.filter(pk=other_practice.pk).update(merged_into=practice, merged_on=date(2019, 4, 1))

    seen = history(client_for(practice_user), practice_page(practice))
    assert not any("Oakham" in entry or "C82010" in entry for entry in seen)
    assert any(
        entry.startswith("Changed practice: ODS code C82010, name Oakham Medical Practice")
        for entry in history(client_for(staff_user), practice_page(practice))
    )


def test_a_change_of_the_practice_pointing_to_what_its_users_cannot_see_does_not_name_it(
    client_for, staff_user, practice_user, practice, other_practice, rutland
):
    # given the practice moved to Rutland and back, and later merged into another practice
    Practice.objects.filter(pk=practice.pk).update(locality=rutland)
    Practice.objects.filter(pk=practice.pk).update(locality=practice.locality)
    Practice.objects.filter(pk=practice.pk).update(merged_into=other_practice, merged_on=date(2019, 4, 1))

    # then its users see that the changes happened, not where to
    seen = history(client_for(practice_user), practice_page(practice))
    assert any(f"locality: Harborough → {NOT_VISIBLE}" in entry for entry in seen)
    assert any(f"locality: {NOT_VISIBLE} → Harborough" in entry for entry in seen)
    assert any(f"merged into: None → {NOT_VISIBLE}" in entry for entry in seen)
    assert not any("Rutland" in entry or "Oakham" in entry for entry in seen)
    # while staff see every name
    staff_seen = history(client_for(staff_user), practice_page(practice))
    assert any("locality: Harborough → Rutland" in entry for entry in staff_seen)
    assert any("merged into: None → Oakham Medical Practice (C82010)" in entry for entry in staff_seen)


# ---------------------------------------------------------------- a sub-contract's records


@pytest.mark.usefixtures("february_2019")
def test_a_return_now_of_another_practice_is_left_out(
    client_for, staff_user, practice_user, subcontract, other_subcontract
):
    # given the practice's approved Q2 return, and a Q3 return moved to another practice's sub-contract
    make_return(subcontract, practice_user, quarter=Q2, approved_by=staff_user)
    moved = make_return(subcontract, practice_user, quarter=Q3)
    ActivityReturn.objects.filter(pk=moved.pk).update(subcontract=other_subcontract)
    page = f"/subcontracts/{subcontract.pk}/"

    seen = history(client_for(practice_user), page)
    assert any(e.startswith("Created activity return: year 2018, quarter 2") for e in seen)
    assert any(e.startswith("Changed activity return: year 2018, quarter 2") for e in seen)  # the approval
    assert not any("quarter 3" in e for e in seen)
    assert any("quarter 3" in e for e in history(client_for(staff_user), page))


@pytest.mark.usefixtures("february_2019")
def test_evidence_now_of_another_practice_is_left_out(
    client_for, staff_user, practice_user, subcontract, other_subcontract, indemnity
):
    # given the practice's evidence, accepted by staff, and an upload moved to
    # another practice's sub-contract
    own = make_evidence(subcontract, indemnity, practice_user, description="MDU certificate 2018/19")
    evidence_review(submission_id=own.pk, decision="accepted", reason="", user=staff_user)
    moved = make_evidence(subcontract, indemnity, practice_user, description="Oakham indemnity cover")
    EvidenceSubmission.objects.filter(pk=moved.pk).update(subcontract=other_subcontract)
    page = f"/subcontracts/{subcontract.pk}/"

    seen = history(client_for(practice_user), page)
    assert any(e.startswith("Created evidence submission") and "MDU certificate" in e for e in seen)
    assert any("MDU certificate" in e and "status: pending → accepted" in e for e in seen)  # the decision
    assert not any("Oakham" in e for e in seen)
    assert any("Oakham indemnity cover" in e for e in history(client_for(staff_user), page))


@pytest.mark.usefixtures("february_2019")
def test_a_clinician_now_of_another_practice_is_left_out(
    client_for, staff_user, practice_user, subcontract, other_subcontract
):
    clinician_add(subcontract=subcontract, name="Dr Own Fitter")
    moved = clinician_add(subcontract=subcontract, name="Dr Moved Fitter")
    ScheduledClinician.objects.filter(pk=moved.pk).update(subcontract=other_subcontract)
    page = f"/subcontracts/{subcontract.pk}/"

    seen = history(client_for(practice_user), page)
    assert "Created scheduled clinician: name Dr Own Fitter" in seen
    assert not any("Dr Moved Fitter" in e for e in seen)
    assert "Created scheduled clinician: name Dr Moved Fitter" in history(client_for(staff_user), page)


@pytest.mark.usefixtures("february_2019")
def test_a_sub_contract_moved_to_the_practice_does_not_name_the_practice_it_came_from(
    client_for, staff_user, practice_user, practice, other_subcontract
):
    # given another practice's sub-contract, given to this practice by staff
    SubContract.objects.filter(pk=other_subcontract.pk).update(practice=practice)
    page = f"/subcontracts/{other_subcontract.pk}/"

    response = client_for(practice_user).get(page)
    assert "Oakham" not in response.content.decode()
    assert f"Changed practice: {NOT_VISIBLE} → Market Harborough Medical Centre (C82009)" in history(
        client_for(practice_user), page
    )
    assert (
        "Changed practice: Oakham Medical Practice (C82010) → Market Harborough Medical Centre (C82009)"
        in history(client_for(staff_user), page)
    )


# ---------------------------------------------------------------- cost


def test_the_practice_page_costs_the_same_queries_however_much_is_left_out(
    client_for, staff_user, practice_user, practice, other_practice
):
    client = client_for(practice_user)

    def add(count, start):
        for n in range(start, start + count):
            cover(practice, staff_user, title=f"Bid {n}", reference=f"BID-{n}", is_draft=n % 2 == 0)
            figure = ListSize.objects.create(
                practice=practice, as_at=date(2000 + n, 1, 2), registered_patients=n
            )
            if n % 2:
                ListSize.objects.filter(pk=figure.pk).update(practice=other_practice)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(practice_page(practice)).status_code == 200
        return len(captured)

    add(2, start=0)
    few = queries()
    add(20, start=2)
    assert queries() == few
