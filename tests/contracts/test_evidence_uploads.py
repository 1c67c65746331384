"""Uploading evidence through the page: refused files with their message
beside the file field and nothing written, accepted types kept with their
SHA-256, versions that never overwrite one another, and a form that keeps
what was typed."""

import hashlib
import html
import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts.models import (
    EvidenceRequirement,
    EvidenceStatus,
    EvidenceSubmission,
    ScheduledClinician,
    Service,
)
from contracts.services.evidence import evidence_submit
from tests.conftest import stored_files
from tests.contracts.conftest import JPEG_BYTES, PDF_BYTES, PNG_BYTES, office_bytes, pdf_upload
from tests.pages import errors_beside, input_value

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

MB = 1024 * 1024


def macro_office_bytes() -> bytes:
    """A Word document with macros (.docm), as Word writes one."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/word/document.xml" '
            'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<root/>")
        archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0")
    return buffer.getvalue()


def form_data(requirement, **changes):
    data = {
        "requirement": requirement.pk,
        "description": "MDU certificate 2018/19",
        "valid_from": "2018-04-01",
        "valid_to": "2019-03-31",
        "notes": "Renewed every April",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def url(subcontract):
    return f"/subcontracts/{subcontract.pk}/evidence/new/"


REFUSED = [
    pytest.param(
        SimpleUploadedFile("indemnity.pdf", b"<!DOCTYPE html><html><body>Hello</body></html>"),
        "This file's content is not one of those",
        id="html-renamed-pdf",
    ),
    pytest.param(
        SimpleUploadedFile("indemnity.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120),
        "This file's content is not one of those",
        id="windows-executable-renamed-pdf",
    ),
    pytest.param(
        SimpleUploadedFile("indemnity.docx", office_bytes("something/else.xml")),
        "This file's content is not one of those",
        id="zip-that-is-not-office",
    ),
    pytest.param(
        SimpleUploadedFile("indemnity.docx", macro_office_bytes()),
        "The selected file contains macros.",
        id="macro-enabled-docm-renamed-docx",
    ),
    pytest.param(SimpleUploadedFile("indemnity.pdf", b""), "The selected file is empty.", id="empty"),
    pytest.param(
        SimpleUploadedFile("indemnity.pdf", PDF_BYTES + b"\x00" * (11 * MB)),
        "The selected file must be smaller than 10 MB.",
        id="11-MB",
    ),
    pytest.param(None, "Choose a file to upload.", id="no-file"),
]


@pytest.mark.parametrize(("upload", "message"), REFUSED)
def test_a_refused_file_is_explained_beside_the_file_field_and_nothing_is_written(
    client_as, subcontract, indemnity, media_root, upload, message
):
    # given a practice user on their sub-contract, and nothing uploaded yet
    before = (EvidenceSubmission.objects.count(), len(stored_files(media_root)))

    # when they upload a file that is not acceptable
    data = form_data(indemnity)
    if upload is not None:
        data["file"] = upload
    response = client_as("practice").post(url(subcontract), data)

    # then the form comes back with the message beside the file field
    assert response.status_code == 400
    assert any(message in error for error in errors_beside(response.content, "file"))
    # and nothing is written: no record, no file
    assert (EvidenceSubmission.objects.count(), len(stored_files(media_root))) == before
    # and what they typed is kept
    page = response.content.decode()
    assert 'value="MDU certificate 2018/19"' in page
    assert input_value(page, "valid_to") == "2019-03-31"
    assert "Renewed every April" in page
    # and when they had chosen a file, they are told to choose it again
    if upload is not None:
        assert "Choose the file again" in page
        assert f"You chose “{upload.name}”" in page


def test_an_11_mb_request_is_not_refused_by_the_request_size_limit(
    settings, client_as, subcontract, indemnity
):
    # given the limit on non-file request data is smaller than the upload
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < 11 * MB

    # when an 11 MB file is posted
    upload = SimpleUploadedFile("big.pdf", PDF_BYTES + b"\x00" * (11 * MB))
    response = client_as("practice").post(url(subcontract), form_data(indemnity, file=upload))

    # then the user gets the size message, not a server error
    assert response.status_code == 400
    assert errors_beside(response.content, "file") == ["The selected file must be smaller than 10 MB."]


ACCEPTED = [
    pytest.param("cert.pdf", PDF_BYTES, "application/pdf", id="pdf"),
    pytest.param("cert.png", PNG_BYTES, "image/png", id="png"),
    pytest.param("cert.jpg", JPEG_BYTES, "image/jpeg", id="jpeg"),
    pytest.param(
        "cert.docx",
        office_bytes("word/document.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        id="docx",
    ),
    pytest.param(
        "cert.xlsx",
        office_bytes("xl/workbook.xml"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        id="xlsx",
    ),
]


@pytest.mark.parametrize(("name", "content", "content_type"), ACCEPTED)
def test_accepted_types_are_kept_with_their_sha256_and_downloaded_as_attachments(
    client_as, subcontract, indemnity, practice_user, media_root, name, content, content_type
):
    # given a practice user
    client = client_as("practice")

    # when they upload a file of an accepted type
    response = client.post(url(subcontract), form_data(indemnity, file=SimpleUploadedFile(name, content)))

    # then they go back to the sub-contract, told it is uploaded
    assert response.status_code == 302
    assert response["Location"] == f"/subcontracts/{subcontract.pk}/"
    submission = EvidenceSubmission.objects.get()
    assert submission.content_type == content_type
    assert submission.sha256 == hashlib.sha256(content).hexdigest()
    assert submission.size == len(content)
    assert submission.original_name == name
    assert submission.version == 1
    assert submission.status == EvidenceStatus.PENDING
    assert submission.submitted_by == practice_user
    assert submission.description == "MDU certificate 2018/19"
    assert (submission.valid_from, submission.valid_to) == (date(2018, 4, 1), date(2019, 3, 31))
    assert len(stored_files(media_root)) == 1
    # and the file comes back byte for byte, as an attachment that is never sniffed
    download = client.get(f"/evidence/{submission.pk}/download/")
    assert b"".join(download.streaming_content) == content
    assert download["Content-Type"] == content_type
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_uploads_are_new_versions_and_old_versions_stay_downloadable(
    client_as, subcontract, indemnity, media_root
):
    # given a practice user who uploads the same evidence twice
    client = client_as("practice")
    first = PDF_BYTES + b"first certificate\n"
    second = PDF_BYTES + b"renewed certificate\n"
    client.post(url(subcontract), form_data(indemnity, file=SimpleUploadedFile("a.pdf", first)))
    client.post(url(subcontract), form_data(indemnity, file=SimpleUploadedFile("a.pdf", second)))

    # then there are two versions, in two files
    v1, v2 = EvidenceSubmission.objects.order_by("version")
    assert (v1.version, v2.version) == (1, 2)
    assert v1.file.name != v2.file.name
    assert len(stored_files(media_root)) == 2
    # and each downloads its own content
    assert b"".join(client.get(f"/evidence/{v1.pk}/download/").streaming_content) == first
    assert b"".join(client.get(f"/evidence/{v2.pk}/download/").streaming_content) == second
    # and the sub-contract page lists both with their download links
    page = client.get(f"/subcontracts/{subcontract.pk}/").content.decode()
    assert f"/evidence/{v1.pk}/download/" in page
    assert f"/evidence/{v2.pk}/download/" in page


def test_expiring_evidence_needs_a_valid_to_date_beside_that_field(client_as, subcontract, indemnity):
    # when the practice uploads an indemnity certificate (it expires) without its end date
    response = client_as("practice").post(
        url(subcontract), form_data(indemnity, valid_to="", file=pdf_upload())
    )

    # then the message is beside 'valid to', the file must be chosen again, and nothing is kept
    assert response.status_code == 400
    assert errors_beside(response.content, "valid_to") == [
        "Enter the date this evidence runs out: it expires."
    ]
    assert "Choose the file again" in response.content.decode()
    assert EvidenceSubmission.objects.count() == 0


def test_valid_to_before_valid_from_is_refused_beside_valid_to(client_as, subcontract, indemnity):
    response = client_as("practice").post(
        url(subcontract),
        form_data(indemnity, valid_from="2019-04-01", valid_to="2019-03-31", file=pdf_upload()),
    )

    assert response.status_code == 400
    assert errors_beside(response.content, "valid_to") == ["'Valid to' must be on or after 'valid from'."]
    assert EvidenceSubmission.objects.count() == 0


def test_a_date_that_is_not_a_date_is_explained_and_the_rest_kept(
    client_as, subcontract, indemnity, media_root
):
    response = client_as("practice").post(
        url(subcontract), form_data(indemnity, valid_to="31/02/2019", file=pdf_upload())
    )

    assert response.status_code == 400
    assert errors_beside(response.content, "valid_to") == ["Enter a real date, like 31/03/2020."]
    assert 'value="MDU certificate 2018/19"' in response.content.decode()
    assert stored_files(media_root) == []


def test_schedule_evidence_is_for_a_clinician_on_the_schedule(client_as, subcontract, fitters, indemnity):
    # given a schedule with one clinician on it and one taken off
    on = ScheduledClinician.objects.create(subcontract=subcontract, name="Dr Ann Fitter")
    off = ScheduledClinician.objects.create(
        subcontract=subcontract, name="Dr Gone", removed_on=date(2018, 9, 1)
    )
    client = client_as("practice")

    # when the practice uploads fitter evidence without a clinician, and for the removed one
    without = client.post(url(subcontract), form_data(fitters, file=pdf_upload()))
    removed = client.post(url(subcontract), form_data(fitters, clinician=off.pk, file=pdf_upload()))

    # then each is refused beside the clinician field
    assert errors_beside(without.content, "clinician") == ["Choose the clinician this evidence is for."]
    assert errors_beside(removed.content, "clinician") == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    # and only the clinician on the schedule is offered
    page = client.get(url(subcontract)).content.decode()
    assert "Dr Ann Fitter" in page
    assert "Dr Gone" not in page
    # and evidence for the clinician on the schedule is accepted
    accepted = client.post(url(subcontract), form_data(fitters, clinician=on.pk, file=pdf_upload()))
    assert accepted.status_code == 302
    assert EvidenceSubmission.objects.get().clinician == on


def test_evidence_for_another_service_cannot_be_chosen(client_as, subcontract, indemnity):
    # given a requirement of another service
    other_service = Service.objects.create(
        name="DPO service", slug="dpo", head_contract=subcontract.service.head_contract, unit="month"
    )
    elsewhere = EvidenceRequirement.objects.create(service=other_service, name="DPO self-assessment")

    # when the practice posts evidence for it
    response = client_as("practice").post(url(subcontract), form_data(elsewhere, file=pdf_upload()))

    # then it is refused beside the requirement field
    assert response.status_code == 400
    assert errors_beside(response.content, "requirement") == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert EvidenceSubmission.objects.count() == 0


def test_the_upload_link_preselects_the_requirement_and_clinician(client_as, subcontract, indemnity, fitters):
    # given a clinician on the schedule
    clinician = ScheduledClinician.objects.create(subcontract=subcontract, name="Dr Ann Fitter")

    # when the practice follows the sub-contract page's upload link for the clinician
    page = client_as("practice").get(f"/subcontracts/{subcontract.pk}/").content.decode()
    link = (
        f"/subcontracts/{subcontract.pk}/evidence/new/?requirement={fitters.pk}&amp;clinician={clinician.pk}"
    )
    assert link in page
    form = client_as("practice").get(html.unescape(link)).content.decode()

    # then the form has both chosen, and is a multipart form
    assert f'<option value="{fitters.pk}" selected>' in form
    assert f'<option value="{clinician.pk}" selected>' in form
    assert 'enctype="multipart/form-data"' in form


def test_a_refusal_by_the_service_leaves_no_file_in_storage(subcontract, indemnity, staff_user, media_root):
    # given details the database would refuse (a description longer than it keeps)
    # when evidence is submitted directly through the service
    with pytest.raises(ValidationError) as refused:
        evidence_submit(
            subcontract=subcontract,
            requirement=indemnity,
            upload=pdf_upload(),
            description="x" * 300,
            valid_from=None,
            valid_to=date(2019, 3, 31),
            user=staff_user,
        )

    # then the refusal names the field and no file was stored
    assert "description" in refused.value.message_dict
    assert stored_files(media_root) == []
    assert EvidenceSubmission.objects.count() == 0


@pytest.mark.parametrize(
    "query", ["?requirement=abc", "?requirement=²&clinician=-1", "?requirement=99999999999999999999"]
)
def test_a_nonsense_link_still_shows_the_form(client_as, subcontract, indemnity, query):
    response = client_as("practice").get(url(subcontract) + query)

    assert response.status_code == 200
    assert f'<option value="{indemnity.pk}" selected>' not in response.content.decode()


@pytest.mark.parametrize(
    ("name", "kept_as"),
    [
        ("certificate.html", "certificate.pdf"),
        ("certificate.exe", "certificate.pdf"),
        ("certificate", "certificate.pdf"),
        ("scan.PDF", "scan.PDF"),
        ("certificate.png", "certificate.pdf"),
    ],
)
def test_a_file_downloads_with_the_extension_of_what_it_really_is(
    client_as, subcontract, indemnity, name, kept_as
):
    # given a real PDF uploaded under another name
    client = client_as("practice")
    client.post(url(subcontract), form_data(indemnity, file=SimpleUploadedFile(name, PDF_BYTES)))
    submission = EvidenceSubmission.objects.get()
    # then it is kept, and downloads, as what its content is
    assert submission.original_name == kept_as
    download = client.get(f"/evidence/{submission.pk}/download/")
    assert f'filename="{kept_as}"' in download["Content-Disposition"]
    assert download["Content-Type"] == "application/pdf"
