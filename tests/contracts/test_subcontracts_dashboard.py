"""The compliance dashboard: headline counts that link to exactly the
sub-contracts they count, the matrix of practices by services, the lists of
evidence awaiting review and expiring, and the matrix export."""

import re
from datetime import date, datetime, timedelta

import lxml.html
import pytest
from django import forms

from contracts.filters.subcontracts import Select
from contracts.models import (
    EvidenceStatus,
    Service,
    SubContract,
)
from localities.models import Practice
from tests.contracts.conftest import LONDON
from tests.contracts.helpers import make_evidence
from tests.pages import export_rows, result_count

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("january_2019")]


@pytest.fixture
def world(practice, other_practice, harborough, rutland, h_pylori, indemnity, staff_user, january_2019):
    """Six practices in two localities, one in each compliance state for the
    H. pylori service, plus the DPO service (no evidence asked) for one."""

    def new_practice(code, name, locality):
        return Practice.objects.create(
            ods_code=code, name=name, locality=locality, open_date=date(1974, 4, 1)
        )

    billesdon = new_practice("C82011", "Billesdon Surgery", harborough)
    kibworth = new_practice("C82012", "Kibworth Health Centre", harborough)
    fleckney = new_practice("C82013", "Fleckney Surgery", harborough)
    uppingham = new_practice("C82014", "Uppingham Surgery", rutland)
    dpo = Service.objects.create(
        name="DPO service", slug="dpo", head_contract=h_pylori.head_contract, unit="month"
    )

    def sub(p, service=h_pylori, **dates):
        return SubContract.objects.create(practice=p, service=service, start_date=date(2018, 4, 1), **dates)

    today = january_2019
    accepted = EvidenceStatus.ACCEPTED
    compliant = sub(practice)
    # a certificate ending in five days, superseded by one valid for 100
    make_evidence(compliant, indemnity, staff_user, status=accepted, valid_to=today + timedelta(days=5))
    make_evidence(compliant, indemnity, staff_user, status=accepted, valid_to=today + timedelta(days=100))
    newer_pending = make_evidence(
        compliant,
        indemnity,
        staff_user,
        status=EvidenceStatus.PENDING,
        valid_to=date(2020, 3, 1),
        submitted_at=datetime(2019, 1, 14, 9, 0, tzinfo=LONDON),
    )
    expiring = sub(other_practice)
    expiring_evidence = make_evidence(
        expiring, indemnity, staff_user, status=accepted, valid_to=today + timedelta(days=10)
    )
    expired = sub(billesdon)
    make_evidence(expired, indemnity, staff_user, status=accepted, valid_to=today - timedelta(days=5))
    missing = sub(kibworth)
    awaiting = sub(fleckney)
    older_pending = make_evidence(
        awaiting,
        indemnity,
        staff_user,
        status=EvidenceStatus.PENDING,
        valid_to=date(2020, 3, 1),
        submitted_at=datetime(2019, 1, 10, 9, 0, tzinfo=LONDON),
    )
    ended = sub(uppingham, end_date=date(2018, 12, 31))
    dpo_compliant = sub(practice, service=dpo)
    return {
        "compliant": compliant,
        "expiring": expiring,
        "expired": expired,
        "missing": missing,
        "awaiting": awaiting,
        "ended": ended,
        "dpo": dpo_compliant,
        "dpo_service": dpo,
        "older_pending": older_pending,
        "newer_pending": newer_pending,
        "expiring_evidence": expiring_evidence,
    }


def headlines(content: bytes) -> dict[str, tuple[int, str]]:
    """compliance -> (count, link) as the dashboard shows them."""
    found = re.findall(
        r'data-compliance="([a-z_]+)">\s*<div class="nhsuk-card[^"]*">\s*<div class="nhsuk-card__content">\s*'
        r'<p[^>]*><a class="nhsuk-card__link" href="([^"]+)" data-count="(\d+)">',
        content.decode(),
    )
    return {compliance: (int(count), href.replace("&amp;", "&")) for compliance, href, count in found}


def matrix(content: bytes) -> dict[str, list[str]]:
    """ODS code -> each service column's compliance ('' for no sub-contract)."""
    page = content.decode()
    table = page[
        page.index('id="compliance-matrix"') : page.index("</table>", page.index('id="compliance-matrix"'))
    ]
    rows = {}
    for code, row in re.findall(r'data-practice="([A-Z]\d{5})">(.*?)</tr>', table, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        rows[code] = [(re.search(r'data-compliance="([a-z_]+)"', c) or [None, ""])[1] for c in cells]
    return rows


def test_headline_counts_are_the_active_sub_contracts_in_each_state(client_as, world):
    # when staff open the dashboard
    response = client_as("staff").get("/subcontracts/")

    # then each state counts the sub-contracts active today in it (not the ended one)
    counts = {k: v[0] for k, v in headlines(response.content).items()}
    assert counts == {"compliant": 2, "expiring": 1, "expired": 1, "missing": 1, "awaiting_review": 1}


@pytest.mark.parametrize("query", ["", "?locality={rutland}", "?service={dpo}"])
def test_each_headline_links_to_a_list_of_exactly_what_it_counts(client_as, world, rutland, query):
    # given the dashboard, perhaps filtered by locality or service
    client = client_as("staff")
    url = "/subcontracts/" + query.format(rutland=rutland.pk, dpo=world["dpo_service"].pk)

    # when each headline's link is followed
    for compliance, (count, link) in headlines(client.get(url).content).items():
        # then it filters the list to that state (and the same locality or service), with that many rows
        assert f"compliance={compliance}" in link
        assert "active=true" in link
        assert result_count(client, link) == count, (compliance, link)


def test_filtering_by_locality_counts_that_locality_only(client_as, world, rutland):
    response = client_as("staff").get(f"/subcontracts/?locality={rutland.pk}")

    counts = {k: v[0] for k, v in headlines(response.content).items()}
    assert counts == {"compliant": 0, "expiring": 1, "expired": 0, "missing": 0, "awaiting_review": 0}
    assert set(matrix(response.content)) == {"C82010", "C82014"}


def test_an_unknown_locality_shows_the_filter_error_and_no_rows(client_as, world):
    response = client_as("staff").get("/subcontracts/?locality=999999")

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert response.context["matrix"] == []
    assert all(h["count"] == 0 for h in response.context["headlines"])


@pytest.mark.parametrize(
    ("value", "choices"),
    [
        (None, [("", "All"), (1, "One"), (2, "Two & <three>")]),
        ("2", [("", "All"), (1, "One"), (2, "Two & <three>")]),
        ("b", [("a", "A"), ("Group", [("b", "B"), ("c", "C")])]),
    ],
)
def test_the_filters_select_writes_what_djangos_select_writes(value, choices):
    attrs = {"class": "nhsuk-select", "id": "id_x", "aria-describedby": 'x-hint "y"', "disabled": False}

    assert Select(choices=choices).render("x", value, attrs) == forms.Select(choices=choices).render(
        "x", value, attrs
    )


def test_the_dashboards_filter_offers_what_djangos_model_choice_field_offers(client_as, world, rutland):
    # the options, read once for the form, are those Django's ModelChoiceField reads
    response = client_as("staff").get(f"/subcontracts/?locality={rutland.pk}")
    form = response.context["filter"].form
    for name in ("locality", "service"):
        field = form.fields[name]
        plain = forms.ModelChoiceField(queryset=field.queryset, empty_label=field.empty_label)
        assert [(str(v), label) for v, label in field.choices] == [
            (str(v), label) for v, label in plain.choices
        ]


def test_the_matrix_shows_each_practice_by_each_service(client_as, world):
    # when staff open the dashboard
    response = client_as("staff").get("/subcontracts/")

    # then each practice is a row (grouped by locality), each service a column (DPO, then H. pylori)
    assert matrix(response.content) == {
        "C82011": ["", "expired"],
        "C82013": ["", "awaiting_review"],
        "C82012": ["", "missing"],
        "C82009": ["compliant", "compliant"],
        "C82010": ["", "expiring"],
        "C82014": ["", ""],  # its sub-contract ended
    }
    page = response.content.decode()
    table = page[page.index('id="compliance-matrix"') :]
    assert table.index(">Harborough<") < table.index('data-practice="C82009"') < table.index(">Rutland<")
    # and each cell links to its sub-contract
    assert f'href="/subcontracts/{world["expired"].pk}/" data-compliance="expired"' in page
    assert f'href="/subcontracts/{world["dpo"].pk}/" data-compliance="compliant"' in page


def test_filtering_by_service_shows_that_column_only(client_as, world):
    response = client_as("staff").get(f"/subcontracts/?service={world['dpo_service'].pk}")

    rows = matrix(response.content)
    assert rows["C82009"] == ["compliant"]
    assert rows["C82010"] == [""]


def test_evidence_awaiting_review_is_listed_oldest_first(client_as, world):
    page = client_as("staff").get("/subcontracts/").content.decode()

    section = page[page.index('id="pending-evidence"') :]
    older, newer = world["older_pending"], world["newer_pending"]
    assert section.index(f'href="/evidence/{older.pk}/"') < section.index(f'href="/evidence/{newer.pk}/"')
    # and the link to the full list shows just those
    link = re.search(r'href="(/evidence/\?[^"]*status=pending[^"]*)"', page).group(1).replace("&amp;", "&")
    assert result_count(client_as("staff"), link) == 2


def test_accepted_evidence_expiring_within_30_days_is_listed_unless_replaced(client_as, world):
    page = client_as("staff").get("/subcontracts/").content.decode()

    section = page[page.index('id="expiring"') : page.index("</table>", page.index('id="expiring"'))]
    # the practice whose certificate ends in ten days is listed
    assert f'href="/evidence/{world["expiring_evidence"].pk}/"' in section
    # not the one whose certificate ending in five days was replaced by one valid for 100 days
    assert "Market Harborough Medical Centre" not in section
    assert section.count("<tr class=") == 1


def test_the_expiring_list_links_to_the_same_items_in_the_evidence_list(client_as, world):
    client = client_as("staff")
    page = client.get("/subcontracts/").content.decode()
    # the dashboard links to the evidence list filtered to the same items
    assert 'href="/evidence/?expiring=yes&amp;sort=valid_to"' in page
    listed = client.get("/evidence/?expiring=yes&sort=valid_to")
    assert [row.record.pk for row in listed.context["table"].page.object_list] == [
        world["expiring_evidence"].pk
    ]


def test_board_members_see_the_matrix_but_no_evidence_lists(client_as, world):
    page = client_as("board").get("/subcontracts/").content.decode()

    assert 'id="compliance-matrix"' in page
    assert 'id="pending-evidence"' not in page
    assert 'id="expiring"' not in page


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_the_matrix_exports_one_row_per_practice_and_one_column_per_service(client_as, world, export_format):
    # when staff export the matrix
    response = client_as("staff").get(f"/subcontracts/?_export={export_format}")

    # then each practice is a row and each service a column holding the compliance label
    rows = export_rows(response, export_format, csv_empty=None)
    assert rows[0] == ["Practice", "ODS code", "Locality", "DPO service", "H. pylori breath test"]
    assert rows[1:] == [
        ["Billesdon Surgery", "C82011", "Harborough", None, "Expired"],
        ["Fleckney Surgery", "C82013", "Harborough", None, "Awaiting review"],
        ["Kibworth Health Centre", "C82012", "Harborough", None, "Missing"],
        ["Market Harborough Medical Centre", "C82009", "Harborough", "Compliant", "Compliant"],
        ["Oakham Medical Practice", "C82010", "Rutland", None, "Expiring within 30 days"],
        ["Uppingham Surgery", "C82014", "Rutland", None, None],
    ]


def test_the_matrix_export_follows_the_filter(client_as, world, rutland):
    response = client_as("staff").get(f"/subcontracts/?locality={rutland.pk}&_export=csv")

    rows = export_rows(response, "csv", csv_empty=None)
    assert [row[1] for row in rows[1:]] == ["C82010", "C82014"]


def test_each_matrix_cell_is_a_link_named_for_its_practice_and_service(client_as, world):
    # when staff open the dashboard
    page = lxml.html.fromstring(client_as("staff").get("/subcontracts/").content.decode())

    # then each cell's link says, to a screen reader, whose sub-contract it is,
    # for which service, and its state; the tag still shows the state alone
    links = page.xpath('//table[@id="compliance-matrix"]//td/a[@data-compliance]')
    names = {" ".join(link.text_content().split()) for link in links}
    assert names == {
        "Billesdon Surgery, H. pylori breath test: Expired",
        "Fleckney Surgery, H. pylori breath test: Awaiting review",
        "Kibworth Health Centre, H. pylori breath test: Missing",
        "Market Harborough Medical Centre, DPO service: Compliant",
        "Market Harborough Medical Centre, H. pylori breath test: Compliant",
        "Oakham Medical Practice, H. pylori breath test: Expiring within 30 days",
    }
    for link in links:
        hidden, tag = link
        assert hidden.get("class") == "nhsuk-u-visually-hidden"
        assert tag.tag == "strong" and "nhsuk-tag" in tag.get("class").split()


def test_names_in_the_matrix_are_escaped(client_as, world):
    # given a practice whose name holds markup
    practice = world["missing"].practice
    practice.name = "Kibworth <b>&</b> Co"
    practice.save()

    page = client_as("staff").get("/subcontracts/").content.decode()

    # then its cell's name is text, not markup
    assert "Kibworth &lt;b&gt;&amp;&lt;/b&gt; Co, H. pylori breath test: </span>" in page


@pytest.mark.parametrize("role", ["staff", "board"])
def test_every_table_on_the_dashboard_has_a_caption(client_as, world, role):
    page = lxml.html.fromstring(client_as(role).get("/subcontracts/").content.decode())

    tables = page.xpath("//table")
    assert tables
    for table in tables:
        captions = table.xpath("caption")
        assert len(captions) == 1 and captions[0].text_content().strip(), table.get("id")
        assert table.index(captions[0]) == 0  # a caption is the table's first child


def test_the_matrix_scrolls_in_a_labelled_frame_keyboard_users_can_reach(client_as, world):
    page = lxml.html.fromstring(client_as("staff").get("/subcontracts/").content.decode())

    # the matrix is inside a frame of its own (it scrolls there on a phone),
    # a region named by the matrix's heading, that takes keyboard focus
    frame = page.get_element_by_id("compliance-matrix").getparent()
    assert "fp-matrix-frame" in frame.get("class").split()
    assert frame.get("role") == "region"
    assert frame.get("tabindex") == "0"
    assert page.get_element_by_id(frame.get("aria-labelledby")).text_content() == "Practices by service"
