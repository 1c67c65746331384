"""manage.py import_epcn on small workbooks with the real file's quirks, and
on the real national workbook when it is there."""

import time
import zipfile
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from localities.models import Practice
from pcn.models import PCN, Membership
from tests.pcn.workbooks import DETAILS, PARTNERS, write_epcn

pytestmark = pytest.mark.django_db

NHS_DATA = Path(settings.BASE_DIR).parent / "shared" / "data" / "nhs"
EPCN = NHS_DATA / "ePCN-2019-12.xlsx"


def run(path, **options) -> str:
    out = StringIO()
    call_command("import_epcn", str(path), stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def test_the_written_workbook_has_formula_cells_with_cached_values(tmp_path):
    path = write_epcn(tmp_path / "epcn.xlsx")
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet2.xml").decode()
    assert "<f>VLOOKUP(E5" in xml
    # read as formulas, the cells hold no name; read by cached values, they do
    assert load_workbook(path)["PCN Core Partner Details"]["F5"].value.startswith("=VLOOKUP")
    assert (
        load_workbook(path, data_only=True)["PCN Core Partner Details"]["F5"].value
        == "MELTON, SYSTON AND VALE PCN"
    )


def test_networks_and_memberships_are_imported(tmp_path):
    output = run(write_epcn(tmp_path / "epcn.xlsx"))

    assert PCN.objects.count() == 3
    melton = PCN.objects.get(code="U25294")
    assert melton.name == "Melton, Syston and Vale PCN"
    assert melton.ccg_code == "03W" and melton.open_date == date(2019, 10, 1)
    assert melton.address.splitlines()[0] == "Latham House Medical Prac"
    assert Membership.objects.count() == 5
    # the member from another CCG is kept, flagged, and its practice added
    stackyard = Membership.objects.get(practice__ods_code="C83653")
    assert stackyard.pcn == melton and stackyard.other_ccg and stackyard.practice_ccg_code == "04Q"
    assert Practice.objects.get(ods_code="C83653").name == "Stackyard and Woolsthorpe Surgery"
    assert "networks created: 3" in output
    assert "memberships created: 5" in output
    assert "members from another CCG: 1" in output
    assert "C83653 Stackyard and Woolsthorpe Surgery (04Q) in U25294" in output


def test_a_second_import_changes_nothing(tmp_path):
    path = write_epcn(tmp_path / "epcn.xlsx")
    run(path)
    output = run(path)
    assert "networks created: 0" in output and "networks unchanged: 3" in output
    assert "memberships created: 0" in output and "memberships unchanged: 5" in output
    assert Membership.objects.count() == 5


def test_a_dry_run_writes_nothing(tmp_path):
    output = run(write_epcn(tmp_path / "epcn.xlsx"), dry_run=True)
    assert "Dry run" in output and "networks created (would be): 3" in output
    assert PCN.objects.count() == 0 and Membership.objects.count() == 0 and Practice.objects.count() == 0


def test_one_ccg_with_its_members_from_other_ccgs(tmp_path):
    output = run(write_epcn(tmp_path / "epcn.xlsx"), ccg="03w")
    assert set(PCN.objects.values_list("code", flat=True)) == {"U12169", "U25294"}
    assert Membership.objects.filter(practice__ods_code="C83653").exists()
    assert not Practice.objects.filter(ods_code="A83005").exists()
    assert "1 network of a CCG other than 03W" in output


def test_later_editions_renamed_sheet_line_breaks_and_sub_icb(tmp_path):
    path = write_epcn(tmp_path / "epcn.xlsx", details_title="PCNDetails", later=True)
    header = next(load_workbook(path)["PCNDetails"].iter_rows(max_row=1, values_only=True))
    assert "Current Sub ICB Location\nCode" in header
    run(path)
    assert PCN.objects.get(code="U12169").ccg_code == "03W"
    assert Membership.objects.count() == 5


def test_a_malformed_row_writes_nothing(tmp_path):
    partners = [*PARTNERS[:-1], (*PARTNERS[-1][:8], "1st Oct", None, True)]
    with pytest.raises(CommandError, match="nothing was imported"):
        run(write_epcn(tmp_path / "epcn.xlsx", partners=partners))
    assert PCN.objects.count() == 0 and Practice.objects.count() == 0


def test_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "epcn.xlsx"
    path.write_text("PCN Code,PCN Name\n")
    with pytest.raises(CommandError):
        run(path)


def test_a_move_between_networks_ends_the_old_membership(tmp_path, staff_user):
    path = write_epcn(tmp_path / "epcn.xlsx")
    run(path)
    moved = [
        *PARTNERS[:2],
        (
            "C82038",
            "LATHAM HOUSE MEDICAL PRACTICE",
            "03W",
            "X",
            "U12169",
            "NORTH BLABY PCN",
            "03W",
            "X",
            20200401,
            None,
            True,
        ),
        *PARTNERS[3:],
    ]
    output = run(write_epcn(tmp_path / "later.xlsx", partners=moved))
    latham = Membership.objects.filter(practice__ods_code="C82038").order_by("start_date")
    assert [(m.pcn.code, m.start_date, m.end_date) for m in latham] == [
        ("U25294", date(2019, 10, 1), date(2020, 3, 31)),
        ("U12169", date(2020, 4, 1), None),
    ]
    assert "memberships ended: 1" in output


def test_an_uncalculated_match_column_is_worked_out_from_the_codes(tmp_path):
    partners = [(*row[:10], None) for row in PARTNERS]
    run(write_epcn(tmp_path / "epcn.xlsx", partners=partners, details=DETAILS))
    assert list(Membership.objects.filter(other_ccg=True).values_list("practice__ods_code", flat=True)) == [
        "C83653"
    ]


@pytest.mark.nhs_data
def test_the_national_workbook(capsys):
    if not EPCN.is_file():
        pytest.skip(f"{EPCN} is absent (real NHS data is not part of the project)")
    started = time.perf_counter()
    output = run(EPCN)
    elapsed = time.perf_counter() - started
    again = run(EPCN)
    with capsys.disabled():
        print(
            f"\nnational ePCN import: {elapsed:.2f} s; again: {time.perf_counter() - started - elapsed:.2f} s"
        )
    assert PCN.objects.count() == 1250
    assert Membership.objects.count() == 6757
    assert "memberships created: 6,757" in output
    assert "memberships unchanged: 6,757" in again and "networks unchanged: 1,250" in again
    elr = PCN.objects.filter(ccg_code="03W")
    assert elr.count() == 7
    assert Membership.objects.filter(pcn__in=elr).count() == 30
    assert Membership.objects.get(practice__ods_code="C83653").other_ccg
