"""A small world for the contracts tests: the H. pylori service under a head
contract with ELR CCG, its evidence requirements and tariff, and sub-contracts
for the practice user's practice and for another practice."""

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from contracts.models import (
    EvidenceRequirement,
    HeadContract,
    Organisation,
    OrganisationKind,
    Service,
    SubContract,
    Tariff,
)
from contracts.services.evidence import evidence_submit


def blank_pdf() -> bytes:
    """A real one-page PDF: uploads are opened with pypdf, and a file that
    only starts like a PDF is refused."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)  # A4
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def picture(image_format: str) -> bytes:
    """A real small picture: uploads are decoded with Pillow, and a file that
    only starts like a PNG or JPEG is refused."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 94, 184)).save(buffer, format=image_format)
    return buffer.getvalue()


PDF_BYTES = blank_pdf()
PNG_BYTES = picture("PNG")
JPEG_BYTES = picture("JPEG")


def office_bytes(main_part: str) -> bytes:
    """A minimal DOCX ('word/document.xml') or XLSX ('xl/workbook.xml')."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<root/>")
    return buffer.getvalue()


def pdf_upload(name: str = "indemnity.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def ccg(db):
    return Organisation.objects.create(
        name="NHS East Leicestershire and Rutland CCG", kind=OrganisationKind.COMMISSIONER
    )


@pytest.fixture
def pcl(db):
    return Organisation.objects.create(name="LLR Provider Company Ltd", kind=OrganisationKind.FEDERATION)


@pytest.fixture
def h_pylori(ccg, pcl):
    head = HeadContract.objects.create(
        title="H. pylori breath testing in ELR",
        commissioner=ccg,
        paying_organisation=pcl,
        start_date=date(2018, 4, 1),
    )
    service = Service.objects.create(
        name="H. pylori breath test", slug="h-pylori", head_contract=head, unit="breath test"
    )
    Tariff.objects.create(service=service, effective_from=date(2018, 4, 1), unit_price=Decimal("25.00"))
    return service


@pytest.fixture
def indemnity(h_pylori):
    return EvidenceRequirement.objects.create(
        service=h_pylori, name="Indemnity certificate", has_expiry=True, position=1
    )


@pytest.fixture
def signed_subcontract(h_pylori):
    return EvidenceRequirement.objects.create(
        service=h_pylori, name="Signed sub-contract", has_expiry=False, position=2
    )


@pytest.fixture
def fitters(h_pylori):
    return EvidenceRequirement.objects.create(
        service=h_pylori, name="Schedule of fitters", is_clinician_schedule=True, position=3
    )


@pytest.fixture
def subcontract(practice, h_pylori):
    """The practice user's own sub-contract."""
    return SubContract.objects.create(practice=practice, service=h_pylori, start_date=date(2018, 4, 1))


@pytest.fixture
def other_subcontract(other_practice, h_pylori):
    """Another practice's sub-contract: out of the practice user's scope."""
    return SubContract.objects.create(practice=other_practice, service=h_pylori, start_date=date(2018, 4, 1))


LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def january_2019(time_machine):
    """The sub-contract and evidence tests' day: 15 January 2019, 10:00 in
    London, the clock stopped. Returns the date."""
    time_machine.move_to(datetime(2019, 1, 15, 10, 0, tzinfo=LONDON), tick=False)
    return date(2019, 1, 15)


@pytest.fixture
def january_2019_ticking(time_machine):
    """15 January 2019, 10:00 in London, with the clock left running: for
    tests whose uploads and decisions follow one another in time. Returns
    the date."""
    time_machine.move_to(datetime(2019, 1, 15, 10, 0, tzinfo=LONDON))
    return date(2019, 1, 15)


@pytest.fixture
def february_2019(time_machine):
    """The seed's month: 15 February 2019, 10:00 in London, the clock
    stopped; Q3 2018/19 (Oct-Dec 2018) is the last completed quarter.
    Returns the date."""
    time_machine.move_to(datetime(2019, 2, 15, 10, 0, tzinfo=LONDON), tick=False)
    return date(2019, 2, 15)


@pytest.fixture
def submission(subcontract, indemnity, practice_user):
    """The practice's indemnity certificate for 2018/19, awaiting review."""
    return evidence_submit(
        subcontract=subcontract,
        requirement=indemnity,
        upload=pdf_upload(),
        description="MDU certificate 2018/19",
        valid_from=date(2018, 4, 1),
        valid_to=date(2019, 3, 31),
        user=practice_user,
    )
