"""The imports page as staff first meet it: labels said once, one message
per empty field, a file of the wrong kind named in one sentence, rows left
out at the preview, and the ePCN workbook (pcn's importer, registered on
this page)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from localities.models import ImportRun, ImportStatus, Practice
from pcn.models import PCN
from tests.localities.conftest import LIST_SIZE_HEADER_2019, epraccur_line, list_size_line
from tests.pages import error_beside, errors_beside
from tests.pcn.workbooks import write_epcn

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def csv_upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_the_commissioner_label_says_optional_once(client_as):
    body = client_as("staff").get("/imports/").content.decode()

    assert "(optional) (optional)" not in body
    assert "Only practices of this commissioner" in body


def test_an_empty_submit_says_what_each_field_needs_once(client_as):
    response = client_as("staff").post("/imports/", {})

    body = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." not in body
    assert errors_beside(body, "kind") == ["Choose what the file is."]
    assert errors_beside(body, "file") == ["Choose the file to upload."]


def test_a_list_size_file_uploaded_as_epraccur_is_named_in_one_sentence(client_as):
    text = LIST_SIZE_HEADER_2019 + "\n" + "".join(list_size_line(f"C82{n:03d}", 5000) for n in range(60))

    response = client_as("staff").post(
        "/imports/", {"kind": "practices", "file": csv_upload("gp-reg-pat-prac-all.csv", text)}
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert error_beside(body, "kind") == (
        "This file looks like “Patients registered at a GP practice (NHS Digital)”, not "
        "“GP practices (ODS epraccur file)”: choose what the file is again, or upload the other file."
    ) or "looks like “Patients" in error_beside(body, "kind")
    assert "expected 27 fields" not in body
    assert not ImportRun.objects.exists()


EPRACCUR = (
    epraccur_line("C82001", "SOUTH LEICESTERSHIRE MEDICAL PARTNERSHIP")
    + epraccur_line("Y05412", "SOUTH WIGSTON ASYLUM SERVICE")
    + epraccur_line("C82650", "CLOSED PRACTICE", status="C", close_date="20100101")
    + epraccur_line("C82002", "COUNTESTHORPE HEALTH CENTRE")
)


def test_staff_leave_rows_out_at_the_preview(client_as):
    client = client_as("staff")
    response = client.post("/imports/", {"kind": "practices", "file": csv_upload("e.csv", EPRACCUR)})
    preview = client.get(response["Location"]).content.decode()

    # the preview offers each new row, the Y-code and the closed practice unticked
    boxes = dict(re.findall(r'name="include" type="checkbox" value="(\w+)"( checked)?', preview))
    assert boxes == {"Y05412": "", "C82650": "", "C82001": " checked", "C82002": " checked"}

    # confirmed with one good row unticked too: only the ticked rows go in
    confirmed = client.post(response["Location"], {"choosing": "1", "include": ["C82001"]}, follow=True)

    assert sorted(Practice.objects.exclude(commissioner_code="").values_list("ods_code", flat=True)) == [
        "C82001"
    ]
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.APPLIED
    assert run.result["left_out"] == ["C82002", "C82650", "Y05412"]
    assert "3 left out" in confirmed.content.decode()


def test_the_epcn_workbook_is_imported_from_the_imports_page_with_a_preview(client_as, tmp_path):
    client = client_as("staff")
    data = write_epcn(tmp_path / "epcn.xlsx").read_bytes()
    workbook = SimpleUploadedFile(
        "ePCN.xlsx", data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )

    page = client.get("/imports/").content.decode()
    assert 'value="epcn"' in page

    response = client.post("/imports/", {"kind": "epcn", "file": workbook})
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert "Primary Care Networks" in preview
    assert not PCN.objects.exists()  # a dry run writes nothing

    client.post(response["Location"], follow=True)
    assert PCN.objects.count() == 3
    assert ImportRun.objects.get().status == ImportStatus.APPLIED


def test_a_workbook_uploaded_as_epraccur_is_named_as_the_epcn_workbook(client_as, tmp_path):
    data = write_epcn(tmp_path / "epcn.xlsx").read_bytes()
    workbook = SimpleUploadedFile(
        "ePCN.xlsx", data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )

    response = client_as("staff").post("/imports/", {"kind": "practices", "file": workbook})

    assert response.status_code == 400
    assert "looks like “Primary Care Networks" in error_beside(response.content, "kind")
