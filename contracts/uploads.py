"""Checks every uploaded file passes before it is kept: not empty, at most
10 MB, and really a PDF, PNG, JPEG, DOCX or XLSX judged by its content (a
renamed web page or program is refused). Files are stored under a random
name, so nothing is ever overwritten, and kept with their SHA-256."""

import hashlib
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ACCEPTED_TYPES = "PDF, PNG, JPEG, Word (.docx) or Excel (.xlsx)"

PDF = ("application/pdf", ".pdf")
PNG = ("image/png", ".png")
JPEG = ("image/jpeg", ".jpg")
DOCX = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
XLSX = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
# The names a file of each type may keep; any other is given the type's own.
KNOWN_SUFFIXES = {".pdf": PDF, ".png": PNG, ".jpg": JPEG, ".jpeg": JPEG, ".docx": DOCX, ".xlsx": XLSX}
MAX_CONTENT_TYPES_BYTES = 64 * 1024


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    extension: str
    size: int
    sha256: str
    original_name: str


def _office_type(upload) -> tuple[str, str] | None:
    """A DOCX or XLSX is a ZIP holding [Content_Types].xml and its main part."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            content_types = (
                archive.read("[Content_Types].xml")[:MAX_CONTENT_TYPES_BYTES]
                if "[Content_Types].xml" in names
                else None
            )
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None
    finally:
        upload.seek(0)
    if content_types is None:
        return None
    # A .docm or .xlsm renamed .docx: the macros would run when staff open it.
    if b"macroEnabled" in content_types or any(name.endswith("vbaProject.bin") for name in names):
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


def sniff(upload) -> tuple[str, str] | None:
    """The file's real type from its first bytes (and, for ZIPs, its parts)."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
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
