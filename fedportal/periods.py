"""Financial years (1 April to 31 March, written 2019/20) and their quarters
(Q1 = April to June): all the portal's period arithmetic in one place."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$")
# Financial years the portal can reason about: the NHS began in 1948, and
# every date in a quarter must exist (year 9999's Q4 would end in 10000).
FIRST_YEAR, LAST_YEAR = 1948, 2999


def plausible_date(day: date) -> None:
    """A validator for dates people type: within the years the portal reasons
    about, so that a slip like 9999 is caught beside the field rather than
    breaking the arithmetic of durations and quarters later."""
    from django.core.exceptions import ValidationError

    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(f"Enter a date between {FIRST_YEAR} and {LAST_YEAR}.", code="implausible_date")


def financial_year_of(day: date) -> int:
    """The calendar year in which ``day``'s financial year starts."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(start_year: int) -> str:
    return f"{start_year}/{(start_year + 1) % 100:02d}"


@dataclass(frozen=True, order=True)
class Quarter:
    """Quarter ``number`` (1-4) of the financial year starting in April ``year``."""

    year: int
    number: int

    def __post_init__(self):
        if self.number not in (1, 2, 3, 4):
            raise ValueError("A quarter is numbered 1 to 4.")
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise ValueError(f"A financial year from {FIRST_YEAR} to {LAST_YEAR}.")

    @classmethod
    def of(cls, day: date) -> "Quarter":
        year = financial_year_of(day)
        return cls(year, ((day.month - 4) % 12) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        """'2018-Q3' -> Q3 2018/19 (October to December 2018)."""
        match = QUARTER_RE.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a quarter like 2018-Q3.")
        return cls(int(match[1]), int(match[2]))

    @property
    def start(self) -> date:
        month = 4 + (self.number - 1) * 3
        return date(self.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> date:
        # Not next().start - 1 day: the last quarter has no next.
        after = self.start.month + 3
        return date(self.start.year + (after - 1) // 12, (after - 1) % 12 + 1, 1) - timedelta(days=1)

    def next(self) -> "Quarter":
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def shifted(self, quarters: int) -> "Quarter":
        """The quarter ``quarters`` later (earlier when negative)."""
        index = self.year * 4 + self.number - 1 + quarters
        return Quarter(index // 4, index % 4 + 1)

    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def financial_year(self) -> str:
        return financial_year_label(self.year)

    def __str__(self) -> str:
        return f"Q{self.number} {self.financial_year}"
