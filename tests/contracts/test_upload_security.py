"""Hostile uploads, refused beside the file field with the reason and nothing
written: a Word file that is a zip bomb or hides its macros, a PDF that runs
JavaScript or a program when opened, or is encrypted, or is not a PDF at all;
each checked in bounded memory whatever the file says of itself."""

import functools
import io
import struct
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfWriter

from contracts.models import ContractDocument, EvidenceSubmission
from fedportal import files as uploads
from fedportal.files import check_upload
from tests.conftest import stored_files
from tests.contracts.conftest import PDF_BYTES
from tests.contracts.helpers import make_contract
from tests.pages import error_beside, errors_beside

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

MiB = 1024 * 1024
GiB = 1024 * MiB

UNPACKS_TOO_FAR = "The selected file unpacks to far more than a Word or Excel file does"
MACROS = "The selected file contains macros."
NOT_ACCEPTED = "This file's content is not one of those"
RUNS_SOMETHING = "The selected file contains JavaScript or an action that starts a program"
ENCRYPTED = "The selected file is protected by a password or encryption"
NOT_A_PDF = "The selected file cannot be opened as a PDF."


NOT_A_PICTURE = "The selected file cannot be opened as a picture."
PICTURE_TOO_LARGE = "The selected picture is too large to check (9,000 by 9,000 pixels)."
JUNK_PDF_110 = (b"%PDF-1.4\n" + b"junk " * 21)[:110]
assert len(JUNK_PDF_110) == 110


def picture_bytes(image_format: str, size=(40, 30), mode="RGB") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format=image_format)
    return buffer.getvalue()


def png_with_a_bad_checksum() -> bytes:
    """A PNG whose image data's CRC is wrong: the file was damaged."""
    data = bytearray(picture_bytes("PNG"))
    end = data.index(b"IEND")
    data[end - 5] ^= 0xFF  # the last byte of the IDAT chunk's CRC
    return bytes(data)


@functools.cache
def huge_png() -> bytes:
    """81 million pixels in a few kilobytes: decoded, hundreds of megabytes."""
    return picture_bytes("PNG", size=(9000, 9000), mode="1")


# Word files, built part by part.


@functools.cache
def deflated_zeros(size: int) -> tuple[bytes, int]:
    """A raw deflate stream of ``size`` zero bytes (a whole number of MiB) and
    its CRC-32, made in a moment: one MiB deflated and flushed so that it
    stands alone, repeated, then an empty last block."""
    zeros, crc = bytes(MiB), 0
    mib = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = mib.compress(zeros) + mib.flush(zlib.Z_FULL_FLUSH)
    stream = block * (size // MiB) + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    for _ in range(size // MiB):
        crc = zlib.crc32(zeros, crc)
    return stream, crc


def zip_of(*parts: tuple[str, bytes, int, int]) -> bytes:
    """A ZIP of already deflated parts, each (name, raw deflate stream, CRC-32,
    unpacked size as declared): a declared size may be a lie."""
    body, directory = bytearray(), bytearray()
    for name, stream, crc, size in parts:
        encoded = name.encode()
        sizes = (crc, len(stream), size, len(encoded))
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, *sizes, 0, 0, 0, 0, 0, len(body)
        )
        directory += encoded
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, *sizes, 0) + encoded + stream
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(directory), len(body), 0)
    return bytes(body + directory + end)


def deflated(content: bytes) -> tuple[bytes, int, int]:
    """A small part's raw deflate stream, CRC-32 and size."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(content) + compressor.flush(), zlib.crc32(content), len(content)


@functools.cache
def office_bomb(unpacked: int = GiB) -> bytes:
    """The finding's .docx of about 1 MB whose [Content_Types].xml unpacks to 1 GiB of zeros."""
    return zip_of(
        ("[Content_Types].xml", *deflated_zeros(unpacked), unpacked),
        ("word/document.xml", *deflated(b"<root/>")),
    )


def docx(content_types: str | bytes = "<Types/>", parts: dict[str, bytes] | None = None) -> bytes:
    """A Word document with this [Content_Types].xml and other parts by name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("word/document.xml", "<root/>")
        for name, content in (parts or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


MACRO_TYPES = (
    '<Override PartName="/word/document.xml" ContentType="application/vnd.ms-word.document.{}.main+xml"/>'
)


def docx_with_parts(count: int) -> bytes:
    """A Word document of ``count`` tiny parts besides its own two."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<root/>")
        for number in range(count):
            archive.writestr(f"word/media/{number}.xml", "")
    return buffer.getvalue()


# PDFs, written object by object.


def pdf_of(*objects: bytes) -> bytes:
    """A PDF of these objects, numbered from 1 (the catalog), with its
    cross-reference table."""
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def one_page_pdf(catalog: bytes = b"", page: bytes = b"", *more: bytes) -> bytes:
    """A one-page PDF with more in its catalog and page, and more objects
    (numbered from 4)."""
    return pdf_of(
        b"<</Type /Catalog /Pages 2 0 R " + catalog + b">>",
        b"<</Type /Pages /Kids [3 0 R] /Count 1>>",
        b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + page + b">>",
        *more,
    )


def encrypted_pdf(user_password: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password, owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


ALERT = b"<</S /JavaScript /JS (app.alert(1))>>"

REFUSED = [
    # Zip bombs and archives no Word or Excel file resembles.
    pytest.param("cert.docx", office_bomb, UNPACKS_TOO_FAR, id="docx-unpacking-to-1-GiB"),
    pytest.param(
        "cert.docx",
        lambda: zip_of(
            ("[Content_Types].xml", *deflated(b"<Types/>")),
            ("word/document.xml", *deflated(b"<root/>")),
            *((f"word/media/{n}.bin", *deflated_zeros(MiB), MiB) for n in range(201)),
        ),
        UNPACKS_TOO_FAR,
        id="docx-unpacking-to-201-MiB-in-1-MiB-parts",
    ),
    pytest.param(
        "cert.docx",
        lambda: docx(parts={"word/media/image1.bmp": bytes(2 * MiB)}),
        UNPACKS_TOO_FAR,
        id="docx-with-a-2-MiB-part-packed-1000-times",
    ),
    pytest.param("cert.docx", lambda: docx_with_parts(5_000), UNPACKS_TOO_FAR, id="docx-of-5002-parts"),
    pytest.param(
        "cert.docx",
        # Random text packs only about 2:1, so no ratio is implausible: the size alone is.
        lambda: docx("<Types><!-- " + "3f9a0c" * 200_000 + " --></Types>"),
        UNPACKS_TOO_FAR,
        id="docx-content-types-over-1-MB",
    ),
    # Macros, however they are spelt.
    pytest.param(
        "cert.docx",
        lambda: docx(
            "<Types><!-- " + "x" * 100_000 + " -->" + MACRO_TYPES.format("macroEnabled") + "</Types>"
        ),
        MACROS,
        id="docm-declared-after-100-KB-of-padding",
    ),
    pytest.param(
        "cert.docx",
        lambda: docx(parts={"word/VBAPROJECT.BIN": b"\xd0\xcf\x11\xe0"}),
        MACROS,
        id="VBAPROJECT.BIN-in-capitals",
    ),
    pytest.param(
        "cert.docx",
        lambda: docx(f"<Types>{MACRO_TYPES.format('MACROENABLED')}</Types>"),
        MACROS,
        id="MACROENABLED",
    ),
    pytest.param(
        "cert.docx",
        lambda: docx(f"<Types>{MACRO_TYPES.format('macro&#69;nabled')}</Types>"),
        MACROS,
        id="macroEnabled-as-a-character-reference",
    ),
    pytest.param(
        "cert.docx",
        lambda: docx(f"<Types>{MACRO_TYPES.format('macroEnabled')}</Types>".encode("utf-16")),
        MACROS,
        id="macroEnabled-in-utf-16",
    ),
    pytest.param(
        "cert.docx",
        lambda: docx(
            parts={"[CONTENT_TYPES].XML": f"<Types>{MACRO_TYPES.format('macroEnabled')}</Types>".encode()}
        ),
        NOT_ACCEPTED,
        id="two-content-types-differing-by-case",
    ),
    # PDFs that run something when opened.
    pytest.param(
        "cert.pdf", lambda: one_page_pdf(b"/OpenAction " + ALERT), RUNS_SOMETHING, id="javascript-open-action"
    ),
    pytest.param(
        "cert.pdf",
        lambda: one_page_pdf(b"/Names <</JavaScript <</Names [(x) 4 0 R]>>>>", b"", ALERT),
        RUNS_SOMETHING,
        id="javascript-in-the-names-tree",
    ),
    pytest.param(
        "cert.pdf",
        lambda: one_page_pdf(b"", b"/AA <</O <</S /J#61vaScript /J#53 (app.alert(1))>>>>"),
        RUNS_SOMETHING,
        id="javascript-page-action-in-escaped-names",
    ),
    pytest.param(
        "cert.pdf",
        lambda: one_page_pdf(
            b"",
            b"/Annots [4 0 R]",
            b"<</Type /Annot /Subtype /Link /Rect [0 0 595 842] /A <</S /Launch /F (cmd.exe)>>>>",
        ),
        RUNS_SOMETHING,
        id="launch-action-on-a-link",
    ),
    pytest.param(
        "cert.pdf",
        lambda: one_page_pdf(b"/OpenAction 4 0 R", b"", b"<</S 5 0 R /F (cmd.exe)>>", b"/Launch"),
        RUNS_SOMETHING,
        id="launch-action-named-indirectly",
    ),
    pytest.param(
        "cert.pdf", lambda: one_page_pdf(b"", b"", ALERT), RUNS_SOMETHING, id="javascript-left-unreferenced"
    ),
    # PDFs that cannot be looked into.
    pytest.param("cert.pdf", lambda: encrypted_pdf("secret"), ENCRYPTED, id="pdf-with-a-password"),
    pytest.param("cert.pdf", lambda: encrypted_pdf(""), ENCRYPTED, id="pdf-encrypted-without-a-password"),
    pytest.param("cert.pdf", lambda: b"%PDF-1.4 followed by junk", NOT_A_PDF, id="pdf-header-then-junk"),
    # The file of issue 11: 110 bytes, a PDF's first line and then junk.
    pytest.param("cert.pdf", lambda: JUNK_PDF_110, NOT_A_PDF, id="pdf-of-110-bytes-of-junk"),
    # Pictures that only begin like one, or would exhaust memory when decoded.
    pytest.param(
        "cert.png", lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, NOT_A_PICTURE, id="png-header-then-zeros"
    ),
    pytest.param(
        "cert.jpg", lambda: b"\xff\xd8\xff\xe0" + b"junk" * 16, NOT_A_PICTURE, id="jpeg-header-then-junk"
    ),
    pytest.param("cert.png", lambda: picture_bytes("PNG")[:-30], NOT_A_PICTURE, id="png-cut-short"),
    pytest.param("cert.png", lambda: png_with_a_bad_checksum(), NOT_A_PICTURE, id="png-with-a-bad-checksum"),
    pytest.param("cert.png", lambda: huge_png(), PICTURE_TOO_LARGE, id="png-decompression-bomb"),
    pytest.param(
        "cert.pdf",
        lambda: pdf_of(b"<</Type /Catalog /Pages 2 0 R>>", b"<</Type /Pages /Kids [] /Count 0>>"),
        NOT_A_PDF,
        id="pdf-without-pages",
    ),
]


def evidence_form(requirement, file) -> dict:
    return {
        "requirement": requirement.pk,
        "description": "MDU certificate 2018/19",
        "valid_to": "2019-03-31",
        "file": file,
    }


@pytest.mark.parametrize(("name", "make", "message"), REFUSED)
def test_a_hostile_evidence_upload_is_refused_beside_the_file_field_and_nothing_is_written(
    client_as, subcontract, indemnity, media_root, name, make, message
):
    # when a practice user uploads the file as evidence
    response = client_as("practice").post(
        f"/subcontracts/{subcontract.pk}/evidence/new/",
        evidence_form(indemnity, SimpleUploadedFile(name, make())),
    )

    # then the form comes back, saying why beside the file field, what they typed kept
    assert response.status_code == 400
    assert any(message in error for error in errors_beside(response.content, "file"))
    assert 'value="MDU certificate 2018/19"' in response.content.decode()
    # and nothing is written
    assert EvidenceSubmission.objects.count() == 0
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        pytest.param("contract.docx", office_bomb, UNPACKS_TOO_FAR, id="docx-unpacking-to-1-GiB"),
        pytest.param(
            "contract.pdf",
            lambda: one_page_pdf(b"/OpenAction " + ALERT),
            RUNS_SOMETHING,
            id="javascript-open-action",
        ),
    ],
)
def test_a_hostile_contract_document_is_refused_beside_the_file_field(
    client_for, staff_user, practice, media_root, name, make, message
):
    contract = make_contract("FCP-HARB", localities=[practice.locality])

    response = client_for(staff_user).post(
        f"/contracts/{contract.pk}/documents/new/",
        {"title": "Signed contract", "kind": "signed_contract", "file": SimpleUploadedFile(name, make())},
    )

    assert response.status_code == 400
    assert message in error_beside(response.content, "file")
    assert not ContractDocument.objects.exists()
    assert stored_files(media_root) == []


def peak_memory_of(check) -> int:
    """The most memory Python held at once while ``check`` ran, in bytes."""
    tracemalloc.start()
    try:
        check()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(office_bomb, id="1-GiB-declared"),
        # The directory says 1 KB; the part's stream holds 1 GiB.
        pytest.param(
            lambda: zip_of(
                ("[Content_Types].xml", *deflated_zeros(GiB), 1024),
                ("word/document.xml", *deflated(b"<root/>")),
            ),
            id="1-GiB-declared-as-1-KB",
        ),
    ],
)
def test_a_zip_bomb_is_refused_without_unpacking_it(content):
    upload = SimpleUploadedFile("cert.docx", content())

    def check():
        with pytest.raises(ValidationError):
            check_upload(upload)

    # Unpacked, it would take a gigabyte (the check used to take two).
    assert peak_memory_of(check) < 32 * MiB


def test_a_pdf_with_more_objects_than_can_be_checked_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PDF_OBJECTS", 10)
    upload = SimpleUploadedFile("cert.pdf", one_page_pdf(b"", b"", *[b"<<>>"] * 10))

    with pytest.raises(ValidationError) as refused:
        check_upload(upload)

    assert NOT_A_PDF in refused.value.messages[0]


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(
            lambda: one_page_pdf(
                b"/Outlines <<>>",
                b"/Annots [<</Type /Annot /Subtype /Link /Rect [0 0 99 99] /A <</S /URI /URI (https://www.nhs.uk/)>>>>]",
            ),
            id="pdf-with-a-web-link",
        ),
        pytest.param(lambda: PDF_BYTES + b"\nsigned by both parties\n", id="pdf-with-bytes-after-its-end"),
        pytest.param(lambda: docx_with_parts(4_000), id="docx-of-4002-parts"),
        pytest.param(
            lambda: docx(parts={"word/media/image1.png": bytes(512 * 1024)}),
            id="docx-with-a-packed-512-KB-part",
        ),
        pytest.param(
            lambda: docx(
                '<Types><Default Extension="xml" ContentType="application/xml"/></Types>'.encode("utf-16")
            ),
            id="docx-content-types-in-utf-16",
        ),
    ],
)
def test_ordinary_documents_are_still_accepted(content):
    assert check_upload(SimpleUploadedFile("cert", content())).size > 0


def test_a_1000_character_file_name_is_refused_beside_the_file_field(practice_user, subcontract, indemnity):
    # given a practice user in a browser (which sends the CSRF token)
    client = Client(enforce_csrf_checks=True)
    client.force_login(practice_user)
    url = f"/subcontracts/{subcontract.pk}/evidence/new/"
    token = client.get(url).context["csrf_token"]
    # and a file with a 1,000-character name (SimpleUploadedFile would cut it to 255)
    file = io.BytesIO(PDF_BYTES)
    file.name = "c" * 996 + ".pdf"

    # when they upload it
    response = client.post(url, {**evidence_form(indemnity, file), "csrfmiddlewaretoken": token})

    # then the form comes back with a message beside the file field and what they typed
    assert response.status_code == 400
    assert errors_beside(response.content, "file") == [
        "The selected file's name must be 255 characters or fewer. Rename the file and upload it again."
    ]
    assert 'value="MDU certificate 2018/19"' in response.content.decode()
    assert EvidenceSubmission.objects.count() == 0


def test_a_255_character_file_name_is_kept_whole(practice_user, subcontract, indemnity, media_root):
    client = Client(enforce_csrf_checks=True)
    client.force_login(practice_user)
    url = f"/subcontracts/{subcontract.pk}/evidence/new/"
    token = client.get(url).context["csrf_token"]
    file = io.BytesIO(PDF_BYTES)
    file.name = "c" * 251 + ".pdf"
    response = client.post(url, {**evidence_form(indemnity, file), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert EvidenceSubmission.objects.get().original_name == file.name


@pytest.mark.parametrize("image_format", ["PNG", "JPEG"])
def test_a_picture_that_decodes_is_kept(image_format):
    checked = check_upload(SimpleUploadedFile(f"cert.{image_format.lower()}", picture_bytes(image_format)))
    assert checked.content_type == f"image/{image_format.lower()}"


def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded():
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as refused:
            check_upload(SimpleUploadedFile("cert.png", huge_png()))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.messages[0].startswith(PICTURE_TOO_LARGE)
    # Decoded, the picture would take 81 MB even at one bit a pixel... 10 at least.
    assert peak < 8 * MiB
