"""The localities part of ``manage.py seed_scale``: a synthetic federation of
``practices`` practices in about one locality per 35 (200 at the default
7,000), each with five years of quarterly list sizes (20 figures a practice).

Most practices are open; some are dormant, closed or merged into a neighbour,
with their figures stopping when they closed. Names, addresses and postcodes
look like real ones but are made up; ODS codes are valid and unique.
"""

import math
from datetime import date, timedelta

from django.utils.text import slugify

from fedportal.periods import Quarter
from fedportal.scale import step, wipe_app
from localities.models import ListSize, Locality, Practice, PracticeMembership, PracticeStatus

PRACTICES_PER_LOCALITY = 35
QUARTERS = 20
BATCH_SIZE = 5000
SOURCE = "Synthetic: seed_scale"
ODS_LETTERS = "ABCDEFGHJKLMNPWY"

PLACE_STARTS = [
    "Ash", "Bar", "Beck", "Birch", "Brad", "Bram", "Brook", "Burn", "Castle", "Chester", "Church",
    "Clay", "Cold", "Cotes", "Cross", "Dun", "East", "Elm", "Fair", "Fen", "Glen", "Great", "Green",
    "Ham", "Hart", "High", "Holl", "Kib", "King", "Lang", "Lea", "Little", "Long", "Lut", "Mar",
    "Market", "Mel", "Mill", "New", "North", "Oak", "Old", "Queen", "Red", "Rother", "Sand", "Saxon",
    "Shep", "South", "Stan", "Stoke", "Sut", "Thorn", "Up", "Wal", "West", "Whit", "Wig", "Wood", "Wy",
]  # fmt: skip
PLACE_ENDS = [
    "bridge", "brook", "bury", "by", "church", "cliffe", "combe", "cote", "dale", "den", "don",
    "field", "ford", "gate", "ham", "hill", "holme", "hurst", "ington", "ley", "mere", "minster",
    "mouth", "ness", "over", "stead", "stone", "stow", "thorpe", "ton", "wick", "worth",
]  # fmt: skip
SURNAMES = [
    "Ahmed", "Bennett", "Chaudhry", "Clarke", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal",
    "Jones", "Khan", "Lewis", "Mistry", "Murphy", "Naylor", "Okafor", "Patel", "Quinn", "Roberts",
    "Shah", "Singh", "Taylor", "Thompson", "Walker", "Wilson", "Wright", "Young",
]  # fmt: skip
STREETS = [
    "Abbey", "Bank", "Bridge", "Castle", "Chapel", "Church", "Elm", "Hall", "High", "Kings",
    "London", "Manor", "Market", "Mill", "Park", "Queens", "Station", "Victoria", "Windsor", "York",
]  # fmt: skip
STREET_KINDS = ["Road", "Street", "Lane", "Avenue", "Way", "Close", "Gardens"]
PRACTICE_NAMES = [
    "{place} Medical Centre", "{place} Surgery", "{place} Health Centre", "The {place} Practice",
    "{street} {kind} Surgery", "{street} Medical Practice", "Dr {surname} and Partners",
    "{place} Family Practice", "The {surname} Practice", "{place} Group Practice",
]  # fmt: skip
POSTCODE_AREAS = [
    "LE", "NG", "CV", "DE", "PE", "NN", "MK", "LN", "WS", "ST", "SK", "HU", "YO", "DN", "S", "B", "OX",
    "RG", "GL", "WR", "HR", "SY", "TF", "CH", "L", "M", "BL", "PR", "LA", "CA", "NE", "DL", "TS", "HG",
]  # fmt: skip
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def seed(*, practices: int, rng, stdout, context: dict) -> None:
    """Wipe the localities app's tables and build the synthetic federation.
    Adds ``locality_ids`` and ``practice_ids`` to ``context``, and attaches
    ``context["users"]["practice"]`` (if any) to an open practice."""
    with step(stdout, "wipe localities tables"):
        wipe_app("localities")
    with step(stdout, "localities"):
        localities = _localities(max(1, round(practices / PRACTICES_PER_LOCALITY)), rng)
    quarters = _quarters(context["today"])
    with step(stdout, f"{practices:,} practices"):
        plan = _practices(practices, localities, quarters, rng)
        Practice.objects.bulk_create([p for p, _ in plan], batch_size=BATCH_SIZE)
    with step(stdout, "mergers"):
        merged = _mergers(plan, rng)
    with step(stdout, f"{practices * QUARTERS:,} list sizes"):
        count = _list_sizes(plan, rng)
    users = context.get("users") or {}
    if "practice" in users:
        first_open = next(p for p, _ in plan if p.status == PracticeStatus.OPEN)
        PracticeMembership.objects.create(user=users["practice"], practice=first_open)
    context["locality_ids"] = [loc.pk for loc in localities]
    context["practice_ids"] = [p.pk for p, _ in plan]
    stdout.write(
        f"  localities: {len(localities):,}, practices: {len(plan):,} ({merged:,} merged), "
        f"list sizes: {count:,}"
    )


def _place_names(rng) -> list[str]:
    names = [start + end for start in PLACE_STARTS for end in PLACE_ENDS]
    rng.shuffle(names)
    return names


def _localities(count: int, rng) -> list[Locality]:
    places = _place_names(rng)
    localities = []
    for index in range(count):
        # Past the list of made-up places, number them: 200 localities need
        # only a tenth of it.
        base = places[index % len(places)]
        name = base if index < len(places) else f"{base} {index // len(places) + 1}"
        localities.append(
            Locality(
                name=name,
                slug=slugify(name),
                short_name=name[:30],
                description=f"Synthetic locality around {name}.",
            )
        )
    Locality.objects.bulk_create(localities, batch_size=BATCH_SIZE)
    for index, locality in enumerate(localities):
        # Kept on the instance only: where this locality's postcodes and
        # commissioner code come from.
        locality.postcode_area = f"{POSTCODE_AREAS[index % len(POSTCODE_AREAS)]}{index % 30 + 1}"
        locality.commissioner = f"{index % 90 + 10:02d}{ODS_LETTERS[index % len(ODS_LETTERS)]}"
    return localities


def _quarters(today: date) -> list[Quarter]:
    """The last ``QUARTERS`` quarters up to ``today``, oldest first."""
    latest = Quarter.of(today)
    return [latest.shifted(-back) for back in reversed(range(QUARTERS))]


def _practices(count: int, localities: list[Locality], quarters: list[Quarter], rng):
    """(unsaved Practice, the quarter of its last list size) for each practice."""
    places = _place_names(rng)
    codes = rng.sample(range(len(ODS_LETTERS) * 100_000), count)
    plan = []
    for index, number in enumerate(codes):
        letter, digits = divmod(number, 100_000)
        locality = localities[index % len(localities)]
        place = rng.choice(places)
        street, kind = rng.choice(STREETS), rng.choice(STREET_KINDS)
        name = rng.choice(PRACTICE_NAMES).format(
            place=place, street=street, kind=kind, surname=rng.choice(SURNAMES)
        )
        postcode = (
            f"{locality.postcode_area} {rng.randint(1, 9)}"
            f"{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
        )
        status, close_date, last_figure = _fate(rng, quarters)
        first_figure = last_figure.shifted(-(QUARTERS - 1)).start
        practice = Practice(
            ods_code=f"{ODS_LETTERS[letter]}{digits:05d}",
            name=name,
            address=f"{rng.randint(1, 250)} {street} {kind}\n{place}",
            postcode=postcode,
            locality=locality,
            commissioner_code=locality.commissioner,
            status=status,
            open_date=date(rng.randint(1948, first_figure.year - 1), rng.randint(1, 12), 1),
            close_date=close_date,
            is_shareholder=status == PracticeStatus.OPEN and rng.random() < 0.7,
        )
        # Every seeded practice has a locality, so is a member (as the
        # migration made every practice with a locality), since it opened.
        practice.member_from = practice.open_date
        plan.append((practice, last_figure))
    return plan


def _fate(rng, quarters: list[Quarter]):
    """Status, close date and the date of the last list size: most practices
    are open with figures up to the latest quarter; closed ones stop at the
    quarter before they closed."""
    roll = rng.random()
    if roll < 0.88:
        return PracticeStatus.OPEN, None, quarters[-1]
    if roll < 0.90:
        # Dormant with no known end: never counted as open (PracticeQuerySet.open_on).
        return PracticeStatus.DORMANT, None, quarters[-1]
    status = PracticeStatus.DORMANT if roll < 0.92 else PracticeStatus.CLOSED
    first, last = quarters[0].start, quarters[-1].start
    close_date = first + timedelta(days=rng.randint(1, (last - first).days))
    return status, close_date, Quarter.of(close_date - timedelta(days=1))


def _mergers(plan, rng) -> int:
    """About one closed practice in four merged into an open practice of its locality."""
    open_by_locality: dict[int, list[Practice]] = {}
    for practice, _ in plan:
        if practice.status == PracticeStatus.OPEN:
            open_by_locality.setdefault(practice.locality_id, []).append(practice)
    merged = []
    for practice, _ in plan:
        targets = open_by_locality.get(practice.locality_id)
        if practice.status == PracticeStatus.CLOSED and targets and rng.random() < 0.25:
            practice.merged_into = rng.choice(targets)
            practice.merged_on = practice.close_date
            merged.append(practice)
    Practice.objects.bulk_update(merged, ["merged_into", "merged_on"], batch_size=BATCH_SIZE)
    return len(merged)


def _list_sizes(plan, rng) -> int:
    """``QUARTERS`` quarterly figures for each practice up to its last one:
    a list of a few thousand patients, growing by about 0.4% a quarter."""
    batch: list[ListSize] = []
    count = 0
    for practice, last_figure in plan:
        patients = min(60_000, max(600, rng.lognormvariate(math.log(8000), 0.55)))
        growth = rng.gauss(0.004, 0.004)
        quarter = last_figure.shifted(-(QUARTERS - 1))
        for _ in range(QUARTERS):
            batch.append(
                ListSize(
                    practice_id=practice.pk,
                    as_at=quarter.start,
                    registered_patients=max(0, round(patients * (1 + rng.gauss(0, 0.004)))),
                    source=SOURCE,
                )
            )
            patients *= 1 + growth
            quarter = quarter.next()
        if len(batch) >= BATCH_SIZE:
            ListSize.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    ListSize.objects.bulk_create(batch)
    return count + len(batch)
