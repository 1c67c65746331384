"""ELR GP Federation as of early 2019: six localities, the 30 member practices
(real ODS facts), and list sizes at 1 January 2019 whose locality sums are the
patient numbers of seed 000's GPTeamNet table."""

from datetime import date
from pathlib import Path

from django.db.models import F

from localities.importers import import_practices
from localities.models import ListSize, Locality, Practice, PracticeMembership

EPRACCUR_ROWS = Path(__file__).parent / "demo_data" / "epraccur-elr-2019-12.csv"
LIST_SIZE_DATE = date(2019, 1, 1)
DEMO_SOURCE = "Demo: NHS Digital, 1 January 2019"

# Each locality with its practices' registered patients at 1 January 2019.
# Localities follow the practices' 2019 PCNs (Harborough = Market Harborough &
# Bosworth + Cross Counties). Practice shares follow their real January 2021
# lists, scaled so each locality adds up to the GPTeamNet table of seed 000.
LOCALITIES = {
    "Harborough": (
        "Harborough",
        {
            "C82001": 15962,
            "C82009": 21627,
            "C82022": 6060,
            "C82036": 6248,
            "C82067": 7719,
            "C82109": 3452,
        },
    ),
    "Oadby & Wigston": (
        "O&W",
        {
            "C82013": 13144,
            "C82021": 10781,
            "C82048": 5342,
            "C82071": 14536,
            "C82079": 9268,
            "C82112": 4978,
        },
    ),
    "SLAM": ("SLAM", {"C82016": 6823, "C82038": 34535, "C82042": 12316, "C82078": 11852}),
    "North Blaby": (
        "N Blaby",
        {"C82039": 10319, "C82055": 14196, "C82056": 13731, "C82066": 14784, "C82631": 6697},
    ),
    "South Blaby": (
        "S Blaby",
        {"C82002": 10809, "C82025": 10632, "C82068": 11756, "C82098": 7395, "C82611": 6065},
    ),
    "Rutland": ("Rutland", {"C82010": 15160, "C82044": 7108, "C82077": 11165, "C82649": 4484}),
}
DESCRIPTIONS = {
    "SLAM": "Syston, Long Clawson and Melton: the Melton, Syston and Vale practices.",
    "Harborough": "Market Harborough and Bosworth, with the Cross Counties practices.",
}
# Quarterly figures for the two years before, so trends have a shape: lists
# grew by about 0.4% a quarter across ELR.
HISTORY_QUARTERS = 8
QUARTERLY_GROWTH = 0.004
DEMO_PRACTICE = "C82025"  # The Wycliffe Medical Practice, Lutterworth


def _quarter_dates() -> list[date]:
    dates, year, month = [], LIST_SIZE_DATE.year, LIST_SIZE_DATE.month
    for _ in range(HISTORY_QUARTERS):
        month -= 3
        if month < 1:
            month, year = month + 12, year - 1
        dates.append(date(year, month, 1))
    return dates


def load(context: dict, stdout) -> None:
    with EPRACCUR_ROWS.open(encoding="utf-8") as rows:
        import_practices(rows, commissioner="03W")
    for name, (short_name, figures) in LOCALITIES.items():
        locality, _ = Locality.objects.update_or_create(
            slug=name.lower().replace(" & ", "-").replace(" ", "-"),
            defaults={"name": name, "short_name": short_name, "description": DESCRIPTIONS.get(name, "")},
        )
        # The 30 are ELR's members and shareholders; whatever else an import
        # brings (the PCN's Stackyard, C83653, say) is not.
        Practice.objects.filter(ods_code__in=figures).update(
            locality=locality, is_shareholder=True, member_from=F("open_date")
        )
    _record_merger()
    _load_list_sizes()
    user = context["users"].get("demo-practice")
    if user is not None:
        PracticeMembership.objects.get_or_create(
            user=user,
            practice=Practice.objects.get(ods_code=DEMO_PRACTICE),
            defaults={"job_title": "Practice manager"},
        )
    stdout.write(
        f"  localities: {Locality.objects.count()}, practices: {Practice.objects.count()}, "
        f"list sizes: {ListSize.objects.count()}"
    )


def _record_merger() -> None:
    # Two Shires merged into South Leicestershire Medical Partnership (Kibworth)
    # in April 2019 (seed 001, 4.1 d).
    two_shires = Practice.objects.get(ods_code="C82036")
    if two_shires.merged_into_id is None or two_shires.member_until is None:
        two_shires.merged_into = Practice.objects.get(ods_code="C82001")
        two_shires.merged_on = date(2019, 4, 1)
        # Its membership passes to the practice it joins; until then (in the
        # demo's February 2019) it is a member, open, whatever the December
        # 2019 file it was imported from says ("dormant").
        two_shires.member_until = two_shires.merged_on
        two_shires.save(update_fields=["merged_into", "merged_on", "member_until", "updated_at"])


def _load_list_sizes() -> None:
    practices = Practice.objects.in_bulk(
        [code for _, figures in LOCALITIES.values() for code in figures], field_name="ods_code"
    )
    existing = set(
        ListSize.objects.filter(practice__in=practices.values()).values_list("practice_id", "as_at")
    )
    new = []
    for _, figures in LOCALITIES.values():
        for code, patients in figures.items():
            practice = practices[code]
            dated = [(LIST_SIZE_DATE, patients)] + [
                (day, round(patients / (1 + QUARTERLY_GROWTH) ** (n + 1)))
                for n, day in enumerate(_quarter_dates())
            ]
            new += [
                ListSize(practice=practice, as_at=day, registered_patients=value, source=DEMO_SOURCE)
                for day, value in dated
                if (practice.pk, day) not in existing
            ]
    ListSize.objects.bulk_create(new)
