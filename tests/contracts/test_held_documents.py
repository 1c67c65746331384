"""Documents kept with contracts held for practices: uploads checked by their
content, kept with their SHA-256, never overwritten; downloads only for those
who may see the contract, always as attachments."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import escape

from contracts.models import ContractDocument
from tests.conftest import stored_files
from tests.contracts.conftest import PDF_BYTES, office_bytes, pdf_upload
from tests.contracts.helpers import make_contract
from tests.pages import error_beside

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def staff(client_for, staff_user):
    return client_for(staff_user)


@pytest.fixture
def own(practice):
    """A contract covering the practice user's locality."""
    return make_contract("FCP-HARB", localities=[practice.locality])


@pytest.fixture
def others(other_practice):
    """A contract for another practice only."""
    return make_contract("ECP-SLAM", title="ECP", contractor="DHU", practices=[other_practice])


def upload(client, contract, file=None, **fields):
    data = {"title": "Signed contract", "kind": "signed_contract", **fields}
    if file is not None:
        data["file"] = file
    return client.post(f"/contracts/{contract.pk}/documents/new/", data)


def test_staff_upload_a_document_kept_with_its_sha256(staff, staff_user, own, media_root):
    # given a signed contract as a PDF
    content = PDF_BYTES + b"signed by both parties\n"

    # when staff upload it
    response = upload(staff, own, pdf_upload("FCP Harborough signed.pdf", content))

    # then it is kept with its checksum, size, type, name and uploader
    assert response.status_code == 302
    assert response["Location"] == f"/contracts/{own.pk}/"
    document = ContractDocument.objects.get()
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert document.content_type == "application/pdf"
    assert document.original_name == "FCP Harborough signed.pdf"
    assert document.uploaded_by == staff_user
    assert document.file.name.startswith("contracts/") and document.file.name.endswith(".pdf")
    assert (media_root / document.file.name).read_bytes() == content
    # and the contract's page lists it with a short checksum and a download link
    html = staff.get(f"/contracts/{own.pk}/").content.decode()
    assert "Signed contract" in html
    assert document.sha256[:12] in html
    assert f"/contracts/documents/{document.pk}/download/" in html
    assert "Helen Parker" in html


def test_a_second_upload_is_a_new_document_nothing_is_overwritten(staff, own, media_root):
    upload(staff, own, pdf_upload("v1.pdf", PDF_BYTES + b"v1"))
    upload(staff, own, pdf_upload("v1.pdf", PDF_BYTES + b"v2"))
    documents = list(ContractDocument.objects.order_by("pk"))
    assert len(documents) == 2
    assert documents[0].file.name != documents[1].file.name
    assert len(stored_files(media_root)) == 2
    assert documents[0].file.read() == PDF_BYTES + b"v1"


def test_a_word_document_is_recognised_by_its_content(staff, own, media_root):
    file = SimpleUploadedFile(
        "variation.docx", office_bytes("word/document.xml"), content_type="application/octet-stream"
    )
    assert upload(staff, own, file, kind="variation").status_code == 302
    assert ContractDocument.objects.get().content_type == DOCX


@pytest.mark.parametrize(
    ("file", "message"),
    [
        pytest.param(
            SimpleUploadedFile(
                "contract.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "application/pdf"
            ),
            "The selected file must be a PDF, PNG, JPEG, Word (.docx) or Excel (.xlsx). "
            "This file's content is not one of those, whatever its name says.",
            id="html renamed .pdf",
        ),
        pytest.param(
            SimpleUploadedFile(
                "contract.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "application/pdf"
            ),
            "The selected file must be a PDF, PNG, JPEG, Word (.docx) or Excel (.xlsx). "
            "This file's content is not one of those, whatever its name says.",
            id="executable renamed .pdf",
        ),
        pytest.param(
            SimpleUploadedFile("empty.pdf", b"", "application/pdf"), "The selected file is empty.", id="empty"
        ),
        pytest.param(
            SimpleUploadedFile("big.pdf", PDF_BYTES + b"\x00" * (11 * 1024 * 1024), "application/pdf"),
            "The selected file must be smaller than 10 MB.",
            id="11 MB",
        ),
        pytest.param(None, "Choose a file to upload.", id="no file"),
    ],
)
def test_refused_uploads_get_a_message_beside_the_file_and_nothing_is_written(
    staff, own, media_root, file, message
):
    # when staff upload a bad file
    response = upload(staff, own, file, title="Variation to extend")
    html = response.content.decode()

    # then the form comes back with the message beside the file field
    assert response.status_code == 400
    assert error_beside(html, "file") == message
    assert f'<li><a href="#id_file">{escape(message)}</a></li>' in html
    # and the other fields are kept
    assert 'value="Variation to extend"' in html
    assert '<option value="signed_contract" selected>' in html
    # and nothing was written: no row, no file
    assert not ContractDocument.objects.exists()
    assert stored_files(media_root) == []


def test_a_document_download_is_an_attachment_never_sniffed(staff, own, media_root):
    # given a document
    upload(staff, own, pdf_upload("FCP Harborough signed.pdf"))
    document = ContractDocument.objects.get()

    # when it is downloaded
    response = staff.get(f"/contracts/documents/{document.pk}/download/")

    # then it comes as an attachment, of the type the check recorded, never sniffed
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "FCP Harborough signed.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.parametrize("role", ["board", "practice"])
def test_readers_download_documents_of_contracts_they_see(
    client_for, staff, own, media_root, role, board_user, practice_user
):
    upload(staff, own, pdf_upload())
    document = ContractDocument.objects.get()
    reader = client_for({"board": board_user, "practice": practice_user}[role])
    assert reader.get(f"/contracts/documents/{document.pk}/download/").status_code == 200


def test_practice_user_cannot_download_another_practices_document(
    client_for, practice_user, staff, others, media_root
):
    # given a document of a contract for another practice
    upload(staff, others, pdf_upload())
    document = ContractDocument.objects.get()
    client = client_for(practice_user)

    # when the practice user guesses its URL, and one that does not exist
    guessed = client.get(f"/contracts/documents/{document.pk}/download/")
    missing = client.get("/contracts/documents/999999/download/")

    # then both are the same 404
    assert guessed.status_code == missing.status_code == 404
    assert guessed.templates[0].name == missing.templates[0].name == "404.html"


def test_documents_of_an_archived_contract_are_not_served(staff, own, media_root):
    upload(staff, own, pdf_upload())
    document = ContractDocument.objects.get()
    staff.post(f"/contracts/{own.pk}/archive/")
    assert staff.get(f"/contracts/documents/{document.pk}/download/").status_code == 404
    assert ContractDocument.objects.filter(pk=document.pk).exists()


def test_anonymous_downloads_are_sent_to_log_in(staff, own, media_root):
    upload(staff, own, pdf_upload())
    document = ContractDocument.objects.get()
    response = Client().get(f"/contracts/documents/{document.pk}/download/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
