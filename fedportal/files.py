"""The keeper of uploaded files: every file the portal keeps is checked here,
then stored with its row through Django's default storage (this server's disk,
or S3-compatible object storage when the environment says so: settings,
STORAGES), never by a path.

A kind of upload (``UploadKind``) is what one page takes: its file types and
its size limit. Every file is checked against its kind before it is kept: not
empty, within the limit, a name of at most 255 characters, and really one of
the kind's types judged by its content (a renamed web page or program is
refused). What would run when staff open a file is refused too: a Word or
Excel file with macros, a PDF with JavaScript or a launch action, and an
encrypted PDF (which cannot be looked into). A PDF must open with pages
(pypdf), a picture must decode (Pillow), a Word or Excel file must be a
valid package. Each check reads a bounded
amount, whatever the file says of itself. Files are stored under a random
name, so nothing is ever overwritten, and kept with their SHA-256."""

import codecs
import hashlib
import html
import io
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files import File
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

MiB = 1024 * 1024
MAX_NAME_LENGTH = 255


@dataclass(frozen=True)
class FileType:
    """A type of file the portal may keep: what people call it, the content
    type it is served with, its extension, and any other extension an
    uploaded name may keep (any other name is given the type's own)."""

    name: str
    content_type: str
    extension: str
    other_extensions: tuple[str, ...] = ()

    def keeps(self, suffix: str) -> bool:
        return suffix.lower() in (self.extension, *self.other_extensions)


PDF = FileType("PDF", "application/pdf", ".pdf")
PNG = FileType("PNG", "image/png", ".png")
JPEG = FileType("JPEG", "image/jpeg", ".jpg", (".jpeg",))
DOCX = FileType(
    "Word (.docx)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"
)
XLSX = FileType("Excel (.xlsx)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
# Text: what NHS Digital and ODS publish their data in.
CSV = FileType("CSV", "text/csv", ".csv", (".txt",))


@dataclass(frozen=True)
class UploadKind:
    """What one kind of upload accepts: its file types, judged by content, and
    its size limit. ``not_accepted`` is the message for a file of any other
    type (by default, one naming the types)."""

    types: tuple[FileType, ...]
    max_bytes: int
    not_accepted: str = ""

    @property
    def described(self) -> str:
        """The types in a sentence: 'PDF, PNG or JPEG'."""
        names = [file_type.name for file_type in self.types]
        return names[-1] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"

    @property
    def refusal(self) -> str:
        return self.not_accepted or (
            f"The selected file must be a {self.described}. This file's content is not one of those, "
            "whatever its name says."
        )


# Documents and scans: evidence, contract documents.
DOCUMENTS = UploadKind(types=(PDF, PNG, JPEG, DOCX, XLSX), max_bytes=10 * MiB)
MAX_UPLOAD_BYTES = DOCUMENTS.max_bytes
ACCEPTED_TYPES = DOCUMENTS.described


@dataclass(frozen=True)
class CheckedUpload:
    """What the check found of a file it accepted, to be kept with it."""

    content_type: str
    extension: str
    size: int
    sha256: str
    original_name: str


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

# How much of a text file the upload check reads. The importer reads the
# rest, and says on which line it is not text, which is more use to the person
# holding the file than a refusal of the whole.
TEXT_HEAD_BYTES = 4096


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


def _office_type(upload) -> FileType | None:
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


def _pdf_type(upload) -> FileType:
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


# The largest picture kept: a phone photo is 12 to 50 megapixels, a scan of
# an A4 page at 600 dpi about 35. More than this in 10 MB is a picture built
# to exhaust memory when it is decoded (a decompression bomb), refused before
# its pixels are.
MAX_IMAGE_PIXELS = 60_000_000


def _image_type(upload) -> FileType | None:
    """A PNG or JPEG that decodes whole: its header, its checksums and every
    pixel, within MAX_IMAGE_PIXELS (so a file that only begins like a picture,
    or one that would unpack to gigabytes, is refused)."""
    from PIL import Image

    not_a_picture = ValidationError(
        "The selected file cannot be opened as a picture. Save it again as a PNG or JPEG and upload that.",
        code="image",
    )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        with Image.open(io.BytesIO(data), formats=("PNG", "JPEG")) as image:
            width, height = image.size
            found = image.format
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    "The selected picture is too large to check "
                    f"({width:,} by {height:,} pixels). Save it smaller and upload that.",
                    code="image_too_large",
                )
            image.verify()  # the file's structure and checksums
        # verify() leaves the image unusable: decode every pixel from a fresh open.
        with Image.open(io.BytesIO(data), formats=(found,)) as image:
            image.load()
    except ValidationError:
        raise
    except Exception as error:  # whatever a damaged or hostile picture makes Pillow raise
        raise not_a_picture from error
    return {"PNG": PNG, "JPEG": JPEG}[found]


@dataclass(frozen=True)
class Signature:
    """How a binary file begins: what it is called in a sentence, the types it
    may turn out to be, and (when its first bytes are not enough) the look
    inside that says which, or raises ValidationError for what it holds."""

    prefix: bytes
    what: str
    types: tuple[FileType, ...]
    judge: Callable[[object], FileType | None] | None = None


# The one list of signatures every file is judged by: the types the portal
# keeps, and the files people pick by mistake (an old Office file is kept by
# no kind, but is named when refused as CSV). A file beginning with none of
# these may be text.
SIGNATURES = (
    Signature(b"%PDF-", "a PDF document", (PDF,), _pdf_type),
    Signature(b"\x89PNG\r\n\x1a\n", "a PNG image", (PNG,), _image_type),
    Signature(b"\xff\xd8\xff", "a JPEG image", (JPEG,), _image_type),
    Signature(b"PK\x03\x04", "a zip file (an Excel .xlsx workbook, say)", (DOCX, XLSX), _office_type),
    Signature(b"\xd0\xcf\x11\xe0", "an old Excel (.xls) or Word file", ()),
)


class NotCsv(ValueError):
    """Bytes that are not CSV text: ``at`` is the offset of the first byte
    that shows it, ``reason`` says why for the person holding the file."""

    def __init__(self, at: int, reason: str):
        super().__init__(reason)
        self.at = at
        self.reason = reason


def csv_text(data: bytes, *, complete: bool = True) -> str:
    """CSV text decoded as NHS files come: UTF-8 (with or without a byte-order
    mark), falling back to Windows-1252, which older NHS downloads use.
    Anything else raises NotCsv: a file that begins as a known binary type
    does, a NUL byte (text never holds one), or bytes neither encoding allows.
    ``complete=False`` reads the start of a file, whose last character may be
    cut. The upload check asks this of a file's start and the importer of the
    whole, so the check refuses only what the importer would."""
    for signature in SIGNATURES:
        if data.startswith(signature.prefix):
            raise NotCsv(0, f"the file is {signature.what}, not a CSV file; save it as CSV first")
    # Text never holds a NUL byte, and the csv module passes one through
    # (PostgreSQL then refuses it): a binary or UTF-16 file.
    if b"\x00" in data:
        raise NotCsv(data.index(b"\x00"), "a NUL byte: the file is not CSV text")
    try:
        return codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=complete)
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise NotCsv(
            error.start,
            f"byte 0x{data[error.start]:02X} is neither UTF-8 nor Windows-1252: the file is not CSV text",
        ) from None


def sniff(upload, accepted: tuple[FileType, ...] = DOCUMENTS.types) -> FileType | None:
    """The file's real type, when it is one of ``accepted``, judged from its
    first bytes (and, for PDFs and ZIPs, their insides); None when it is none
    of them. Raises ValidationError for a PDF, Word or Excel file that is
    refused for what it holds."""
    upload.seek(0)
    head = upload.read(TEXT_HEAD_BYTES)
    upload.seek(0)
    for signature in SIGNATURES:
        if head.startswith(signature.prefix):
            if not set(signature.types) & set(accepted):
                return None
            found = signature.judge(upload) if signature.judge else signature.types[0]
            return found if found in accepted else None
    if CSV in accepted:
        try:
            csv_text(head, complete=upload.size <= TEXT_HEAD_BYTES)
        except NotCsv:
            return None
        return CSV
    return None


def check_upload(upload, kind: UploadKind = DOCUMENTS) -> CheckedUpload:
    """Validate an uploaded file as a ``kind`` of upload; raise ValidationError
    with a message for the user.

    The form checks the file and the service it feeds checks it again (the
    service is also called by commands and tests); the verdict is kept on the
    upload, so a file is opened and judged once per request, not twice."""
    if upload is None:
        raise ValidationError("Choose a file to upload.", code="required")
    checked = getattr(upload, "fedportal_checked", {})
    if kind in checked:
        return checked[kind]
    result = _check(upload, kind)
    upload.fedportal_checked = {**checked, kind: result}
    return result


def _check(upload, kind: UploadKind) -> CheckedUpload:
    if upload.size == 0:
        raise ValidationError("The selected file is empty.", code="empty")
    if upload.size > kind.max_bytes:
        raise ValidationError(
            f"The selected file must be smaller than {kind.max_bytes // MiB} MB.", code="too_large"
        )
    # The length sent, before Django cut it (fedportal.upload_handlers).
    if getattr(upload, "sent_name_length", 0) > MAX_NAME_LENGTH:
        raise ValidationError(
            f"The selected file's name must be {MAX_NAME_LENGTH} characters or fewer. "
            "Rename the file and upload it again.",
            code="name_too_long",
        )
    file_type = sniff(upload, kind.types)
    if file_type is None:
        raise ValidationError(kind.refusal, code="type")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        content_type=file_type.content_type,
        extension=file_type.extension,
        size=upload.size,
        sha256=digest.hexdigest(),
        original_name=download_name(upload.name, file_type),
    )


def download_name(name: str | None, file_type: FileType) -> str:
    """The uploaded name, with the extension of what the file really is: a
    PDF uploaded as ``certificate.html`` downloads as ``certificate.pdf``, so
    it never opens in a browser or a program it was not checked for."""
    path = PurePath(name or "upload")
    if file_type.keeps(path.suffix):
        return path.name[-MAX_NAME_LENGTH:]
    stem = path.stem or "upload"
    return f"{stem[: MAX_NAME_LENGTH - len(file_type.extension)]}{file_type.extension}"


def stored_name(extension: str) -> str:
    """A new random file name (the model's ``upload_to`` adds the folder):
    uploads never replace one another."""
    return f"{uuid.uuid4().hex}{extension}"


# What a record keeps of its checked file, for each of these fields it has.
KEPT_FIELDS = ("original_name", "content_type", "size", "sha256")


def save_with_file(record, checked: CheckedUpload, upload) -> None:
    """Save a new record that keeps an uploaded file: a model with ``file``,
    ``original_name``, ``size`` and ``sha256`` (and ``content_type``, when it
    keeps one). The record is validated before the file is stored, and the
    file is removed again if the insert fails, so a refusal never leaves a
    stray file behind. The file goes to the field's storage (settings,
    STORAGES), under the checked type's extension."""
    fields = {field.name for field in record._meta.concrete_fields}
    for name in KEPT_FIELDS:
        if name in fields:
            setattr(record, name, getattr(checked, name))
    record.full_clean(exclude=["file"])
    # Wrapped, so that object storage labels it with the checked type (guessed
    # from the stored name), never the type the browser claimed.
    record.file.save(stored_name(checked.extension), File(upload, name=upload.name), save=False)
    try:
        record.save()
    except BaseException:
        record.file.delete(save=False)
        raise
