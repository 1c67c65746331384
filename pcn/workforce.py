"""A network's workforce plan against the additional roles reimbursement
scheme: each post's cap for its contract year (the role's cap per
whole-time post a year, times its whole-time equivalent, pro-rated by the
months it is in post while the year's DES runs), what has been claimed
against it and what is left. Decimal throughout, rounded to the penny."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fedportal.money import to_pennies
from pcn.entitlements import MONTHS_IN_YEAR, months_of
from pcn.models import ContractYear, RoleReimbursement, WorkforcePost, plain


def _month_end(month: date) -> date:
    following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def claimable_months(post: WorkforcePost, year: ContractYear) -> list[date]:
    """The months of the contract year, from when the DES goes live, in
    which the post is filled for at least a day: the months it may claim."""
    return [
        month
        for month in months_of(year)
        if month >= year.live_from.replace(day=1)
        and post.starts <= _month_end(month)
        and (post.ends is None or post.ends >= month)
    ]


def post_cap(post: WorkforcePost, year: ContractYear, reimbursement: RoleReimbursement | None) -> Decimal:
    """The most the post may claim in the year: the cap times the WTE times the months, over 12."""
    if reimbursement is None:
        return Decimal("0.00")
    months = len(claimable_months(post, year))
    return to_pennies(reimbursement.annual_cap * post.wte * months / MONTHS_IN_YEAR)


def claim_amount(costs: Decimal, percent: Decimal, left: Decimal) -> tuple[Decimal, bool]:
    """The scheme's share of a month's costs, cut to what is left of the cap:
    (amount, whether it was cut)."""
    share = to_pennies(costs * percent / Decimal(100))
    if share > left:
        return max(left, Decimal("0.00")), True
    return share, False


@dataclass
class PostRow:
    """A post as the workforce page shows it, with its cap and claims."""

    post: WorkforcePost
    reimbursement: RoleReimbursement | None
    months: list[date]
    cap: Decimal
    claimed: Decimal

    @property
    def left(self) -> Decimal:
        return self.cap - self.claimed

    @property
    def working(self) -> str:
        if self.reimbursement is None:
            return f"No reimbursement is set for this role in {self.post.contract_year}."
        r = self.reimbursement
        return (
            f"{plain(r.percent)}% of costs, up to £{r.annual_cap:,} a year × {plain(self.post.wte)} WTE "
            f"× {len(self.months)} month{'s' if len(self.months) != 1 else ''} ÷ 12 = £{self.cap:,}"
        )


def plan_rows(posts: list[WorkforcePost], reimbursements: list[RoleReimbursement]) -> list[PostRow]:
    """Each post (annotated ``claimed_total``) with its cap; no query."""
    rates = {(r.contract_year_id, r.role): r for r in reimbursements}
    rows = []
    for post in posts:
        reimbursement = rates.get((post.contract_year_id, post.role))
        rows.append(
            PostRow(
                post,
                reimbursement,
                claimable_months(post, post.contract_year),
                post_cap(post, post.contract_year, reimbursement),
                post.claimed_total,
            )
        )
    return rows
