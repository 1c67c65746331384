"""The dashboard, the sub-contract and evidence lists and their exports run
the same number of SQL queries for 3 practices as for 30 (DESIGN.md, Pages):
measured exactly for 3, then held for 30."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts.models import (
    EvidenceDecision,
    EvidenceStatus,
    EvidenceSubmission,
    ScheduledClinician,
    SubContract,
)
from localities.models import Locality, Practice, PracticeMembership
from tests.contracts.helpers import make_evidence
from tests.pages import export_body

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("january_2019")]

# The queries of one request, counted for 3 practices: session and user, then the page's own.
DASHBOARD_QUERIES = 12
DASHBOARD_EXPORT_QUERIES = 8
SUBCONTRACT_LIST_QUERIES = 9
SUBCONTRACT_EXPORT_QUERIES = 6
EVIDENCE_LIST_QUERIES = 9
EVIDENCE_EXPORT_QUERIES = 6
SERVICE_LIST_QUERIES = 8
# With its history: the names of the users behind the changes are one more
# query when any change has a user.
SUBCONTRACT_DETAIL_QUERIES = 14


def build(count, *, start, h_pylori, indemnity, fitters, user, today):
    """``count`` practices over three localities, each with a sub-contract,
    a fitter, accepted indemnity evidence expiring soon and fitter evidence
    awaiting review."""
    localities = [
        Locality.objects.get_or_create(name=f"Locality {n}", slug=f"locality-{n}")[0] for n in range(3)
    ]
    practices = Practice.objects.bulk_create(
        Practice(
            ods_code=f"C8{start + n:04d}",
            name=f"Practice {start + n:04d}",
            locality=localities[n % 3],
            open_date=date(1974, 4, 1),
        )
        for n in range(count)
    )
    subcontracts = SubContract.objects.bulk_create(
        SubContract(practice=p, service=h_pylori, start_date=date(2018, 4, 1)) for p in practices
    )
    clinicians = ScheduledClinician.objects.bulk_create(
        ScheduledClinician(subcontract=s, name=f"Dr Fitter {s.pk}") for s in subcontracts
    )

    def submission(subcontract, requirement, status, clinician=None):
        return EvidenceSubmission(
            subcontract=subcontract,
            requirement=requirement,
            clinician=clinician,
            version=1,
            file=f"evidence/bulk-{subcontract.pk}-{requirement.pk}.pdf",
            original_name="evidence.pdf",
            content_type="application/pdf",
            size=100,
            sha256="0" * 64,
            description=f"{requirement.name} for {subcontract.practice.name}",
            valid_to=today + timedelta(days=10),
            status=status,
            submitted_by=user,
        )

    accepted = EvidenceSubmission.objects.bulk_create(
        submission(s, indemnity, EvidenceStatus.ACCEPTED) for s in subcontracts
    )
    EvidenceDecision.objects.bulk_create(
        EvidenceDecision(submission=a, decision="accepted", decided_by=user) for a in accepted
    )
    EvidenceSubmission.objects.bulk_create(
        submission(s, fitters, EvidenceStatus.PENDING, c)
        for s, c in zip(subcontracts, clinicians, strict=True)
    )
    return subcontracts


@pytest.fixture
def federation(h_pylori, indemnity, fitters, staff_user, january_2019):
    def make(count, start):
        return build(
            count,
            start=start,
            h_pylori=h_pylori,
            indemnity=indemnity,
            fitters=fitters,
            user=staff_user,
            today=january_2019,
        )

    return make


def rows_of(response):
    return len(response.context["table"].page.object_list)


def test_dashboard_queries_do_not_grow_with_practices(
    client_for, staff_user, federation, django_assert_num_queries
):
    client = client_for(staff_user)
    federation(3, start=100)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get("/subcontracts/")
    assert len(response.context["matrix"]) == 3
    assert len(response.context["pending"]) == 3
    assert len(response.context["expiring"]) == 3

    federation(27, start=200)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get("/subcontracts/")
    assert len(response.context["matrix"]) == 30
    assert len(response.context["pending"]) == 20  # the first twenty, with a link to all
    assert response.context["pending_count"] == 30


def test_dashboard_reads_its_figures_in_at_most_12_queries(
    client_for, staff_user, federation, indemnity, django_assert_max_num_queries, january_2019
):
    # given six practices awaiting review of their fitter's evidence, but one
    # whose certificate ran out (expired) and one whose fitter left (missing)
    subcontracts = federation(6, start=100)
    EvidenceSubmission.objects.filter(subcontract=subcontracts[0], requirement=indemnity).update(
        valid_to=january_2019 - timedelta(days=1)
    )
    ScheduledClinician.objects.filter(subcontract=subcontracts[1]).update(removed_on=january_2019)
    client = client_for(staff_user)

    # then the dashboard (headlines, matrix, both evidence lists) stays within 12 queries
    with django_assert_max_num_queries(12):
        response = client.get("/subcontracts/")
    counts = {h["compliance"]: h["count"] for h in response.context["headlines"]}
    assert counts == {"compliant": 0, "expiring": 0, "expired": 1, "missing": 1, "awaiting_review": 4}
    cells = [cell.compliance for _, row in response.context["matrix"] for cell in row if cell]
    assert sorted(cells) == ["awaiting_review"] * 4 + ["expired", "missing"]
    assert (response.context["pending_count"], response.context["expiring_count"]) == (6, 5)


def test_the_filtered_dashboard_reads_its_figures_in_at_most_12_queries(
    client_for, staff_user, federation, django_assert_max_num_queries
):
    # given practices in a locality, staff filter the dashboard by it and by a service
    subcontracts = federation(6, start=100)
    locality = subcontracts[0].practice.locality
    client = client_for(staff_user)
    url = f"/subcontracts/?locality={locality.pk}&service={subcontracts[0].service_id}"

    # then the chosen values are checked against the options the form offers, not looked up again
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.context["filter"].form.cleaned_data == {
        "locality": locality,
        "service": subcontracts[0].service,
    }
    assert [service.pk for service in response.context["services"]] == [subcontracts[0].service_id]
    assert {p.pk for p, _ in response.context["matrix"]} == {
        s.practice_id for s in subcontracts if s.practice.locality_id == locality.pk
    }


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_dashboard_export_queries_do_not_grow_with_practices(
    client_for, staff_user, federation, django_assert_num_queries, export_format
):
    client = client_for(staff_user)
    federation(3, start=100)
    with django_assert_num_queries(DASHBOARD_EXPORT_QUERIES):
        response = client.get(f"/subcontracts/?_export={export_format}")
        export_body(response)  # a streamed file is read within the count

    federation(27, start=200)
    with django_assert_num_queries(DASHBOARD_EXPORT_QUERIES):
        response = client.get(f"/subcontracts/?_export={export_format}")
        export_body(response)  # a streamed file is read within the count


def manage_every_other(user, subcontracts) -> None:
    """Make ``user`` a member of every other practice of ``subcontracts``."""
    PracticeMembership.objects.bulk_create(
        PracticeMembership(user=user, practice_id=s.practice_id) for s in subcontracts[::2]
    )


@pytest.mark.parametrize("role", ["staff", "practice"])
def test_subcontract_list_queries_do_not_grow_with_rows(
    client_as, practice_user, subcontract, federation, django_assert_num_queries, role
):
    # The practice user manages every other new practice, so their rows grow too
    # (and the practices they do not manage stay out of them).
    client = client_as(role)
    manage_every_other(practice_user, federation(3, start=100))
    with django_assert_num_queries(SUBCONTRACT_LIST_QUERIES):
        response = client.get("/subcontracts/list/")
    assert rows_of(response) == (4 if role == "staff" else 1 + 2)

    manage_every_other(practice_user, federation(27, start=200))
    with django_assert_num_queries(SUBCONTRACT_LIST_QUERIES):
        response = client.get("/subcontracts/list/?sort=compliance")
    assert rows_of(response) == (31 if role == "staff" else 1 + 2 + 14)


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_subcontract_export_queries_do_not_grow_with_rows(
    client_as, federation, django_assert_num_queries, export_format
):
    client = client_as("staff")
    federation(3, start=100)
    with django_assert_num_queries(SUBCONTRACT_EXPORT_QUERIES):
        response = client.get(f"/subcontracts/list/?_export={export_format}")
        export_body(response)  # a streamed file is read within the count

    federation(27, start=200)
    with django_assert_num_queries(SUBCONTRACT_EXPORT_QUERIES):
        response = client.get(f"/subcontracts/list/?_export={export_format}")
        export_body(response)  # a streamed file is read within the count


def test_evidence_list_queries_do_not_grow_with_rows(client_as, federation, django_assert_num_queries):
    client = client_as("staff")
    federation(3, start=100)
    with django_assert_num_queries(EVIDENCE_LIST_QUERIES):
        response = client.get("/evidence/")
    assert rows_of(response) == 6

    federation(27, start=200)
    with django_assert_num_queries(EVIDENCE_LIST_QUERIES):
        response = client.get("/evidence/?status=pending&sort=submitted_at")
    assert rows_of(response) == 30


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_evidence_export_queries_do_not_grow_with_rows(
    client_as, federation, django_assert_num_queries, export_format
):
    client = client_as("staff")
    federation(3, start=100)
    with django_assert_num_queries(EVIDENCE_EXPORT_QUERIES):
        response = client.get(f"/evidence/?_export={export_format}")
        export_body(response)  # a streamed file is read within the count

    federation(27, start=200)
    with django_assert_num_queries(EVIDENCE_EXPORT_QUERIES):
        response = client.get(f"/evidence/?_export={export_format}")
        export_body(response)  # a streamed file is read within the count


def test_service_list_queries_do_not_grow_with_sub_contracts(
    client_as, federation, django_assert_num_queries
):
    client = client_as("staff")
    federation(3, start=100)
    with django_assert_num_queries(SERVICE_LIST_QUERIES):
        response = client.get("/services/")
    assert response.context["table"].page.object_list[0].record.active_subcontracts == 3

    federation(27, start=200)
    with django_assert_num_queries(SERVICE_LIST_QUERIES):
        response = client.get("/services/")
    assert response.context["table"].page.object_list[0].record.active_subcontracts == 30


def test_subcontract_page_queries_do_not_grow_with_its_evidence(
    client_as, subcontract, indemnity, fitters, staff_user, django_assert_max_num_queries, january_2019
):
    # The practice's view, with the history of changes (read in a bounded
    # number of queries: one per kind of record the changes refer to).
    client = client_as("practice")

    def add_versions(count):
        clinician = ScheduledClinician.objects.create(subcontract=subcontract, name=f"Dr {count}")
        for _ in range(count):
            for requirement, who in ((indemnity, None), (fitters, clinician)):
                make_evidence(subcontract, requirement, staff_user, clinician=who, valid_to=january_2019)

    add_versions(1)
    with django_assert_max_num_queries(SUBCONTRACT_DETAIL_QUERIES):
        response = client.get(f"/subcontracts/{subcontract.pk}/")
    assert len(response.context["submissions"]) == 2

    add_versions(10)
    with django_assert_max_num_queries(SUBCONTRACT_DETAIL_QUERIES):
        response = client.get(f"/subcontracts/{subcontract.pk}/")
    assert len(response.context["submissions"]) == 22


@pytest.mark.parametrize(
    "url",
    [
        "/subcontracts/",
        "/subcontracts/?service={service}",
        "/subcontracts/list/",
        "/subcontracts/list/?compliance=expired",
        "/subcontracts/list/?compliance=missing&active=true",
    ],
)
def test_compliance_on_the_dashboard_and_list_is_read_from_each_sub_contracts_kept_days(
    client_for, staff_user, federation, h_pylori, url
):
    # given practices with sub-contracts
    federation(3, start=100)
    client = client_for(staff_user)

    # when the dashboard or the list is read
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url.format(service=h_pylori.pk)).status_code == 200

    # then the queries that judge compliance compare each sub-contract's kept
    # first days with today, not its requirements' rows (one per requirement
    # and clinician), and the list's filter is such a comparison
    judging = [q["sql"] for q in queries if "contracts_subcontractcompliance" in q["sql"]]
    assert judging
    assert not [sql for sql in judging if "contracts_requirementstate" in sql]
    if "compliance=expired" in url:
        assert all('"contracts_subcontractcompliance"."expired_from" <= ' in sql for sql in judging)
