"""History entries read as sentences a practice manager understands, on the
pages that show them: the practice, the sub-contract, the return, the held
contract and the evidence; records by name, money as money, dates as dates,
never a dump of fields."""

import re
from datetime import date
from decimal import Decimal

import pghistory
import pytest

from contracts.models import Contract
from contracts.services.evidence import evidence_review, evidence_withdraw
from contracts.services.subcontracts import clinician_add
from localities.models import ListSize
from tests.contracts import conftest as contracts
from tests.contracts.helpers import make_contract, make_evidence, make_return

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

ccg, pcl, h_pylori, indemnity = contracts.ccg, contracts.pcl, contracts.h_pylori, contracts.indemnity
subcontract, fitters = contracts.subcontract, contracts.fitters
february_2019 = contracts.february_2019

# What a field dump looks like: an ISO timestamp, "year 2018, quarter 3", "x → y".
DUMPS = [
    re.compile(r"\d{4}-\d\d-\d\dT\d\d:"),
    re.compile(r"year \d{4}, quarter"),
    re.compile(r"^Created \w[\w ]*:$"),
]


def history_rows(client, url) -> list[str]:
    body = client.get(url).content.decode()
    section = body[body.index('id="history"') :]
    rows = re.findall(r'<tr class="nhsuk-table__row">(.*?)</tr>', section, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def what(rows: list[str]) -> list[str]:
    """Each row without its date and time."""
    return [re.sub(r"^\d{1,2} \w+ \d{4} \d\d:\d\d ", "", row) for row in rows]


def assert_no_dumps(rows):
    for row in rows:
        for dump in DUMPS:
            assert not dump.search(row), row


@pytest.mark.usefixtures("february_2019")
def test_a_return_approved_reads_with_its_quarter_units_and_value(
    client_as, staff_user, practice_user, subcontract
):
    # given 18 breath tests returned for Q3 2018/19 at £25.00, approved by Helen Parker
    activity_return = make_return(subcontract, practice_user, units=(18,))
    with pghistory.context(user=staff_user.pk):
        from contracts.services.returns import return_decide

        return_decide(return_id=activity_return.pk, approve=True, user=staff_user)

    rows = what(history_rows(client_as("staff"), f"/returns/{activity_return.pk}/"))
    assert "Helen Parker approved this return: 18 units, £450.00" in rows
    assert_no_dumps(rows)

    # and the sub-contract's page names the quarter
    rows = what(history_rows(client_as("practice"), f"/subcontracts/{subcontract.pk}/"))
    assert any(row.startswith("Helen Parker approved the Q3 2018/19 return") for row in rows)
    assert any("submitted the Q3 2018/19 return" in row for row in rows)
    assert_no_dumps(rows)


@pytest.mark.usefixtures("february_2019")
def test_evidence_uploaded_accepted_and_withdrawn_reads_by_name(
    client_as, staff_user, practice_user, subcontract, indemnity
):
    accepted = make_evidence(subcontract, indemnity, practice_user, description="MDU certificate 2018/19")
    with pghistory.context(user=staff_user.pk):
        evidence_review(submission_id=accepted.pk, decision="rejected", reason="Out of date", user=staff_user)
    withdrawn = make_evidence(subcontract, indemnity, practice_user, description="Wrong file")
    with pghistory.context(user=practice_user.pk):
        evidence_withdraw(submission_id=withdrawn.pk, user=practice_user)

    rows = what(history_rows(client_as("practice"), f"/subcontracts/{subcontract.pk}/"))
    assert "Helen Parker rejected Indemnity certificate version 1" in rows
    assert "practice withdrew Indemnity certificate version 2" in rows
    assert any(
        row.startswith("The portal uploaded Indemnity certificate version 1 (MDU certificate 2018/19")
        for row in rows
    )
    assert_no_dumps(rows)

    # on the evidence's own page, the decision is said once, with its reason
    rows = what(history_rows(client_as("staff"), f"/evidence/{accepted.pk}/"))
    assert rows.count("Helen Parker rejected this evidence: Out of date") == 1
    assert not any("accepted" in row.lower() or "Rejected by" in row for row in rows)
    assert_no_dumps(rows)


@pytest.mark.usefixtures("february_2019")
def test_a_sub_contract_ended_and_a_clinician_added_read_as_sentences(
    client_as, staff_user, subcontract, fitters
):
    with pghistory.context(user=staff_user.pk):
        clinician_add(subcontract=subcontract, name="Dr Ann Fitter", role="GP", registration="1234567")
        subcontract.end_date = date(2019, 3, 31)
        subcontract.save()

    rows = what(history_rows(client_as("staff"), f"/subcontracts/{subcontract.pk}/"))
    assert "Helen Parker ended this sub-contract on 31 March 2019" in rows
    assert any(
        row.startswith("Helen Parker added Dr Ann Fitter to the schedule of clinicians from ") for row in rows
    )
    assert "The portal created this sub-contract, starting 1 April 2018" in rows
    assert_no_dumps(rows)

    # and the practice's page names the service of a sub-contract, never "Created sub contract:"
    rows = what(history_rows(client_as("staff"), f"/practices/{subcontract.practice.ods_code}/"))
    assert "The portal created a sub-contract for H. pylori breath test, starting 1 April 2018" in rows
    assert_no_dumps(rows)


def test_a_contracts_value_reads_as_money_and_its_localities_by_name(
    client_as, staff_user, harborough, rutland
):
    contract = make_contract("FCP-HARB", localities=[harborough])
    with pghistory.context(user=staff_user.pk):
        Contract.objects.filter(pk=contract.pk).update(value=Decimal("37500.00"))
        contract.localities.add(rutland)
        contract.localities.remove(harborough)

    rows = what(history_rows(client_as("staff"), f"/contracts/{contract.pk}/"))
    assert "Helen Parker changed the value ex-VAT: £35,000.00 → £37,500.00" in rows
    assert "Helen Parker added Rutland to the localities this contract covers" in rows
    assert "Helen Parker removed Harborough from the localities this contract covers" in rows
    assert any(
        row.startswith("The portal created this contract (FCP-HARB), worth £35,000.00") for row in rows
    )
    assert_no_dumps(rows)


def test_a_list_size_and_dates_read_in_nhs_style(client_as, staff_user, practice):
    with pghistory.context(user=staff_user.pk):
        ListSize.objects.create(
            practice=practice, as_at=date(2019, 2, 15), registered_patients=21700, source="phone call"
        )
        practice.close_date = date(2019, 3, 31)
        practice.save()

    rows = what(history_rows(client_as("staff"), f"/practices/{practice.ods_code}/"))
    assert (
        "Helen Parker recorded a list size of 21,700 registered patients at 15 February 2019 (from phone call)"
        in rows
    )
    assert "Helen Parker changed the close date: none → 31 March 2019" in rows
    assert_no_dumps(rows)


def test_history_pages_stay_within_the_query_budget(
    client_as, staff_user, practice_user, subcontract, indemnity, february_2019, django_assert_max_num_queries
):
    # Decisions made in the portal, as the web requests make them (who decided is who acted).
    with pghistory.context(user=staff_user.pk):
        for number in range(5):
            submission = make_evidence(
                subcontract, indemnity, practice_user, description=f"Certificate {number}"
            )
            evidence_review(submission_id=submission.pk, decision="rejected", reason="Old", user=staff_user)
        activity_return = make_return(subcontract, practice_user, units=(18,), approved_by=staff_user)
    staff, practice = client_as("staff"), client_as("practice")
    for client, url in [
        (staff, f"/subcontracts/{subcontract.pk}/"),
        (practice, f"/subcontracts/{subcontract.pk}/"),
        (staff, f"/returns/{activity_return.pk}/"),
        (staff, f"/evidence/{submission.pk}/"),
        (practice, f"/evidence/{submission.pk}/"),
        (staff, f"/practices/{subcontract.practice.ods_code}/"),
    ]:
        with django_assert_max_num_queries(12, info=url):
            assert client.get(url).status_code == 200
