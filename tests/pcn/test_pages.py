"""The PCN pages: who reaches what, bank details masked for all but staff,
a practice user signing for their own practice only, query counts, exports,
coverage and the registration PDF read back with pypdf."""

import io
import logging
from datetime import date

import pytest
from pypdf import PdfReader

from localities.models import ListSize, Practice
from pcn.models import AgreementSignature, Registration, RegistrationStatus
from pcn.services import registration_start
from tests.pages import error_beside, export_records, result_count
from tests.roles import FORBIDDEN, NOT_FOUND, OK, role_table

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(network, year, staff_user):
    return registration_start(pcn=network, contract_year=year, user=staff_user)


@pytest.fixture
def other_registration(other_network, year, staff_user):
    return registration_start(pcn=other_network, contract_year=year, user=staff_user)


@pytest.fixture
def pages(registration, other_registration):
    return {
        "list": "/pcn/",
        "mine": "/pcn/U50165/",
        "other": "/pcn/U67590/",
        "my_registration": f"/pcn/registrations/{registration.pk}/",
        "other_registration": f"/pcn/registrations/{other_registration.pk}/",
        "other_pdf": f"/pcn/registrations/{other_registration.pk}/pdf/",
        "coverage": "/pcn/coverage/?ccg=03W",
        "edit": "/pcn/U50165/edit/",
        "bank": "/pcn/U50165/bank/",
        "other_bank": "/pcn/U67590/bank/",
        "submit": f"/pcn/registrations/{registration.pk}/submit/",
    }


EXPECTED = {
    "list": {"staff": OK, "board": OK, "practice": OK, "administrator": OK},
    "mine": {"staff": OK, "board": OK, "practice": OK, "administrator": OK},
    "other": {"staff": OK, "board": OK, "practice": NOT_FOUND, "administrator": OK},
    "my_registration": {"staff": OK, "board": OK, "practice": OK, "administrator": OK},
    "other_registration": {"staff": OK, "board": OK, "practice": NOT_FOUND, "administrator": OK},
    "other_pdf": {"staff": OK, "board": OK, "practice": NOT_FOUND, "administrator": OK},
    "coverage": {"staff": OK, "board": OK, "practice": FORBIDDEN, "administrator": OK},
    "edit": {"staff": OK, "board": FORBIDDEN, "practice": FORBIDDEN, "administrator": OK},
    "bank": {"staff": OK, "board": FORBIDDEN, "practice": FORBIDDEN, "administrator": OK},
    "other_bank": {"staff": OK, "board": FORBIDDEN, "practice": NOT_FOUND, "administrator": OK},
    "submit": {"staff": OK, "board": FORBIDDEN, "practice": FORBIDDEN, "administrator": OK},
}


@pytest.mark.parametrize(("page", "role", "status"), role_table(EXPECTED.items()))
def test_who_reaches_what(client_as, pages, page, role, status):
    response = client_as(role).get(pages[page])
    if status is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == status


@pytest.mark.parametrize("role", ["board", "practice"])
def test_bank_details_are_masked_for_all_but_staff(client_as, registration, role):
    for url in ("/pcn/U50165/", f"/pcn/registrations/{registration.pk}/"):
        page = client_as(role).get(url).content.decode()
        assert "12345678" not in page and "30-96-26" not in page
        assert "••••••78" in page


def test_staff_see_bank_details_and_their_history(client_as, network, staff_user):
    from pcn.services import pcn_bank_details_set

    pcn_bank_details_set(
        pcn=network,
        bank_account_name="MH&B PCN",
        bank_sort_code="30-96-26",
        bank_account_number="11112222",
        user=staff_user,
    )
    staff = client_as("staff").get("/pcn/U50165/").content.decode()
    assert "11112222" in staff and "30-96-26" in staff
    assert "12345678 → 11112222" in staff  # the old value kept in the history
    board = client_as("board").get("/pcn/U50165/").content.decode()
    assert "12345678" not in board and "History of changes" not in board


def test_bank_details_form_puts_errors_beside_the_fields(client_as, network):
    response = client_as("staff").post(
        "/pcn/U50165/bank/",
        {"bank_account_name": "X", "bank_sort_code": "30-96", "bank_account_number": "12"},
    )
    assert response.status_code == 400
    assert "three pairs of digits" in error_beside(response.content, "bank_sort_code")
    assert "eight digits" in error_beside(response.content, "bank_account_number")


def test_the_overlap_message_is_beside_the_practice(client_as, network, other_network, practice):
    response = client_as("staff").post(
        "/pcn/U67590/members/new/", {"practice": practice.pk, "start_date": "2020-01-01"}
    )
    assert response.status_code == 400
    assert "already in Market Harborough & Bosworth PCN" in error_beside(response.content, "practice")


def test_a_practice_user_signs_for_their_own_practice_only(client_as, registration, practice, neighbour):
    client = client_as("practice")
    page = client.get(f"/pcn/registrations/{registration.pk}/").content.decode()
    assert f"/pcn/registrations/{registration.pk}/sign/C82009/" in page
    assert "/sign/C82022/" not in page
    response = client.post(
        f"/pcn/registrations/{registration.pk}/sign/C82009/", {"signatory": "Dr A Partner"}
    )
    assert response.status_code == 302
    assert AgreementSignature.objects.get(registration=registration).practice == practice
    # another member of the same network: as any other practice's record, not found
    assert (
        client.post(f"/pcn/registrations/{registration.pk}/sign/C82022/", {"signatory": "X"}).status_code
        == 404
    )
    assert AgreementSignature.objects.filter(registration=registration).count() == 1


def test_a_practice_user_cannot_sign_for_a_practice_they_cannot_see(client_as, registration, other_practice):
    response = client_as("practice").get(f"/pcn/registrations/{registration.pk}/sign/C82010/")
    assert response.status_code == 404


def test_submission_through_the_page_refused_then_accepted(
    client_as, registration, staff_user, practice, neighbour
):
    client = client_as("staff")
    page = client.get(f"/pcn/registrations/{registration.pk}/").content.decode()
    assert "Not ready to submit" in page and "Not yet signed by C82009, C82022" in page
    response = client.post(f"/pcn/registrations/{registration.pk}/submit/", {})
    assert response.status_code == 400 and "every member has signed" in response.content.decode()

    client.post(f"/pcn/registrations/{registration.pk}/exception/", {"population_exception": "Rural"})
    for code in ("C82009", "C82022"):
        client.post(f"/pcn/registrations/{registration.pk}/sign/{code}/", {"signatory": "Dr Partner"})
    response = client.post(f"/pcn/registrations/{registration.pk}/submit/", {})
    assert response.status_code == 302
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.SUBMITTED
    # a second tab submitting again is told it was already submitted
    again = client.post(f"/pcn/registrations/{registration.pk}/submit/", {})
    assert again.status_code == 400 and "already submitted" in again.content.decode()


def _more_networks(count: int, year, staff_user):
    from pcn.models import PCN, Membership

    for n in range(count):
        pcn = PCN.objects.create(
            code=f"U9{n:04d}", name=f"Network {n}", ccg_code="03W", clinical_director_name="Dr X"
        )
        for m in range(3):
            practice = Practice.objects.create(
                ods_code=f"Z{n:02d}{m:03d}", name=f"P {n} {m}", commissioner_code="03W"
            )
            ListSize.objects.create(practice=practice, as_at=date(2019, 1, 1), registered_patients=5000)
            Membership.objects.create(pcn=pcn, practice=practice, start_date=date(2019, 7, 1))
        registration_start(pcn=pcn, contract_year=year, user=staff_user)


@pytest.mark.parametrize("role", ["staff", "board", "practice"])
def test_pages_stay_within_12_queries(
    client_as, registration, other_registration, year, staff_user, django_assert_max_num_queries, role
):
    _more_networks(6, year, staff_user)
    client = client_as(role)
    urls = [
        "/pcn/",
        "/pcn/U50165/",
        f"/pcn/registrations/{registration.pk}/",
        "/pcn/?_export=xlsx",
        "/pcn/?_export=csv",
    ]
    if role != "practice":
        urls.append("/pcn/coverage/?ccg=03W")
    for url in urls:
        with django_assert_max_num_queries(12):
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, url


def test_the_list_filters_and_exports(client_as, registration, other_registration, year, staff_user):
    _more_networks(3, year, staff_user)
    client = client_as("staff")
    assert result_count(client, "/pcn/") == 5
    assert result_count(client, "/pcn/?q=Rutland") == 1
    assert result_count(client, "/pcn/?q=C82022") == 1
    assert result_count(client, "/pcn/?registration=draft") == 5
    assert result_count(client, "/pcn/?registration=none") == 0
    records = export_records(client.get("/pcn/?_export=xlsx&q=Harborough"), "xlsx")
    assert records == [
        {
            "PCN code": "U50165",
            "Network": "Market Harborough & Bosworth PCN",
            "CCG": "03W",
            "Members": 2,
            "Population": 29627,
            "Registration": "Draft",
            "Clinical director": "Dr Anna Hill",
            "Open date": records[0]["Open date"],
        }
    ]


def test_a_practice_user_lists_only_their_network(client_as, registration, other_registration):
    client = client_as("practice")
    assert result_count(client, "/pcn/") == 1
    rows = export_records(client.get("/pcn/?_export=csv"), "csv")
    assert [r["PCN code"] for r in rows] == ["U50165"]


def test_coverage_lists_practices_outside_a_registered_network(
    client_as, registration, other_network, practice, neighbour, other_practice
):
    for p in (practice, neighbour, other_practice):
        Practice.objects.filter(pk=p.pk).update(commissioner_code="03W")
    Registration.objects.filter(pk=registration.pk).update(status=RegistrationStatus.APPROVED)
    page = client_as("board").get("/pcn/coverage/?ccg=03W").content.decode()
    assert "2 of 3" in page
    assert "29,627 of 44,787" in page
    assert "Oakham Medical Practice" in page and "Rutland Health PCN" in page


def _pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_registration_pdf_full_bank_details_only_for_staff(client_as, registration):
    staff = _pdf_text(client_as("staff").get(f"/pcn/registrations/{registration.pk}/pdf/"))
    assert "Network Contract Directed Enhanced Service" in staff
    assert "Market Harborough Medical Centre" in staff and "C82009" in staff and "21,627" in staff
    assert "29,627" in staff and "Dr Anna Hill" in staff
    assert "12345678" in staff and "30-96-26" in staff
    board = _pdf_text(client_as("board").get(f"/pcn/registrations/{registration.pk}/pdf/"))
    assert "12345678" not in board and "30-96-26" not in board and "Market Harborough Medical Centre" in board


def test_the_pdf_is_tagged_and_in_british_english(client_as, registration, caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        response = client_as("staff").get(f"/pcn/registrations/{registration.pk}/pdf/")
    # An unknown write_pdf option is logged as an error, not raised.
    assert not [r for r in caplog.records if r.name.startswith("weasyprint") and r.levelno >= logging.ERROR]
    reader = PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
