"""The importers on the real national NHS files in ../shared/data/nhs, when
they are there (they are not the project's own, so the tests skip cleanly
without them). Times are printed, not asserted: this machine is noisy."""

import csv
import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from localities.models import ListSize, Practice, PracticeStatus

pytestmark = [pytest.mark.nhs_data, pytest.mark.django_db]

NHS_DATA = Path(settings.BASE_DIR).parent / "shared" / "data" / "nhs"
EPRACCUR = NHS_DATA / "epraccur-2019-12.csv"
LIST_SIZES = NHS_DATA / "gp-reg-pat-prac-all-2021-01.csv"


@pytest.fixture
def nhs_file():
    def get(path: Path) -> Path:
        if not path.is_file():
            pytest.skip(f"{path} is absent (real NHS data is not part of the project)")
        return path

    return get


def timed(command: str, *args, **options) -> tuple[str, float]:
    out = StringIO()
    started = time.perf_counter()
    call_command(command, *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue(), time.perf_counter() - started


def test_the_elr_commissioner_has_35_gp_practices_in_december_2019(nhs_file):
    # when the real December 2019 file is imported for 03W (NHS East Leicestershire and Rutland CCG)
    output, elapsed = timed("import_practices", str(nhs_file(EPRACCUR)), commissioner="03W")
    print(f"\nimport_practices --commissioner 03W: {elapsed:.2f} s")

    # then its 35 prescribing-setting-4 rows are in: 31 active, 3 closed, 1 dormant (Two Shires)
    assert Practice.objects.count() == 35
    statuses = {s: Practice.objects.filter(status=s).count() for s in PracticeStatus.values}
    assert statuses == {"open": 31, "closed": 3, "dormant": 1, "proposed": 0}
    assert Practice.objects.get(ods_code="C82036").status == PracticeStatus.DORMANT
    assert Practice.objects.get(ods_code="C82025").name == "The Wycliffe Medical Practice"
    # and its out-of-hours services, clinics and other settings are counted as skipped
    assert "created: 35" in output
    assert "8 not a GP practice (out of hours)" in output
    assert "7 not a GP practice (community health service)" in output


def test_the_full_national_files_import_and_reimport_cleanly(nhs_file):
    epraccur, list_sizes = nhs_file(EPRACCUR), nhs_file(LIST_SIZES)

    # when every GP practice in England is imported, then the January 2021 list sizes
    practices_output, practices_time = timed("import_practices", str(epraccur))
    list_output, list_time = timed("import_list_sizes", str(list_sizes))
    again_output, again_time = timed("import_practices", str(epraccur))
    print(
        f"\nnational epraccur (14,357 rows): {practices_time:.2f} s; "
        f"national list sizes (6,658 rows): {list_time:.2f} s; epraccur again: {again_time:.2f} s"
    )

    # then all 8,204 setting-4 rows are practices, with nothing rejected
    assert Practice.objects.count() == 8204
    assert "created: 8,204" in practices_output
    assert "rejected: 0" in practices_output
    # and every January 2021 figure for a practice in the portal is in, the rest skipped
    with list_sizes.open() as file:
        codes = {row["CODE"] for row in csv.DictReader(file)}
    in_portal = Practice.objects.filter(ods_code__in=codes).count()
    assert ListSize.objects.count() == in_portal > 6500
    assert f"created: {in_portal:,}" in list_output
    if in_portal < len(codes):
        assert f"{len(codes) - in_portal:,} practice not in the portal" in list_output
    assert "rejected: 0" in list_output
    # and a second run of the practice file changes nothing
    assert "created: 0" in again_output
    assert "updated: 0" in again_output
    assert "unchanged: 8,204" in again_output
