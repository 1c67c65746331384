"""Population over time: a locality's registered patients at each date any of
its practices has a figure, carrying each practice's latest figure forward."""

from fedportal.charts import Point
from localities.models import ListSize


def population_series(practices, *, until=None) -> list[Point]:
    """One point per date at which any of ``practices`` has a list size (up
    to ``until``, when given: a figure dated later is not yet counted). Each
    point sums the latest figure on or before that date of every practice open
    on it (``PracticeQuerySet.open_on``) and a member of the federation then
    (``PracticeQuerySet.members``), as ``with_population`` does."""
    practices = list(
        practices.only("pk", "status", "open_date", "close_date", "merged_on", "member_from", "member_until")
    )
    by_pk = {p.pk: p for p in practices}
    figures = ListSize.objects.filter(practice__in=by_pk)
    if until is not None:
        figures = figures.filter(as_at__lte=until)
    figures = figures.order_by("as_at").values_list("practice_id", "as_at", "registered_patients")
    latest: dict[int, int] = {}
    points: list[Point] = []
    rows = list(figures)
    dates = sorted({as_at for _, as_at, _ in rows})
    index = 0
    for day in dates:
        while index < len(rows) and rows[index][1] <= day:
            practice_id, _, patients = rows[index]
            latest[practice_id] = patients
            index += 1
        total = sum(
            patients
            for pk, patients in latest.items()
            if _open_on(by_pk[pk], day) and by_pk[pk].is_member_on(day)
        )
        points.append(Point(day, total))
    return points


def _open_on(practice, day) -> bool:
    """The same rule as ``PracticeQuerySet.open_on``, for practices in memory."""
    if practice.open_date and practice.open_date > day:
        return False
    ends = [d for d in (practice.close_date, practice.merged_on) if d]
    if ends:
        return day < min(ends)
    return practice.status == "open"
