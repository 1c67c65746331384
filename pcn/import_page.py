"""The ePCN workbook on the portal's imports page (``fedportal.importers``):
the page belongs to localities, which may not import pcn, so pcn registers
its kind there (``PcnConfig.ready``), read by pcn's own importer."""

import io

from fedportal.files import XLSX
from fedportal.importers import ImporterKind
from pcn.importers import import_epcn

# An .xlsx file is a zip archive: its first bytes say so. Which workbook it
# is, the importer finds by the sheets' headers.
ZIP_MAGIC = b"PK\x03\x04"


def run_epcn(data: bytes, *, commissioner: str = "", source: str = "", dry_run: bool, exclude=frozenset()):
    """Networks and memberships from the workbook; the commissioner, when
    given, narrows it to that CCG's networks. All or nothing: the workbook's
    rows are not offered one by one."""
    return import_epcn(io.BytesIO(data), ccg=commissioner or None, dry_run=dry_run)


def looks_like_epcn(data: bytes) -> bool:
    return data.startswith(ZIP_MAGIC)


EPCN_IMPORTER = ImporterKind(
    name="epcn",
    label="Primary Care Networks and their member practices (NHS Digital ePCN workbook, .xlsx)",
    types=(XLSX,),
    run=run_epcn,
    recognise=looks_like_epcn,
    takes_commissioner=True,
    position=30,
)
