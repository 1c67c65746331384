"""The sub-contract and evidence lists: every filter counts what it should,
sorting by compliance works, and exports hold exactly the filtered rows."""

from datetime import date, datetime, timedelta

import pytest

from contracts.models import Service, SubContract
from localities.models import Practice
from tests.contracts.conftest import LONDON
from tests.contracts.helpers import make_evidence
from tests.pages import export_rows, result_count

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("january_2019")]


@pytest.fixture
def world(practice, other_practice, harborough, h_pylori, indemnity, staff_user, january_2019):
    billesdon = Practice.objects.create(
        ods_code="C82011", name="Billesdon Surgery", locality=harborough, open_date=date(1974, 4, 1)
    )
    dpo = Service.objects.create(
        name="DPO service", slug="dpo", head_contract=h_pylori.head_contract, unit="month"
    )
    mine = SubContract.objects.create(practice=practice, service=h_pylori, start_date=date(2018, 4, 1))
    oakham = SubContract.objects.create(
        practice=other_practice, service=h_pylori, start_date=date(2018, 4, 1)
    )
    ended = SubContract.objects.create(
        practice=billesdon, service=h_pylori, start_date=date(2017, 4, 1), end_date=date(2018, 3, 31)
    )
    mine_dpo = SubContract.objects.create(practice=practice, service=dpo, start_date=date(2018, 4, 1))
    today = january_2019

    def submitted(day):
        """Each made on its own morning, so "oldest first" has one answer."""
        return datetime(2019, 1, day, 9, 0, tzinfo=LONDON)

    accepted = make_evidence(
        mine,
        indemnity,
        staff_user,
        status="accepted",
        valid_to=today + timedelta(days=200),
        submitted_at=submitted(7),
    )
    expired = make_evidence(
        oakham,
        indemnity,
        staff_user,
        status="accepted",
        valid_to=today - timedelta(days=1),
        submitted_at=submitted(8),
    )
    rejected = make_evidence(
        oakham, indemnity, staff_user, status="rejected", valid_to=date(2020, 1, 1), submitted_at=submitted(9)
    )
    pending = make_evidence(
        oakham,
        indemnity,
        staff_user,
        status="pending",
        valid_to=date(2020, 1, 1),
        description="=HYPERLINK(x)",
        submitted_at=submitted(10),
    )
    return {
        "mine": mine,
        "oakham": oakham,
        "ended": ended,
        "mine_dpo": mine_dpo,
        "dpo": dpo,
        "accepted": accepted,
        "expired": expired,
        "rejected": rejected,
        "pending": pending,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", 4),
        ("?q=oakham", 1),
        ("?q=c8200", 2),  # both of C82009's
        ("?q=C82011", 1),
        ("?locality={rutland}", 1),
        ("?locality={harborough}", 3),
        ("?service={dpo}", 1),
        ("?compliance=compliant", 2),  # the certificate valid 200 days, and DPO asking for nothing
        ("?compliance=awaiting_review", 1),  # Oakham: expired, but a new upload waits
        ("?compliance=missing", 1),  # the ended sub-contract never had any
        ("?compliance=expired", 0),
        ("?active=true", 3),
        ("?active=false", 1),
        ("?active=true&compliance=missing", 0),
        ("?locality=nonsense", 0),
    ],
)
def test_each_sub_contract_filter_counts_what_it_should(
    client_as, world, harborough, rutland, query, expected
):
    url = "/subcontracts/list/" + query.format(
        rutland=rutland.pk, harborough=harborough.pk, dpo=world["dpo"].pk
    )

    assert result_count(client_as("staff"), url) == expected


def test_sub_contracts_sort_by_compliance_best_first(client_as, world):
    response = client_as("staff").get("/subcontracts/list/?sort=compliance")

    shown = [row.record.compliance for row in response.context["table"].page.object_list]
    assert shown == ["compliant", "compliant", "awaiting_review", "missing"]


def test_the_list_links_each_practice_to_its_sub_contract_with_a_tag(client_as, world):
    page = client_as("staff").get("/subcontracts/list/").content.decode()

    assert f'href="/subcontracts/{world["oakham"].pk}/">Oakham Medical Practice</a>' in page
    assert '<strong class="nhsuk-tag nhsuk-tag--blue">Awaiting review</strong>' in page


def test_the_sub_contract_export_holds_the_filtered_rows_in_order(client_as, world, harborough):
    # when staff export Harborough's sub-contracts sorted by compliance
    response = client_as("staff").get(
        f"/subcontracts/list/?locality={harborough.pk}&sort=compliance&_export=xlsx"
    )

    # then the workbook holds exactly those rows, with dates as dates and compliance as words
    rows = export_rows(response, "xlsx")
    assert rows[0] == ["Practice", "ODS code", "Locality", "Service", "Start", "End", "Compliance"]
    assert [row[0:4] + row[6:] for row in rows[1:]] == [
        ["Market Harborough Medical Centre", "C82009", "Harborough", "H. pylori breath test", "Compliant"],
        ["Market Harborough Medical Centre", "C82009", "Harborough", "DPO service", "Compliant"],
        ["Billesdon Surgery", "C82011", "Harborough", "H. pylori breath test", "Missing"],
    ]
    assert rows[3][4].date() == date(2017, 4, 1)
    assert rows[3][5].date() == date(2018, 3, 31)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", 4),
        ("?status=pending", 1),
        ("?status=accepted", 2),
        ("?status=rejected", 1),
        ("?q=Oakham", 3),
        ("?q=c82009", 1),
        ("?requirement=indemn", 4),
        ("?requirement=fitters", 0),
        ("?service={dpo}", 0),
        ("?locality={harborough}", 1),
        ("?valid_to_before=2019-01-14", 1),
        ("?valid_to_before=2019-08-02", 1),
        ("?valid_to_before=2019-12-31", 2),
        ("?valid_to_before=2020-01-01", 4),
        ("?valid_to_before=not-a-date", 0),
    ],
)
def test_each_evidence_filter_counts_what_it_should(client_as, world, harborough, query, expected):
    url = "/evidence/" + query.format(harborough=harborough.pk, dpo=world["dpo"].pk)

    assert result_count(client_as("staff"), url) == expected


def test_the_evidence_list_links_each_row_to_its_page(client_as, world):
    page = client_as("staff").get("/evidence/?status=pending").content.decode()

    assert f'href="/evidence/{world["pending"].pk}/">Indemnity certificate</a>' in page
    assert '<strong class="nhsuk-tag nhsuk-tag--blue">Awaiting review</strong>' in page


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_the_evidence_export_holds_the_filtered_rows_and_never_a_formula(client_as, world, export_format):
    # when staff export Oakham's evidence, oldest first
    response = client_as("staff").get(f"/evidence/?q=oakham&sort=submitted_at&_export={export_format}")

    # then the file holds those three, with the status in words and the rejection reason
    rows = export_rows(response, export_format)
    header = rows[0]
    assert header[:6] == ["Practice", "ODS code", "Service", "Evidence", "Clinician", "Version"]
    status, reason, description = (
        header.index("Status"),
        header.index("Reason given"),
        header.index("What it is"),
    )
    assert [row[status] for row in rows[1:]] == ["Accepted", "Rejected", "Awaiting review"]
    assert rows[2][reason] == "Unreadable"
    # and a description that looks like a formula stays text
    if export_format == "csv":
        assert rows[3][description] == "'=HYPERLINK(x)"
    else:
        assert rows[3][description] == "=HYPERLINK(x)"
