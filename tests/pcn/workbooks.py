"""Small ePCN workbooks written by the tests, with the real file's quirks:
"PCN Name" and the match column as formulas with cached values, a member from
another CCG, and (on request) the later editions' renamed sheet, line breaks
in header cells and "Sub ICB Location" for CCG."""

import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook

DETAILS = [
    (
        "U12169",
        "NORTH BLABY PCN",
        "03W",
        "NHS EAST LEICESTERSHIRE AND RUTLAND CCG",
        20191001,
        None,
        "ENDERBY MEDICAL CENTRE",
        "SHORTRIDGE LANE",
        None,
        "ENDERBY",
        "LEICESTERSHIRE",
        "LE19 4LY",
    ),
    (
        "U25294",
        "MELTON, SYSTON AND VALE PCN",
        "03W",
        "NHS EAST LEICESTERSHIRE AND RUTLAND CCG",
        20191001,
        None,
        "LATHAM HOUSE MEDICAL PRAC",
        "SAGE CROSS STREET",
        None,
        "MELTON MOWBRAY",
        "LEICESTERSHIRE",
        "LE13 1NX",
    ),
    (
        "U45102",
        "DARLINGTON PCN",
        "00C",
        "NHS DARLINGTON CCG",
        20191001,
        None,
        None,
        None,
        None,
        "DARLINGTON",
        None,
        "DL1 1AA",
    ),
]
ELR = "NHS EAST LEICESTERSHIRE AND RUTLAND CCG"
PARTNERS = [
    ("C82039", "KINGSWAY SURGERY", "03W", ELR, "U12169", "NORTH BLABY PCN", "03W", ELR, 20191001, None, True),
    (
        "C82631",
        "ENDERBY MEDICAL CENTRE",
        "03W",
        ELR,
        "U12169",
        "NORTH BLABY PCN",
        "03W",
        ELR,
        20191001,
        None,
        True,
    ),
    (
        "C82038",
        "LATHAM HOUSE MEDICAL PRACTICE",
        "03W",
        ELR,
        "U25294",
        "MELTON, SYSTON AND VALE PCN",
        "03W",
        ELR,
        20191001,
        None,
        True,
    ),
    (
        "C83653",
        "STACKYARD AND WOOLSTHORPE SURGERY",
        "04Q",
        "NHS SOUTH WEST LINCOLNSHIRE CCG",
        "U25294",
        "MELTON, SYSTON AND VALE PCN",
        "03W",
        ELR,
        20191001,
        None,
        False,
    ),
    (
        "A83005",
        "WHINFIELD MEDICAL PRACTICE",
        "00C",
        "NHS DARLINGTON CCG",
        "U45102",
        "DARLINGTON PCN",
        "00C",
        "NHS DARLINGTON CCG",
        20191001,
        None,
        True,
    ),
]
DETAIL_HEADER = [
    "PCN Code",
    "PCN Name",
    "Current Clinical Commissioning Group Code",
    "Clinical Commissioning Group Name",
    "Open Date (YYYYMMDD)",
    "Close Date",
    "Address Line 1",
    "Address Line 2",
    "Address Line 3",
    "Address Line 4",
    "Address Line 5",
    "Postcode",
]
PARTNER_HEADER = [
    "Partner Organisation Code",
    "Partner Name",
    "Practice Parent CCG Code",
    "Practice Parent CCG Name",
    "PCN Code",
    "PCN Name",
    "PCN Parent CCG Code",
    "PCN Parent CCG Name",
    "Practice to PCN Relationship Start Date",
    "Practice to PCN Relationship End Date",
    "Practice CCG and PCN CCG match?",
]


def later_edition(header: list[str]) -> list[str]:
    """Line breaks inside header cells, and Sub ICB Location for CCG."""
    return [
        h.replace("Clinical Commissioning Group", "Sub ICB Location")
        .replace(" Code", "\nCode")
        .replace("Relationship ", "Relationship\n")
        for h in header
    ]


def _formulas(xml: str, names: dict[int, str]) -> str:
    """Columns F (PCN Name) and K (match) of the partner sheet as VLOOKUP
    formulas holding the cached values Excel saved, as in the real file."""

    def name_cell(match):
        row = int(match.group(1))
        if row == 1 or row not in names:
            return match.group(0)
        value = names[row].replace("&", "&amp;")
        return f'<c r="F{row}" t="str"><f>VLOOKUP(E{row},\'PCN Details\'!A:B,2,FALSE)</f><v>{value}</v></c>'

    def match_cell(match):
        row = int(match.group(1))
        if row == 1:
            return match.group(0)
        return match.group(0).replace("<v>", f"<f>C{row}=G{row}</f><v>", 1)

    xml = re.sub(r'<c r="F(\d+)"[^>]*?(?:/>|>.*?</c>)', name_cell, xml)
    return re.sub(r'<c r="K(\d+)"[^>]*?>.*?</c>', match_cell, xml)


def write_epcn(
    path: Path, *, details=DETAILS, partners=PARTNERS, details_title="PCN Details", later=False
) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = details_title
    sheet.append(later_edition(DETAIL_HEADER) if later else DETAIL_HEADER)
    for row in details:
        sheet.append(list(row))
    members = workbook.create_sheet("PCN Core Partner Details")
    members.append(later_edition(PARTNER_HEADER) if later else PARTNER_HEADER)
    for row in partners:
        members.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    names = {index: row[5] for index, row in enumerate(partners, start=2) if row[5]}
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = _formulas(data.decode(), names).encode()
            target.writestr(item, data)
    return path
