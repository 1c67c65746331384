"""The workforce plan: each post's reimbursement cap (cap a year times WTE,
pro-rated by the months filled while the DES runs), claims cut to what is
left of it, errors beside the fields, who sees and changes what, and the
page's queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pcn.models import ReimbursementClaim, StaffRole, WorkforcePost
from pcn.services import reimbursement_claim_record, workforce_post_add
from pcn.workforce import claimable_months, post_cap
from tests.pages import error_beside
from tests.roles import FORBIDDEN, NOT_FOUND, OK, role_table

pytestmark = pytest.mark.django_db


@pytest.fixture
def pharmacist(network, year, reimbursements, staff_user):
    return workforce_post_add(
        pcn=network,
        contract_year=year,
        role=StaffRole.CLINICAL_PHARMACIST,
        title="Clinical pharmacist (Harborough)",
        wte=Decimal("1"),
        starts=date(2019, 7, 1),
        user=staff_user,
    )


@pytest.fixture
def prescriber(network, year, reimbursements, staff_user):
    """Half-time from October: six months of the year."""
    return workforce_post_add(
        pcn=network,
        contract_year=year,
        role=StaffRole.SOCIAL_PRESCRIBER,
        wte=Decimal("0.5"),
        starts=date(2019, 10, 14),
        user=staff_user,
    )


@pytest.fixture
def other_post(other_network, year, reimbursements, staff_user):
    return workforce_post_add(
        pcn=other_network,
        contract_year=year,
        role=StaffRole.CLINICAL_PHARMACIST,
        wte=Decimal("1"),
        starts=date(2019, 7, 1),
        user=staff_user,
    )


def claim(post, month, costs, user):
    return reimbursement_claim_record(post=post, month=month, costs=Decimal(costs), user=user)


def test_caps_are_pro_rated_by_wte_and_months_in_post(pharmacist, prescriber, year, reimbursements):
    pharmacist_rate, prescriber_rate = reimbursements
    # July 2019 to March 2020: nine months of £37,810 a year
    assert len(claimable_months(pharmacist, year)) == 9
    assert post_cap(pharmacist, year, pharmacist_rate) == Decimal("28357.50")
    # half-time, October (started mid-month: counted) to March: 34,113 x 0.5 x 6 / 12
    assert claimable_months(prescriber, year)[0] == date(2019, 10, 1)
    assert post_cap(prescriber, year, prescriber_rate) == Decimal("8528.25")
    assert prescriber.title == "Social prescribing link worker"  # named by its role


def test_a_claim_is_the_schemes_share_cut_to_the_cap(pharmacist, prescriber, staff_user):
    assert claim(pharmacist, date(2019, 7, 20), "4000.00", staff_user).amount == Decimal("2800.00")  # 70%
    first = claim(prescriber, date(2019, 10, 1), "5000", staff_user)
    assert (first.amount, first.capped) == (Decimal("5000.00"), False)  # 100%
    second = claim(prescriber, date(2019, 11, 1), "5000", staff_user)
    assert (second.amount, second.capped) == (Decimal("3528.25"), True)  # what was left of 8,528.25
    with pytest.raises(ValidationError) as refused:
        claim(prescriber, date(2019, 12, 1), "5000", staff_user)
    assert "cap of £8,528.25 for 2019/20 is reached" in str(refused.value)
    assert ReimbursementClaim.objects.filter(post=prescriber).count() == 2


def test_the_workforce_page_shows_caps_claims_and_working(client_as, pharmacist, prescriber, staff_user):
    claim(pharmacist, date(2019, 8, 1), "4000", staff_user)
    page = client_as("practice").get("/pcn/U50165/workforce/").content.decode()
    assert "Clinical pharmacist (Harborough)" in page
    assert "70% of costs, up to £37,810.00 a year × 1 WTE × 9 months ÷ 12 = £28,357.50" in page
    assert "£2,800.00" in page and "£25,557.50" in page  # claimed and left
    assert "Claim<span" not in page  # practice users read; staff claim


def test_a_claim_through_the_page(client_as, pharmacist):
    client = client_as("staff")
    response = client.post(
        f"/pcn/workforce/{pharmacist.pk}/claims/new/",
        {"month_day": "1", "month_month": "9", "month_year": "2019", "costs": "3000"},
    )
    assert response.status_code == 302 and response["Location"] == "/pcn/U50165/workforce/"
    assert ReimbursementClaim.objects.get(post=pharmacist).amount == Decimal("2100.00")


@pytest.mark.parametrize(
    ("month", "costs", "field", "message"),
    [
        ("2020-04-01", "3000", "month", "April 2020 is not a month of 2019/20 the post is filled"),
        ("2019-06-01", "3000", "month", "it may claim for July 2019 to March 2020"),
        ("2019-07-01", "3000", "month", "July 2019 is already claimed for this post"),
        ("2019-08-01", "-1", "costs", "greater than or equal to 0"),
        ("2019-08-01", "lots", "costs", "Enter a number"),
    ],
)
def test_a_claim_refused_beside_the_field(client_as, pharmacist, staff_user, month, costs, field, message):
    claim(pharmacist, date(2019, 7, 1), "3000", staff_user)
    response = client_as("staff").post(
        f"/pcn/workforce/{pharmacist.pk}/claims/new/", {"month": month, "costs": costs}
    )
    assert response.status_code == 400
    assert message in error_beside(response.content, field)
    assert ReimbursementClaim.objects.count() == 1


def test_no_claim_without_a_reimbursement_for_the_role(network, year, reimbursements, staff_user):
    post = workforce_post_add(
        pcn=network,
        contract_year=year,
        role=StaffRole.PARAMEDIC,
        wte=Decimal("1"),
        starts=date(2019, 7, 1),
        user=staff_user,
    )
    with pytest.raises(ValidationError) as refused:
        claim(post, date(2019, 7, 1), "3000", staff_user)
    assert "No reimbursement is set for a community paramedic in 2019/20" in str(refused.value)


def test_a_post_added_through_the_page(client_as, network, year):
    response = client_as("staff").post(
        "/pcn/U50165/workforce/new/",
        {
            "contract_year": year.pk,
            "role": StaffRole.SOCIAL_PRESCRIBER,
            "title": "",
            "wte": "0.8",
            "starts_day": "1",
            "starts_month": "7",
            "starts_year": "2019",
            "employer": "ELR GP Federation Ltd",
        },
    )
    assert response.status_code == 302
    post = WorkforcePost.objects.get(pcn=network)
    assert (post.title, post.wte, post.employer) == (
        "Social prescribing link worker",
        Decimal("0.80"),
        "ELR GP Federation Ltd",
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"wte": "0"}, "wte", "above 0 and at most 10"),
        ({"wte": "12"}, "wte", "above 0 and at most 10"),
        ({"ends": "2019-06-30"}, "ends", "on or after the start date"),
        ({"starts": "2020-05-01"}, "starts", "starts by 31 March 2020"),
        ({"role": "surgeon"}, "role", "not one of the available choices"),
    ],
)
def test_a_post_refused_beside_the_field(client_as, network, year, changes, field, message):
    data = {
        "contract_year": year.pk,
        "role": StaffRole.CLINICAL_PHARMACIST,
        "wte": "1",
        "starts": "2019-07-01",
    }
    response = client_as("staff").post("/pcn/U50165/workforce/new/", {**data, **changes})
    assert response.status_code == 400
    assert message in error_beside(response.content, field)
    assert not WorkforcePost.objects.exists()


def change(client, post, **changes):
    data = {
        "title": post.title,
        "wte": str(post.wte),
        "starts": post.starts.isoformat(),
        "ends": post.ends.isoformat() if post.ends else "",
        "employer": post.employer,
    }
    return client.post(f"/pcn/workforce/{post.pk}/edit/", {**data, **changes})


def test_a_post_that_ends_is_given_its_last_day_and_its_cap_shrinks(client_as, pharmacist, staff_user):
    # given a full-time pharmacist from July 2019, with July's claim recorded
    claim(pharmacist, date(2019, 7, 1), "4000", staff_user)
    staff = client_as("staff")
    form = staff.get(f"/pcn/workforce/{pharmacist.pk}/edit/").content.decode()
    assert 'value="Clinical pharmacist (Harborough)"' in form

    # when the post ends on 30 September 2019
    response = change(staff, pharmacist, ends="2019-09-30")

    # then the plan shows its last day and a cap of three months
    assert response.status_code == 302
    page = staff.get("/pcn/U50165/workforce/").content.decode()
    assert "From 1 July 2019 to 30 September 2019" in page
    pharmacist.refresh_from_db()
    assert len(claimable_months(pharmacist, pharmacist.contract_year)) == 3


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        # August is claimed: the post cannot end in July, nor start in September
        ({"ends": "2019-07-31"}, "ends", "August 2019 has a claim recorded"),
        ({"starts": "2019-09-01"}, "starts", "July 2019 has a claim recorded"),
        # what July and August claimed is more than a tenth of a post's cap would allow
        ({"wte": "0.1"}, "wte", "is claimed already, more than the cap"),
        ({"wte": "0"}, "wte", "above 0 and at most 10"),
    ],
)
def test_a_change_that_leaves_claims_outside_the_post_is_refused(
    client_as, pharmacist, staff_user, changes, field, message
):
    claim(pharmacist, date(2019, 7, 1), "4000", staff_user)
    claim(pharmacist, date(2019, 8, 1), "4000", staff_user)
    response = change(client_as("staff"), pharmacist, **changes)
    assert response.status_code == 400
    assert message in error_beside(response.content, field)
    pharmacist.refresh_from_db()
    assert (pharmacist.wte, pharmacist.starts, pharmacist.ends) == (Decimal("1.00"), date(2019, 7, 1), None)


@pytest.fixture
def pages(pharmacist, other_post):
    return {
        "mine": "/pcn/U50165/workforce/",
        "other": "/pcn/U67590/workforce/",
        "new_post": "/pcn/U50165/workforce/new/",
        "other_new_post": "/pcn/U67590/workforce/new/",
        "claim": f"/pcn/workforce/{pharmacist.pk}/claims/new/",
        "other_claim": f"/pcn/workforce/{other_post.pk}/claims/new/",
        "change": f"/pcn/workforce/{pharmacist.pk}/edit/",
        "other_change": f"/pcn/workforce/{other_post.pk}/edit/",
    }


EXPECTED = {
    "mine": {"staff": OK, "board": OK, "practice": OK, "administrator": OK},
    "other": {"staff": OK, "board": OK, "practice": NOT_FOUND, "administrator": OK},
    "new_post": {"staff": OK, "board": FORBIDDEN, "practice": FORBIDDEN, "administrator": OK},
    "other_new_post": {"staff": OK, "board": FORBIDDEN, "practice": NOT_FOUND, "administrator": OK},
    "claim": {"staff": OK, "board": FORBIDDEN, "practice": FORBIDDEN, "administrator": OK},
    "other_claim": {"staff": OK, "board": FORBIDDEN, "practice": NOT_FOUND, "administrator": OK},
    "change": {"staff": OK, "board": FORBIDDEN, "practice": FORBIDDEN, "administrator": OK},
    "other_change": {"staff": OK, "board": FORBIDDEN, "practice": NOT_FOUND, "administrator": OK},
}


@pytest.mark.parametrize(("page", "role", "status"), role_table(EXPECTED.items()))
def test_who_reaches_what(client_as, pages, page, role, status):
    response = client_as(role).get(pages[page])
    if status is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == status


@pytest.mark.parametrize("role", ["staff", "board", "practice"])
def test_the_workforce_page_stays_within_12_queries(
    client_as, network, year, reimbursements, staff_user, django_assert_max_num_queries, role
):
    for n in range(6):
        post = workforce_post_add(
            pcn=network,
            contract_year=year,
            role=[StaffRole.CLINICAL_PHARMACIST, StaffRole.SOCIAL_PRESCRIBER][n % 2],
            wte=Decimal("1"),
            starts=date(2019, 7, 1),
            user=staff_user,
        )
        for month in (7, 8, 9):
            claim(post, date(2019, month, 1), "2500", staff_user)
    client = client_as(role)
    for url in ("/pcn/U50165/workforce/", "/pcn/U50165/workforce/new/"):
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert response.status_code in (200, 403), url


def test_the_networks_history_names_practices_posts_and_claims(
    client_as, network, practice, pharmacist, staff_user
):
    from pcn.services import membership_end

    claim(pharmacist, date(2019, 7, 1), "4000", staff_user)
    membership_end(
        membership=network.memberships.get(practice=practice), end_date=date(2020, 3, 31), user=staff_user
    )
    page = client_as("staff").get("/pcn/U50165/").content.decode()
    assert "added The Billesdon Surgery to the network from 1 July 2019" in page
    assert (
        "Helen Parker ended Market Harborough Medical Centre (C82009)&#x27;s membership on 31 March 2020"
        in page
    )
    assert (
        "Helen Parker added Clinical pharmacist (Harborough) (1 WTE from 1 July 2019) to the 2019/20 workforce plan"
        in page
    )
    # a claim belongs to its post: the post's history says it
    from fedportal.history import history_for

    said = [entry.sentence for entry in history_for(pharmacist, user=staff_user)]
    assert (
        "Helen Parker claimed £2,800.00 for Clinical pharmacist (Harborough) (1 WTE) for July 2019 (costs £4,000.00)"
        in said
    )


def test_a_claim_is_stamped_on_the_portals_date(pharmacist, staff_user, settings, time_machine):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    settings.FEDPORTAL_TODAY = "2019-09-10"
    time_machine.move_to(datetime(2026, 11, 30, 14, 5, tzinfo=ZoneInfo("Europe/London")), tick=False)
    recorded = claim(pharmacist, date(2019, 8, 1), "4000", staff_user)
    assert recorded.claimed_at.date() == date(2019, 9, 10)
