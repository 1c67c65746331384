"""The keeper of uploaded files (fedportal.files): kinds of upload judged by
content, the CSV rule the imports page and the importer share, the record it
returns, and "store the file, then the row, and remove the file if the row
fails", all through the default storage; and downloads read back from it."""

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from hypothesis import given
from hypothesis import strategies as st

from fedportal.downloads import attachment_response
from fedportal.files import (
    ACCEPTED_TYPES,
    CSV,
    DOCUMENTS,
    JPEG,
    MAX_UPLOAD_BYTES,
    PDF,
    TEXT_HEAD_BYTES,
    CheckedUpload,
    NotCsv,
    UploadKind,
    check_upload,
    csv_text,
    save_with_file,
    sniff,
)
from localities.importers import ImportFailed, open_text
from localities.models import ImportRun
from localities.services import nhs_file
from tests.conftest import stored_files
from tests.contracts.conftest import JPEG_BYTES, PDF_BYTES, PNG_BYTES


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<root/>")
    return buffer.getvalue()


OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
EPRACCUR_LINE = b'"C82001","SOUTH LEICESTERSHIRE MEDICAL PARTNERSHIP","Y60","Q71"\n'
# What a published board pack could be: PDFs only, up to 1 MB.
PACKS = UploadKind(types=(PDF,), max_bytes=1024 * 1024)


def refusal(upload, kind=DOCUMENTS) -> str:
    with pytest.raises(ValidationError) as refused:
        check_upload(upload, kind)
    return refused.value.messages[0]


# Kinds of upload.


def test_documents_are_the_types_and_limit_the_pages_have_always_named():
    assert ACCEPTED_TYPES == "PDF, PNG, JPEG, Word (.docx) or Excel (.xlsx)"
    assert MAX_UPLOAD_BYTES == 10 * 1024 * 1024
    assert refusal(SimpleUploadedFile("notes.csv", EPRACCUR_LINE)) == (
        "The selected file must be a PDF, PNG, JPEG, Word (.docx) or Excel (.xlsx). "
        "This file's content is not one of those, whatever its name says."
    )


def test_a_kind_of_one_type_refuses_the_others_with_its_own_limit():
    assert check_upload(SimpleUploadedFile("pack.pdf", PDF_BYTES), PACKS).content_type == "application/pdf"
    message = (
        "The selected file must be a PDF. This file's content is not one of those, whatever its name says."
    )
    assert refusal(SimpleUploadedFile("pack.png", PNG_BYTES), PACKS) == message
    assert refusal(SimpleUploadedFile("pack.docx", docx_bytes()), PACKS) == message
    too_large = SimpleUploadedFile("pack.pdf", PDF_BYTES + b"\n" * (1024 * 1024))
    assert refusal(too_large, PACKS) == "The selected file must be smaller than 1 MB."


def test_the_checked_record_says_what_the_file_really_is():
    content = PDF_BYTES + b"\nsigned\n"

    checked = check_upload(SimpleUploadedFile("certificate.html", content))

    assert checked == CheckedUpload(
        content_type="application/pdf",
        extension=".pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        original_name="certificate.pdf",
    )


@pytest.mark.parametrize(
    ("name", "kept"),
    [("scan.jpeg", "scan.jpeg"), ("scan.JPG", "scan.JPG"), ("scan.png", "scan.jpg"), ("scan", "scan.jpg")],
)
def test_a_name_keeps_its_extension_only_when_it_fits_the_content(name, kept):
    assert sniff(SimpleUploadedFile(name, JPEG_BYTES)) == JPEG
    assert check_upload(SimpleUploadedFile(name, JPEG_BYTES)).original_name == kept


# CSV: the imports page and the importer judge by one rule.


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (PDF_BYTES, "the file is a PDF document, not a CSV file; save it as CSV first"),
        (PNG_BYTES, "the file is a PNG image, not a CSV file; save it as CSV first"),
        (JPEG_BYTES, "the file is a JPEG image, not a CSV file; save it as CSV first"),
        (
            docx_bytes(),
            "the file is a zip file (an Excel .xlsx workbook, say), not a CSV file; save it as CSV first",
        ),
        (OLD_EXCEL, "the file is an old Excel (.xls) or Word file, not a CSV file; save it as CSV first"),
        (EPRACCUR_LINE + b"\x00\x01", "a NUL byte: the file is not CSV text"),
        (
            EPRACCUR_LINE + b"\x81\x8d",
            "byte 0x81 is neither UTF-8 nor Windows-1252: the file is not CSV text",
        ),
    ],
)
def test_what_is_not_csv_is_refused_by_the_imports_page_and_the_importer_alike(content, reason):
    # the imports page's check
    message = refusal(SimpleUploadedFile("epraccur.csv", content), nhs_file())
    # The page takes every registered kind's types (the ePCN workbook is xlsx);
    # which kind a file is, it says after reading it.
    assert message == "The file must be CSV or Excel (.xlsx), as NHS Digital and ODS publish it."
    # and the importer, saying why
    with pytest.raises(ImportFailed) as failed:
        open_text(content)
    assert failed.value.summary.malformed[0].reason == reason


def test_csv_text_is_read_as_nhs_files_come():
    assert csv_text("\ufeffA,B".encode()) == "A,B"
    assert csv_text("Caf\xe9 \xa3".encode("cp1252")) == "Café £"
    checked = check_upload(SimpleUploadedFile("epraccur.CSV", EPRACCUR_LINE), nhs_file())
    assert (checked.content_type, checked.extension, checked.original_name) == (
        "text/csv",
        ".csv",
        "epraccur.CSV",
    )


def test_the_page_reads_a_files_start_and_the_importer_says_which_line_is_not_text():
    # given a file whose first 4 KB are text, and a later line is not
    lines = TEXT_HEAD_BYTES // len(EPRACCUR_LINE) + 1
    content = EPRACCUR_LINE * lines + b'"C82003","NUL\x00"\n'

    # then the page takes it, and the importer refuses it at its line
    assert sniff(SimpleUploadedFile("e.csv", content), (CSV,)) == CSV
    with pytest.raises(NotCsv) as refused:
        csv_text(content)
    assert content.count(b"\n", 0, refused.value.at) + 1 == lines + 1


def test_a_character_cut_at_the_end_of_the_start_read_is_not_held_against_the_file():
    # "ā" is two bytes in UTF-8, the second (0x81) one Windows-1252 does not have
    content = b"a" * (TEXT_HEAD_BYTES - 1) + "ā".encode() + b"\n"

    assert sniff(SimpleUploadedFile("e.csv", content), (CSV,)) == CSV
    assert csv_text(content).endswith("ā\n")


def with_junk(text: str, encoding: str, junk: bytes, at: int) -> bytes:
    encoded = text.encode(encoding, errors="ignore")
    return encoded[:at] + junk + encoded[at:]


# Text, with now and then bytes from elsewhere, early or past the start the
# page reads: what a file picked by mistake, or an NHS file gone wrong, is.
files = st.one_of(
    st.binary(max_size=64),
    st.builds(
        with_junk,
        st.text(max_size=2 * TEXT_HEAD_BYTES),
        st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
        st.one_of(st.binary(max_size=4), st.sampled_from([b"\x00", b"\x81", b"%PDF-", b"PK\x03\x04"])),
        st.integers(0, 2 * TEXT_HEAD_BYTES),
    ),
)


def importer_refuses(content: bytes) -> bool:
    try:
        csv_text(content)
    except NotCsv:
        return True
    return False


@given(files)
def test_the_page_refuses_no_file_the_importer_takes_and_judges_small_files_the_same(content):
    page_refuses = sniff(SimpleUploadedFile("e.csv", content), (CSV,)) is None
    if page_refuses:
        assert importer_refuses(content)
    if len(content) <= TEXT_HEAD_BYTES:
        assert page_refuses == importer_refuses(content)


# Kept through the default storage, whatever it is.


@pytest.fixture
def memory_storage(settings, media_root):
    """The default storage is one that has no disk at all."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    return default_storage


def files_in(storage, folder: str = "") -> list[str]:
    """Every file ``storage`` keeps under ``folder``."""
    folders, names = storage.listdir(folder)
    prefix = f"{folder}/" if folder else ""
    return [prefix + name for name in names] + [
        name for sub in folders for name in files_in(storage, prefix + sub)
    ]


def import_run(staff_user) -> ImportRun:
    return ImportRun(kind="list_sizes", uploaded_by=staff_user)


@pytest.mark.django_db
def test_the_file_and_then_the_row_are_kept_through_the_default_storage(
    staff_user, memory_storage, media_root
):
    upload = SimpleUploadedFile("gp-reg.csv", EPRACCUR_LINE, content_type="text/html")
    run = import_run(staff_user)

    save_with_file(run, check_upload(upload, nhs_file()), upload)

    run.refresh_from_db()
    assert run.file.name.startswith("imports/") and run.file.name.endswith(".csv")
    assert files_in(memory_storage) == [run.file.name]
    assert memory_storage.open(run.file.name).read() == EPRACCUR_LINE
    assert (run.original_name, run.size, run.sha256) == (
        "gp-reg.csv",
        len(EPRACCUR_LINE),
        hashlib.sha256(EPRACCUR_LINE).hexdigest(),
    )
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_a_row_that_fails_to_insert_leaves_no_file(staff_user, memory_storage, monkeypatch):
    upload = SimpleUploadedFile("gp-reg.csv", EPRACCUR_LINE)
    run = import_run(staff_user)

    def refused(*args, **kwargs):
        raise RuntimeError("the insert failed")

    monkeypatch.setattr(run, "save", refused)
    with pytest.raises(RuntimeError):
        save_with_file(run, check_upload(upload, nhs_file()), upload)

    assert files_in(memory_storage) == []


@pytest.mark.django_db
def test_a_row_that_does_not_validate_stores_no_file(staff_user, memory_storage):
    upload = SimpleUploadedFile("gp-reg.csv", EPRACCUR_LINE)
    run = ImportRun(kind="not a kind", uploaded_by=staff_user)

    with pytest.raises(ValidationError):
        save_with_file(run, check_upload(upload, nhs_file()), upload)

    assert files_in(memory_storage) == []


@pytest.mark.django_db
def test_a_download_streams_from_the_storage_as_an_attachment_never_sniffed(staff_user, memory_storage):
    upload = SimpleUploadedFile("certificate.pdf", PDF_BYTES)
    run = import_run(staff_user)
    save_with_file(run, check_upload(upload), upload)

    response = attachment_response(run.file, filename="certificate.pdf", content_type="application/pdf")

    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"] == 'attachment; filename="certificate.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.django_db
def test_a_file_storage_has_lost_is_not_found(staff_user, memory_storage):
    run = import_run(staff_user)
    run.file.name = "imports/2019/01/gone.csv"

    with pytest.raises(Http404):
        attachment_response(run.file, filename="gone.csv", content_type="text/csv")
    with pytest.raises(Http404):
        attachment_response(import_run(staff_user).file, filename="none.csv", content_type="text/csv")


def test_a_file_is_judged_once_however_often_it_is_checked(monkeypatch):
    # the form checks an upload and the service checks it again: one judgement
    from fedportal import files

    calls = []
    judge = files.sniff

    def counting_sniff(*args, **kwargs):
        calls.append(1)
        return judge(*args, **kwargs)

    monkeypatch.setattr(files, "sniff", counting_sniff)
    upload = SimpleUploadedFile("a.pdf", PDF_BYTES)
    first = files.check_upload(upload)
    second = files.check_upload(upload)
    assert first == second
    assert len(calls) == 1
    # a new upload of the same bytes is judged afresh
    files.check_upload(SimpleUploadedFile("a.pdf", PDF_BYTES))
    assert len(calls) == 2
