"""Small NHS files in the real formats (../shared/data/nhs/README.md), written
by the tests themselves, and helpers to build federations in bulk."""

from datetime import date

import pytest

from localities.models import ListSize, Locality, Practice

# epraccur: no header row, every field quoted, 27 fields.
EPRACCUR_FIELDS = 27


def epraccur_line(
    code: str,
    name: str,
    *,
    status: str = "A",
    setting: str = "4",
    commissioner: str = "03W",
    open_date: str = "19740401",
    close_date: str = "",
    address: tuple[str, ...] = ("SMEETON ROAD", "KIBWORTH", "LEICESTERSHIRE", "", ""),
    postcode: str = "LE8 0LG",
) -> str:
    """One epraccur row, shaped like the real December 2019 file."""
    fields = [
        code,
        name,
        "Y60",  # national grouping
        "Q78",  # high level health geography
        *address,
        postcode,
        open_date,
        close_date,
        status,
        "B",  # organisation sub-type
        commissioner,
        "20130401",  # join provider/purchaser
        close_date,  # left provider/purchaser
        "0116 2793308",
        "",
        "",
        "",
        "0",  # amended record indicator
        "",
        commissioner,
        "",
        setting,
        "",
    ]
    assert len(fields) == EPRACCUR_FIELDS
    return ",".join(f'"{value}"' for value in fields) + "\n"


# "Patients Registered at a GP Practice": one header per era the README lists.
LIST_SIZE_HEADER_2019 = (
    "PUBLICATION,EXTRACT_DATE,TYPE,CCG_CODE,ONS_CCG_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS"
)
LIST_SIZE_HEADER_2022 = (
    "PUBLICATION,EXTRACT_DATE,TYPE,SUB_ICB_LOCATION_CODE,ONS_SUB_ICB_LOCATION_CODE,"
    "CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS"
)
LIST_SIZE_HEADER_2017 = (
    "PUBLICATION,EXTRACT_DATE,ORG_TYPE,CCG_CODE,ONS_CODE,ORG_CODE,POSTCODE,SEX,AGE_GROUP_5,NUMBER_OF_PATIENTS"
)


def list_size_line(
    code: str,
    patients: int | str,
    *,
    extract_date: str = "01JAN2021",
    kind: str = "GP",
    sex: str = "ALL",
    age: str = "ALL",
    postcode: str = "LE8 0LG",
) -> str:
    """One data row in the column order shared by every header variant."""
    return f"GP_PRAC_PAT_LIST,{extract_date},{kind},03W,E38000051,{code},{postcode},{sex},{age},{patients}\n"


@pytest.fixture
def write_file(tmp_path):
    """Write text to a file in the test's folder and return its path."""

    def write(name: str, text: str):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def bulk_practices(locality: Locality, count: int, *, start: int = 100, as_at=date(2019, 1, 1)):
    """``count`` open member practices in ``locality``, each with one list size, in
    two bulk inserts."""
    practices = Practice.objects.bulk_create(
        Practice(
            ods_code=f"Z{start + n:05d}",
            name=f"Bulk Practice {start + n}",
            postcode="LE8 0LG",
            locality=locality,
            open_date=date(2000, 1, 1),
            member_from=date(2000, 1, 1),
        )
        for n in range(count)
    )
    ListSize.objects.bulk_create(
        ListSize(practice=p, as_at=as_at, registered_patients=5000 + n) for n, p in enumerate(practices)
    )
    return practices
