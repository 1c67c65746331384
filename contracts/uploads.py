"""Checks every uploaded file passes before it is kept: not empty, at most
10 MB, and really a PDF, PNG, JPEG, DOCX or XLSX judged by its content (a
renamed web page or program is refused). What would run when staff open a
file is refused too: a Word or Excel file with macros, a PDF with JavaScript
or a launch action, and an encrypted PDF (which cannot be looked into). Each
check reads a bounded amount, whatever the file says of itself. Files are
stored under a random name, so nothing is ever overwritten, and kept with
their SHA-256."""

import hashlib
import html
import io
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_NAME_LENGTH = 255
ACCEPTED_TYPES = "PDF, PNG, JPEG, Word (.docx) or Excel (.xlsx)"

PDF = ("application/pdf", ".pdf")
PNG = ("image/png", ".png")
JPEG = ("image/jpeg", ".jpg")
DOCX = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
XLSX = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
# The names a file of each type may keep; any other is given the type's own.
KNOWN_SUFFIXES = {".pdf": PDF, ".png": PNG, ".jpg": JPEG, ".jpeg": JPEG, ".docx": DOCX, ".xlsx": XLSX}

# What a Word or Excel file of at most 10 MB plausibly is, judged from the
# archive's directory before anything is unpacked. Real ones hold tens to a
# few hundred parts, of XML that deflates 5 to 20 times and media that hardly
# deflates at all; a zip bomb declares gigabytes in a megabyte. A part over
# 1 MB that unpacks to more than 100 times its packed size is refused, as
# Apache POI refuses it (ZipSecureFile's default); smaller parts may pack as
# well as they like.
MAX_OFFICE_PARTS = 5_000
MAX_OFFICE_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_OFFICE_RATIO = 100
OFFICE_RATIO_FROM_BYTES = 1024 * 1024
# [Content_Types].xml lists a few dozen types in a few KB. It is the one part
# unpacked (to look for macros), and never beyond this, whatever its declared
# size: the directory's sizes are the uploader's word, not a fact.
MAX_CONTENT_TYPES_BYTES = 1024 * 1024
# How a macro shows in [Content_Types].xml: a macro-enabled main part
# (.docm, .xlsm), a VBA project, or an Excel 4.0 macro sheet.
MACRO_MARKERS = ("macroenabled", "vbaproject", "macrosheet")

# A PDF's objects are all looked at for JavaScript. Hundreds of pages make
# a few thousand; a file with more than this is refused rather than examined
# at length (pypdf reads 50,000 in about 1.5 seconds).
MAX_PDF_OBJECTS = 50_000
# JavaScript (an action's /JS, the document's /JavaScript names) and actions
# that start a program (/S /Launch): a PDF reader runs them when staff open it.
PDF_SCRIPT_KEYS = {"/JS", "/JavaScript"}
PDF_RUNNING_ACTIONS = {"/JavaScript", "/Launch"}


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    extension: str
    size: int
    sha256: str
    original_name: str


def _implausible_office(parts: list[zipfile.ZipInfo]) -> bool:
    """Whether an archive's directory describes more than any Word or Excel
    file holds: too many parts, too much unpacked, or a part that inflates
    like a zip bomb."""
    return (
        len(parts) > MAX_OFFICE_PARTS
        or sum(part.file_size for part in parts) > MAX_OFFICE_UNPACKED_BYTES
        or any(
            part.file_size > OFFICE_RATIO_FROM_BYTES
            and part.file_size > MAX_OFFICE_RATIO * part.compress_size
            for part in parts
        )
    )


def _office_type(upload) -> tuple[str, str] | None:
    """A DOCX or XLSX is a ZIP holding [Content_Types].xml and its main part."""
    unpacks_too_far = ValidationError(
        "The selected file unpacks to far more than a Word or Excel file does, so it cannot be "
        "checked. Save it again from Word or Excel and upload that.",
        code="archive",
    )
    upload.seek(0)
    try:
        # zipfile reads the whole directory before its parts can be counted (a
        # 10 MB directory of empty parts takes seconds and 70 MB): count the
        # signatures that start its entries first, never fewer than the parts.
        if upload.read().count(b"PK\x01\x02") > MAX_OFFICE_PARTS:
            raise unpacks_too_far
        with zipfile.ZipFile(upload) as archive:
            parts = archive.infolist()
            if _implausible_office(parts):
                raise unpacks_too_far
            # Office compares part names ignoring case (word/VBAPROJECT.BIN is
            # a VBA project), and a real file never has two names that differ
            # only by case: which of them Word would read is anyone's guess.
            names = [part.filename.lower() for part in parts]
            if len(set(names)) < len(names) or "[content_types].xml" not in names:
                return None
            with archive.open(parts[names.index("[content_types].xml")]) as part:
                content_types = part.read(MAX_CONTENT_TYPES_BYTES + 1)
    except ValidationError:
        raise
    except Exception:  # whatever a damaged or hostile archive makes zipfile raise
        return None
    finally:
        upload.seek(0)
    if len(content_types) > MAX_CONTENT_TYPES_BYTES:
        raise unpacks_too_far
    # Read as XML is: UTF-16 when it starts so, character references resolved
    # (macro&#69;nabled is macroEnabled to Word), case ignored.
    encoding = "utf-16" if content_types[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"
    content_types = html.unescape(content_types.decode(encoding, errors="replace")).lower()
    # A .docm or .xlsm renamed .docx: the macros would run when staff open it.
    if any(marker in content_types for marker in MACRO_MARKERS) or any(
        name.endswith("vbaproject.bin") for name in names
    ):
        raise ValidationError(
            "The selected file contains macros. Save it as an ordinary Word or Excel file "
            "(without macros) and upload that.",
            code="macros",
        )
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def _runs_something(reader: PdfReader) -> bool:
    """Whether any object of the PDF is JavaScript or a launch action, wherever
    it hangs (the open action, a page, a link, a form field, the names tree):
    every object the file holds is looked at, not only where readers look first."""
    todo = [reader.trailer]
    todo += [
        IndirectObject(number, generation, reader)
        for generation, numbers in reader.xref.items()
        for number in numbers
    ]
    todo += [IndirectObject(number, 0, reader) for number in reader.xref_objStm]
    seen = set()
    while todo:
        item = todo.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            if len(seen) > MAX_PDF_OBJECTS:
                raise ValueError("Too many objects to check.")
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            if PDF_SCRIPT_KEYS & item.keys() or ("/S" in item and item["/S"] in PDF_RUNNING_ACTIONS):
                return True
            todo += item.values()
        elif isinstance(item, ArrayObject):
            todo += item
    return False


def _pdf_type(upload) -> tuple[str, str]:
    """A PDF that opens, with pages, not encrypted (it could not be looked into,
    nor read by staff without its password) and running nothing when opened."""
    upload.seek(0)
    try:
        # pypdf reads a byte at a time: from memory (10 MB at most), not through the upload.
        reader = PdfReader(io.BytesIO(upload.read()))
        encrypted = reader.is_encrypted
        runs_something = not encrypted and _runs_something(reader)
        if not encrypted and not len(reader.pages):
            raise ValueError("No pages.")
    except Exception as error:  # whatever a damaged or hostile PDF makes pypdf raise
        raise ValidationError(
            "The selected file cannot be opened as a PDF. Save or print it as a PDF again and upload that.",
            code="pdf",
        ) from error
    finally:
        upload.seek(0)
    if encrypted:
        raise ValidationError(
            "The selected file is protected by a password or encryption, so it cannot be checked. "
            "Save or print it as a PDF without protection and upload that.",
            code="encrypted",
        )
    if runs_something:
        raise ValidationError(
            "The selected file contains JavaScript or an action that starts a program when it is "
            "opened. Save or print it as an ordinary PDF and upload that.",
            code="pdf_actions",
        )
    return PDF


def sniff(upload) -> tuple[str, str] | None:
    """The file's real type from its first bytes (and, for PDFs and ZIPs,
    their insides). Raises ValidationError for a PDF, Word or Excel file that
    is refused for what it holds."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return _pdf_type(upload)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _office_type(upload)
    return None


def check_upload(upload) -> CheckedUpload:
    """Validate an uploaded file; raise ValidationError with a message for the user."""
    if upload is None:
        raise ValidationError("Choose a file to upload.", code="required")
    if upload.size == 0:
        raise ValidationError("The selected file is empty.", code="empty")
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"The selected file must be smaller than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
            code="too_large",
        )
    # The length sent, before Django cut it (fedportal.upload_handlers).
    if getattr(upload, "sent_name_length", 0) > MAX_NAME_LENGTH:
        raise ValidationError(
            f"The selected file's name must be {MAX_NAME_LENGTH} characters or fewer. "
            "Rename the file and upload it again.",
            code="name_too_long",
        )
    kind = sniff(upload)
    if kind is None:
        raise ValidationError(
            f"The selected file must be a {ACCEPTED_TYPES}. This file's content is not one of those, "
            "whatever its name says.",
            code="type",
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        content_type=kind[0],
        extension=kind[1],
        size=upload.size,
        sha256=digest.hexdigest(),
        original_name=download_name(upload.name, kind),
    )


def download_name(name: str | None, kind: tuple[str, str]) -> str:
    """The uploaded name, with the extension of what the file really is: a
    PDF uploaded as ``certificate.html`` downloads as ``certificate.pdf``, so
    it never opens in a browser or a program it was not checked for."""
    path = PurePath(name or "upload")
    if KNOWN_SUFFIXES.get(path.suffix.lower()) == kind:
        return path.name[-255:]
    stem = path.stem or "upload"
    return f"{stem[: 255 - len(kind[1])]}{kind[1]}"


def stored_name(extension: str) -> str:
    """A new random file name (the model's ``upload_to`` adds the folder):
    uploads never replace one another."""
    return f"{uuid.uuid4().hex}{extension}"


def save_with_file(record, checked: CheckedUpload, upload) -> None:
    """Save a new record that keeps an uploaded file (a model with ``file``,
    ``original_name``, ``content_type``, ``size`` and ``sha256``). The record is
    validated before the file is stored, and the file is removed again if the
    insert fails, so a refusal never leaves a stray file behind."""
    record.original_name = checked.original_name
    record.content_type = checked.content_type
    record.size = checked.size
    record.sha256 = checked.sha256
    record.full_clean(exclude=["file"])
    record.file.save(stored_name(checked.extension), upload, save=False)
    try:
        record.save()
    except BaseException:
        record.file.delete(save=False)
        raise
