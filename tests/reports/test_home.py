"""Every figure on a dashboard equals the list it links to: each test follows
the link and counts what that page shows."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.test import override_settings
from lxml import html

from contracts.models import (
    ActivityReturn,
    Contract,
    Organisation,
    OrganisationKind,
    Reminder,
    ReminderFailure,
    ReturnStatus,
    SubContract,
)
from localities.models import ImportRun, ListSize, Practice, PracticeStatus

pytestmark = pytest.mark.django_db

TODAY = "2019-02-15"


def by_class(element, name: str) -> list:
    return element.xpath(f'.//*[contains(concat(" ", normalize-space(@class), " "), " {name} ")]')


def result_count(client, href: str) -> int:
    """The "N results" a list page says for ``href``."""
    response = client.get(href)
    assert response.status_code == 200, href
    text = by_class(html.fromstring(response.content), "fp-result-count")[0].text_content()
    return int(re.search(r"([\d,]+) results?", text).group(1).replace(",", ""))


def headlines_of(body: bytes) -> dict[str, tuple[int, str]]:
    page = html.fromstring(body)
    found = {}
    for group in by_class(page, "fp-headlines"):
        for card in by_class(group, "nhsuk-card"):
            link = card.xpath(".//a")[0]
            label = by_class(card, "nhsuk-card__description")[0].text_content().strip()
            found[label] = (int(link.text_content().replace(",", "")), link.get("href"))
    return found


def queue_of(body: bytes) -> dict[str, tuple[int, str]]:
    page = html.fromstring(body)
    found = {}
    for link in page.xpath('//*[@id="work-queue"]//a'):
        count = by_class(link, "fp-work-queue__count")[0].text_content()
        label = link.text_content().replace(count, "", 1).strip()
        found[label] = (int(count.replace(",", "")), link.get("href"))
    return found


@pytest.fixture
def federation(practice, other_practice, harborough):
    """Two member practices (conftest), Two Shires merging in April 2019 and
    dormant in a later file, and what an import of 03W's file brings that is
    not a member: a Y-code walk-in centre and a closed practice."""
    kibworth = Practice.objects.create(
        ods_code="C82001",
        name="South Leicestershire Medical Group",
        locality=harborough,
        open_date=date(1974, 4, 1),
        member_from=date(1974, 4, 1),
    )
    ListSize.objects.create(practice=kibworth, as_at=date(2019, 1, 1), registered_patients=15962)
    two_shires = Practice.objects.create(
        ods_code="C82036",
        name="Two Shires Medical Practice",
        locality=harborough,
        status=PracticeStatus.DORMANT,
        open_date=date(1974, 4, 1),
        member_from=date(1974, 4, 1),
        merged_into=kibworth,
        merged_on=date(2019, 4, 1),
    )
    ListSize.objects.create(practice=two_shires, as_at=date(2019, 1, 1), registered_patients=6248)
    Practice.objects.create(ods_code="Y05412", name="South Wigston Asylum Service", commissioner_code="03W")
    Practice.objects.create(
        ods_code="C82650",
        name="Closed Practice",
        status=PracticeStatus.CLOSED,
        close_date=date(2010, 1, 1),
        commissioner_code="03W",
    )
    return two_shires


@override_settings(FEDPORTAL_TODAY=TODAY)
def test_each_federation_headline_equals_the_list_it_links_to(client_as, federation):
    client = client_as("staff")

    headlines = headlines_of(client.get("/").content)

    # non-members (the Y-code, the closed practice) are not counted; Two
    # Shires is open in February 2019 (it merges in April)
    assert headlines["Member practices"][0] == 4
    assert headlines["Open member practices"][0] == 4
    for label in ("Member practices", "Open member practices"):
        value, href = headlines[label]
        assert result_count(client, href) == value, label
    localities = client.get(headlines["Localities"][1]).context["table"]
    assert headlines["Localities"][0] == len(localities.rows)
    assert headlines["Registered patients"][0] == sum(row.record.population for row in localities.rows)
    assert headlines["Registered patients"][0] == 21627 + 15160 + 15962 + 6248


@override_settings(FEDPORTAL_TODAY=TODAY)
def test_the_open_practices_headline_agrees_with_the_localities_table_under_it(client_as, federation):
    response = client_as("board").get("/")

    open_count = headlines_of(response.content)["Open member practices"][0]
    assert open_count == sum(locality.practice_count for locality in response.context["localities"])


@override_settings(FEDPORTAL_TODAY=TODAY)
def test_two_shires_is_open_in_february_2019_and_closed_after_its_merger(client_as, federation):
    client = client_as("staff")

    february = client.get("/practices/?q=C82036").context["table"].rows[0]
    may = client.get("/practices/?q=C82036&on=2019-05-01").context["table"].rows[0]

    assert february.record.status_on == PracticeStatus.OPEN
    assert "Open" in february.get_cell("status")
    assert may.record.status_on == PracticeStatus.DORMANT
    assert Practice.objects.with_status_on(date(2019, 2, 15)).open_on(date(2019, 2, 15)).count() == (
        Practice.objects.with_status_on(date(2019, 2, 15)).filter(status_on="open").count()
    )


@override_settings(FEDPORTAL_TODAY=TODAY)
def test_each_locality_page_headline_equals_the_list_it_links_to(client_as, federation, harborough):
    client = client_as("staff")

    page = html.fromstring(client.get(f"/localities/{harborough.slug}/").content)

    for anchor_id, expected in (("headline-members", 3), ("headline-open", 3)):
        link = page.get_element_by_id(anchor_id)
        assert int(link.text_content()) == expected
        assert result_count(client, link.get("href")) == expected, anchor_id


@pytest.fixture
def waiting(federation, staff_user, practice_user, submission, subcontract, other_subcontract, ccg, pcl):
    """Something of each kind waiting for staff, and one of each that is not."""
    ActivityReturn.objects.create(
        subcontract=subcontract,
        year=2018,
        quarter=3,
        status=ReturnStatus.SUBMITTED,
        submitted_by=practice_user,
    )
    ActivityReturn.objects.create(
        subcontract=other_subcontract,
        year=2018,
        quarter=3,
        status=ReturnStatus.APPROVED,
        submitted_by=practice_user,
    )
    contractor = Organisation.objects.create(name="NHS England", kind=OrganisationKind.COMMISSIONER)
    for reference, end, decide_by in (
        ("ENDS-SOON", date(2019, 3, 31), None),  # ends within 60 days
        ("DECIDE-LATE", date(2020, 3, 31), date(2019, 1, 31)),  # past its decision date
        ("FINE", date(2020, 3, 31), date(2019, 12, 31)),
        ("ENDED", date(2018, 3, 31), date(2017, 12, 31)),
    ):
        Contract.objects.create(
            reference=reference,
            title=reference,
            contractor=contractor,
            start_date=date(2017, 4, 1),
            end_date=end,
            value=Decimal("1000.00"),
            extension_decision_by=decide_by,
        )
    # One refused email since followed by one that went, one not.
    told_later, untold = (
        ReminderFailure.objects.create(
            recipient=user, subject="Reminders", summary="-", error="550 no mailbox"
        )
        for user in (practice_user, staff_user)
    )
    ReminderFailure.objects.filter(pk__in=[told_later.pk, untold.pk]).update(
        failed_at=datetime(2019, 2, 8, 7, 0, tzinfo=UTC)
    )
    Reminder.objects.create(recipient=practice_user, item="digest", summary="-")
    Reminder.objects.filter(recipient=practice_user).update(sent_at=datetime(2019, 2, 15, 7, 0, tzinfo=UTC))
    for status in ("previewed", "applied", "previewed"):
        ImportRun.objects.create(
            kind="practices",
            file="imports/x.csv",
            original_name=f"{status}.csv",
            sha256="a" * 64,
            size=1,
            uploaded_by=staff_user,
            status=status,
        )


def test_each_item_of_the_staff_queue_equals_the_list_it_links_to(client_as, waiting, february_2019):
    client = client_as("staff")

    queue = queue_of(client.get("/").content)

    counts = {label.split(" (")[0]: value for label, (value, _) in queue.items()}
    assert counts["evidence awaiting review"] == 1
    assert counts["activity returns awaiting approval"] == 1
    assert counts["contracts ending within 60 days"] == 2
    assert counts["imports waiting to be confirmed"] == 2
    assert counts["reminders that failed to send"] == 1
    for label, (value, href) in queue.items():
        if href.startswith("/imports/"):
            rows = html.fromstring(client.get(href).content).xpath('//*[@id="import-runs"]/tbody/tr')
            assert len(rows) == value, label
        else:
            assert result_count(client, href) == value, label


def test_board_members_see_the_figures_but_no_staff_queue(client_as, waiting, february_2019):
    body = client_as("board").get("/").content

    assert headlines_of(body)
    assert not queue_of(body)


def test_a_practice_users_things_to_do_are_their_reminders_each_a_link_to_its_form(
    client_as, practice, subcontract, other_subcontract, indemnity, february_2019
):
    from contracts.reminders import practice_items

    client = client_as("practice")

    page = html.fromstring(client.get("/").content)
    links = page.xpath('//*[@id="things-to-do"]//a')

    expected = practice_items(february_2019, practice_ids=[practice.pk])[practice.pk]
    assert [link.text_content() for link in links] == [item.text for item in expected]
    assert any("/evidence/new/?requirement=" in link.get("href") for link in links)
    assert any("/returns/new/?quarter=" in link.get("href") for link in links)
    for link in links:
        assert client.get(link.get("href")).status_code == 200, link.get("href")
    # nothing of another practice
    assert "Oakham" not in html.tostring(page, encoding="unicode")


def test_a_practice_user_with_nothing_to_do_is_told_so(client_as, practice, february_2019):
    body = client_as("practice").get("/").content.decode()

    assert "Nothing to do" in body


@override_settings(FEDPORTAL_TODAY=TODAY)
def test_the_staff_home_page_stays_within_its_queries(client_as, waiting, django_assert_max_num_queries):
    client = client_as("staff")
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200


_ = (datetime, SubContract)


def test_the_practice_home_page_stays_within_its_queries(
    client_as, subcontract, indemnity, signed_subcontract, february_2019, django_assert_max_num_queries
):
    client = client_as("practice")
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200
