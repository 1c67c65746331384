"""Contracts held for practices: who reaches which page, what the list shows
and filters, what the exports hold, the queries the list costs, the contract
page, its history, and archiving."""

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from contracts.models import Contract, Organisation
from tests.contracts.conftest import LONDON
from tests.contracts.helpers import make_contract, make_document
from tests.pages import export_records, export_rows, export_sheet
from tests.roles import EVERYONE, FORBIDDEN, NOT_FOR_PRACTICE, NOT_FOUND, OK, STAFF_ONLY, role_table

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_contracts(harborough, rutland, practice, other_practice):
    """The seed's contracts held for practices (000, section (b)), placed in
    the test federation, plus a draft and an archived one. As of 15 Feb 2019:
    FCP-HARB and FCP-OW end within 60 days, ECP has ended, GPTeamNet is active."""
    return {
        "fcp_harborough": make_contract("FCP-HARB", localities=[harborough]),
        "fcp_ow": make_contract("FCP-OW", localities=[rutland], start_date=date(2018, 10, 1)),
        "ecp": make_contract(
            "ECP-SLAM",
            title="ECP",
            contractor="DHU",
            practices=[other_practice],
            start_date=date(2018, 7, 1),
            end_date=date(2018, 12, 31),
            value=Decimal("60000.00"),
        ),
        "gpteamnet": make_contract(
            "GPTN-ALL",
            title="GPTeamNet",
            contractor="Clarity Informatics",
            covers_all_localities=True,
            start_date=date(2018, 7, 1),
            end_date=date(2019, 6, 30),
            value=Decimal("12345.67"),
        ),
        "draft": make_contract(
            "SP-DRAFT",
            title="Social prescribing",
            contractor="Voluntary Action",
            practices=[practice],
            start_date=date(2019, 4, 1),
            end_date=date(2020, 3, 31),
            is_draft=True,
        ),
        "archived": make_contract("OLD-1", title="Archived pilot", covers_all_localities=True, archived=True),
    }


def listed(response) -> list[str]:
    """The references of the contracts on a list page."""
    return [row.record.reference for row in response.context["table"].paginated_rows]


# What the database sorts each column by, read from a row of the table.
SORTED_BY = {
    "reference": lambda contract: contract.reference,
    "title": lambda contract: contract.title,
    "contractor": lambda contract: contract.contractor.name,
    "start_date": lambda contract: contract.start_date,
    "end_date": lambda contract: contract.end_date,
    "value": lambda contract: contract.value,
    "vat": lambda contract: contract.vat_amount,
    "value_inc_vat": lambda contract: contract.value_inc_vat_amount,
    "status": lambda contract: (contract.status, contract.end_date),
}


# ---------------------------------------------------------------- who reaches what

NOBODY = dict.fromkeys(("staff", "board", "practice", "administrator"), NOT_FOUND)

# {own}: a contract covering the practice user's locality; {other}: one for
# another practice only; {draft}: a draft covering the practice; {archived};
# {own_doc}/{other_doc}: a document of each of the first two.
PAGES = [
    ("/contracts/", EVERYONE),
    ("/contracts/?_export=xlsx", EVERYONE),
    ("/contracts/?_export=csv", EVERYONE),
    ("/contracts/new/", STAFF_ONLY),
    ("/contracts/organisations/new/", STAFF_ONLY),
    ("/contracts/{own}/", EVERYONE),
    ("/contracts/{other}/", NOT_FOR_PRACTICE),
    ("/contracts/{draft}/", NOT_FOR_PRACTICE),
    ("/contracts/{archived}/", NOBODY),
    ("/contracts/{own}/edit/", STAFF_ONLY),
    ("/contracts/{other}/edit/", STAFF_ONLY),
    ("/contracts/{own}/documents/new/", STAFF_ONLY),
    ("/contracts/{own}/notes/new/", STAFF_ONLY),
    ("/contracts/documents/{own_doc}/download/", EVERYONE),
    ("/contracts/documents/{other_doc}/download/", NOT_FOR_PRACTICE),
]
ROLE_TABLE = role_table(PAGES)


@pytest.mark.parametrize(("path", "role", "expected"), ROLE_TABLE)
def test_each_role_gets_the_status_the_design_gives_it_on_each_page(
    client_as, seed_contracts, staff_user, media_root, path, role, expected
):
    # given the seed contracts, each of the first two with a document
    own, other = seed_contracts["fcp_harborough"], seed_contracts["ecp"]
    url = path.format(
        own=own.pk,
        other=other.pk,
        draft=seed_contracts["draft"].pk,
        archived=seed_contracts["archived"].pk,
        own_doc=make_document(own, staff_user).pk,
        other_doc=make_document(other, staff_user).pk,
    )

    # when the role asks for the page
    response = client_as(role).get(url)

    # then anonymous people are sent to log in, and everyone else gets the table's status
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", ["board", "practice"])
def test_only_staff_can_post_the_forms_and_nothing_is_written(client_as, seed_contracts, role):
    # given a contract the role can read (or not)
    contract = seed_contracts["fcp_harborough"]
    posts = {
        "/contracts/new/": {"reference": "X-1", "title": "X"},
        f"/contracts/{contract.pk}/edit/": {"reference": "X-2", "title": "Renamed"},
        f"/contracts/{contract.pk}/archive/": {},
        f"/contracts/{contract.pk}/notes/new/": {"reviewed_on": "2019-01-10", "note": "Fine"},
        f"/contracts/{contract.pk}/documents/new/": {"title": "T", "kind": "other"},
        "/contracts/organisations/new/": {"name": "Someone Ltd", "kind": "provider"},
    }
    client = client_as(role)

    # when they post to every staff form
    statuses = {url: client.post(url, data).status_code for url, data in posts.items()}

    # then each is refused and nothing changed
    assert set(statuses.values()) == {FORBIDDEN}
    contract.refresh_from_db()
    assert (contract.title, contract.archived) == ("First Contact Physio", False)
    assert Contract.objects.count() == len(seed_contracts)
    assert not contract.review_notes.exists() and not contract.documents.exists()
    assert not Organisation.objects.filter(name="Someone Ltd").exists()


def test_anonymous_posts_are_sent_to_log_in(seed_contracts):
    contract = seed_contracts["fcp_harborough"]
    response = Client().post(f"/contracts/{contract.pk}/archive/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    contract.refresh_from_db()
    assert contract.archived is False


def test_out_of_scope_contract_looks_exactly_like_a_missing_one(client_as, seed_contracts):
    # given a practice user
    client = client_as("practice")

    # when they guess another practice's contract and a number that does not exist
    existing = client.get(f"/contracts/{seed_contracts['ecp'].pk}/")
    missing = client.get("/contracts/999999/")

    # then both are the same 404 page
    assert existing.status_code == missing.status_code == NOT_FOUND
    assert existing.templates[0].name == missing.templates[0].name == "404.html"


# ---------------------------------------------------------------- the list


def test_practice_user_lists_only_contracts_covering_their_practice(client_as, february_2019, seed_contracts):
    # given a practice user in Harborough
    client = client_as("practice")

    # when they list contracts, search for another's, and filter by another's contractor
    page = client.get("/contracts/")
    searched = client.get("/contracts/?q=ECP")
    html = page.content.decode()

    # then they see the Harborough contract and the one for all localities, nothing else
    assert sorted(listed(page)) == ["FCP-HARB", "GPTN-ALL"]
    assert listed(searched) == []
    for hidden in ("FCP-OW", "ECP-SLAM", "SP-DRAFT", "OLD-1", "DHU", "Voluntary Action", "Rutland"):
        assert hidden not in html
    # and no "Add a contract" button
    assert "Add a contract" not in html


@pytest.mark.parametrize("role", ["staff", "board"])
def test_staff_and_board_list_every_contract_but_the_archived(client_as, february_2019, seed_contracts, role):
    page = client_as(role).get("/contracts/")
    assert sorted(listed(page)) == ["ECP-SLAM", "FCP-HARB", "FCP-OW", "GPTN-ALL", "SP-DRAFT"]
    assert ("Add a contract" in page.content.decode()) is (role == "staff")


def test_the_table_shows_coverage_money_duration_and_status(client_as, february_2019, seed_contracts):
    # given the seed contracts, today 15 Feb 2019
    # when staff list them
    page = client_as("staff").get("/contracts/?sort=reference")
    rows = {row.record.reference: row for row in page.context["table"].paginated_rows}
    html = page.content.decode()

    # then each row carries the coverage, duration, money and status
    gptn = rows["GPTN-ALL"]
    assert gptn.get_cell("covered_localities") == "All"
    assert gptn.get_cell("duration") == 12
    assert gptn.get_cell("value") == "£12,345.67"
    assert gptn.get_cell("vat") == "£2,469.13"
    assert gptn.get_cell("value_inc_vat") == "£14,814.80"
    assert "Active" in gptn.get_cell("status")
    harborough = rows["FCP-HARB"]
    assert harborough.get_cell("covered_localities") == "Harborough"
    assert harborough.get_cell("duration") == 7
    assert "Ending within 60 days" in harborough.get_cell("status")
    assert rows["ECP-SLAM"].get_cell("covered_localities") == "—"
    assert "Ended" in rows["ECP-SLAM"].get_cell("status")
    assert "Draft" in rows["SP-DRAFT"].get_cell("status")
    # money is right-aligned, the status an NHS tag, the project a link to its page
    assert (
        'class="nhsuk-table__cell fp-numeric nhsuk-u-font-size-16"><span class="nhsuk-table-responsive__heading" aria-hidden="true">Value inc VAT'
        in html
    )
    assert 'class="nhsuk-tag nhsuk-tag--orange">Ending within 60 days' in html
    assert f'href="/contracts/{seed_contracts["gpteamnet"].pk}/"' in html


@pytest.mark.parametrize("role", ["staff", "practice"])
@pytest.mark.parametrize("column", list(SORTED_BY))
def test_every_sortable_column_sorts_for_every_role(client_as, february_2019, seed_contracts, role, column):
    # when the list is sorted by a column, both ways
    client = client_as(role)
    ascending = client.get(f"/contracts/?sort={column}")
    descending = client.get(f"/contracts/?sort=-{column}")

    # then the page works and holds the same rows either way
    assert ascending.status_code == descending.status_code == OK
    assert sorted(listed(ascending)) == sorted(listed(descending))
    assert len(listed(ascending)) == (5 if role == "staff" else 2)
    # in the column's order one way, and the reverse the other (rows that tie may come in any order)
    up = [SORTED_BY[column](row.record) for row in ascending.context["table"].paginated_rows]
    down = [SORTED_BY[column](row.record) for row in descending.context["table"].paginated_rows]
    assert up == sorted(up)
    assert down == sorted(up, reverse=True)
    assert len(set(up)) > 1  # the seed contracts differ in every column, so the order shows


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=physio", ["FCP-HARB", "FCP-OW"]),
        ("q=ecp-", ["ECP-SLAM"]),
        ("q=clarity", ["GPTN-ALL"]),
        ("locality={harborough}", ["FCP-HARB", "GPTN-ALL", "SP-DRAFT"]),
        ("locality={rutland}", ["ECP-SLAM", "FCP-OW", "GPTN-ALL"]),
        ("status=draft", ["SP-DRAFT"]),
        ("status=active", ["GPTN-ALL"]),
        ("status=ending", ["FCP-HARB", "FCP-OW"]),
        ("status=ended", ["ECP-SLAM"]),
        ("contractor={jamie_bell}", ["FCP-HARB", "FCP-OW"]),
        ("ending_before=2019-03-01", ["ECP-SLAM"]),
        ("ending_before=2019-04-01", ["ECP-SLAM", "FCP-HARB", "FCP-OW"]),
        ("locality={rutland}&status=ending", ["FCP-OW"]),
        ("status=nonsense", []),
    ],
)
def test_each_filter_counts_the_contracts_it_should(
    client_as, february_2019, seed_contracts, harborough, rutland, query, expected
):
    # given the seed contracts, today 15 Feb 2019
    jamie_bell = Organisation.objects.get(name="Jamie Bell Physiotherapy Ltd")
    url = "/contracts/?" + query.format(
        harborough=harborough.pk, rutland=rutland.pk, jamie_bell=jamie_bell.pk
    )

    # when staff filter the list
    page = client_as("staff").get(url)

    # then exactly the expected contracts are counted and listed
    assert page.context["table"].paginator.count == len(expected)
    assert sorted(listed(page)) == expected
    assert f"{len(expected)} result" in page.content.decode()


def test_the_practice_users_filters_offer_only_what_they_may_see(client_as, february_2019, seed_contracts):
    form = client_as("practice").get("/contracts/").context["filter"].form
    assert [str(c) for c in form.fields["locality"].queryset] == ["Harborough"]
    assert sorted(str(c) for c in form.fields["contractor"].queryset) == [
        "Clarity Informatics",
        "Jamie Bell Physiotherapy Ltd",
    ]


def test_the_status_boundary_is_sixty_days(client_as, february_2019, practice):
    # given contracts ending today, in 60 days, in 61 days, and yesterday
    make_contract("END-0", localities=[practice.locality], end_date=date(2019, 2, 15))
    make_contract("END-60", localities=[practice.locality], end_date=date(2019, 4, 16))
    make_contract("END-61", localities=[practice.locality], end_date=date(2019, 4, 17))
    make_contract("END-YESTERDAY", localities=[practice.locality], end_date=date(2019, 2, 14))
    client = client_as("staff")

    # when staff filter by status
    ending = listed(client.get("/contracts/?status=ending"))
    active = listed(client.get("/contracts/?status=active"))
    ended = listed(client.get("/contracts/?status=ended"))

    # then the 60th day is still "ending", the 61st "active", yesterday "ended"
    assert sorted(ending) == ["END-0", "END-60"]
    assert active == ["END-61"]
    assert ended == ["END-YESTERDAY"]
    # and each contract's own rule agrees with the list's
    for contract in Contract.objects.all():
        assert contract.status_on(february_2019) in {"ending", "active", "ended"}
        assert (contract.reference in ending) is (contract.status_on(february_2019) == "ending")


def test_the_same_contract_changes_status_as_the_days_pass(client_as, practice):
    # given a contract ending on 31 March 2019
    contract = make_contract("FCP-HARB", localities=[practice.locality])
    seen = {}

    # when staff look at it on different days
    for day in (date(2019, 1, 29), date(2019, 1, 30), date(2019, 3, 31), date(2019, 4, 1)):
        with time_machine.travel(datetime(day.year, day.month, day.day, 9, tzinfo=LONDON), tick=False):
            # (signed in afresh each day: a session ends after 30 idle minutes)
            seen[day] = client_as("staff").get(f"/contracts/{contract.pk}/").context["status"]

    # then it is active until 60 days before its end, ending until its last day, then ended
    assert seen == {
        date(2019, 1, 29): "active",
        date(2019, 1, 30): "ending",
        date(2019, 3, 31): "ending",
        date(2019, 4, 1): "ended",
    }


# ---------------------------------------------------------------- exports


def test_xlsx_export_holds_the_filtered_rows_with_money_as_numbers(client_as, february_2019, seed_contracts):
    # given a contract whose VAT is exactly half a penny (£10.10 at 5% = £0.505)
    half_penny = make_contract(
        "HALF-1",
        contractor="Someone Else Ltd",
        covers_all_localities=True,
        value=Decimal("10.10"),
        vat_rate=Decimal("5.00"),
    )
    jamie_bell = Organisation.objects.get(name="Jamie Bell Physiotherapy Ltd")

    # when staff export Jamie Bell's contracts, and then everything
    response = client_as("staff").get(f"/contracts/?contractor={jamie_bell.pk}&sort=reference&_export=xlsx")
    everything = client_as("staff").get("/contracts/?sort=reference&_export=xlsx")

    # then the file is a workbook of just those two rows
    assert response["Content-Disposition"].startswith('attachment; filename="contracts.xlsx"')
    sheet = export_sheet(response)
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header[:3] == ["Reference", "Project", "Contractor"]
    assert [r[0] for r in rows] == ["FCP-HARB", "FCP-OW"]
    column = {name: header.index(name) for name in header}
    first = dict(zip(header, rows[0], strict=True))
    assert first["Localities"] == "Harborough"
    assert first["Start"] == datetime(2018, 9, 1)
    assert first["Months"] == 7
    assert first["Status"] == "Ending within 60 days"
    # and the money cells are numbers equal to the Decimal amounts, formatted as pounds
    contract = seed_contracts["fcp_harborough"]
    for name, amount in (
        ("Value ex-VAT", contract.value),
        ("VAT", contract.vat),
        ("Value inc VAT", contract.value_with_vat),
    ):
        cell = sheet.cell(row=2, column=column[name] + 1)
        assert isinstance(cell.value, int | float)
        assert Decimal(str(cell.value)) == amount
        assert cell.number_format == '"£"#,##0.00'
    # and the half penny rounds as the contract page rounds it
    all_rows = {r["Reference"]: r for r in export_records(everything, "xlsx")}
    assert half_penny.vat == Decimal("0.51")
    assert Decimal(str(all_rows["HALF-1"]["VAT"])) == half_penny.vat
    assert Decimal(str(all_rows["HALF-1"]["Value inc VAT"])) == Decimal("10.61")
    assert all_rows["GPTN-ALL"]["Localities"] == "All"
    assert "OLD-1" not in all_rows


def test_csv_export_matches_the_filtered_rows(client_as, february_2019, seed_contracts, rutland):
    # when staff export the contracts covering Rutland that are ending
    response = client_as("staff").get(f"/contracts/?locality={rutland.pk}&status=ending&_export=csv")

    # then the CSV holds that one row, money as plain numbers
    rows = export_records(response, "csv")
    assert [r["Reference"] for r in rows] == ["FCP-OW"]
    assert rows[0]["Value ex-VAT"] == "35000.00"
    assert rows[0]["VAT"] == "7000.00"
    assert rows[0]["Value inc VAT"] == "42000.00"
    assert rows[0]["Months"] == "6"
    assert rows[0]["Start"] == "2018-10-01"


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_practice_user_exports_hold_only_contracts_covering_their_practice(
    client_as, february_2019, seed_contracts, export_format
):
    # when a practice user exports the list, even asking for another's contractor
    dhu = Organisation.objects.get(name="DHU")
    plain = export_rows(client_as("practice").get(f"/contracts/?_export={export_format}"), export_format)
    probed = export_records(
        client_as("practice").get(f"/contracts/?contractor={dhu.pk}&_export={export_format}"), export_format
    )

    # then the file holds only the contracts covering their practice
    references = [row[0] for row in plain[1:]]
    text = " ".join(str(cell) for row in plain for cell in row)
    assert sorted(references) == ["FCP-HARB", "GPTN-ALL"]
    assert probed == []
    for hidden in ("ECP-SLAM", "FCP-OW", "SP-DRAFT", "DHU", "Rutland"):
        assert hidden not in text


# ---------------------------------------------------------------- queries


def _many_contracts(count: int, localities) -> None:
    organisations = [Organisation.objects.create(name=f"Contractor {n}") for n in range(3)]
    for n in range(count):
        contract = Contract.objects.create(
            reference=f"BULK-{n:03d}",
            title=f"Project {n}",
            contractor=organisations[n % 3],
            commissioner=organisations[(n + 1) % 3],
            start_date=date(2018, 4, 1),
            end_date=date(2019, 3, 31 - n % 20),
            value=Decimal("1000.00") + n,
            covers_all_localities=n % 5 == 0,
        )
        contract.localities.set(localities[: 1 + n % 2])


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_costs_the_same_queries_for_3_contracts_as_for_30(
    client_as, february_2019, harborough, rutland, django_assert_num_queries, count
):
    # given some contracts, each covering one or two localities
    _many_contracts(count, [harborough, rutland])
    client = client_as("staff")

    # when staff open the list: session and user; the count; the locality and
    # contractor choices of the filters; the page of rows (coverage and amounts
    # worked out in that one query); and the session's renewal (a savepoint,
    # the update, its release)
    with django_assert_num_queries(9):
        response = client.get("/contracts/")

    # then every contract is on the page
    assert len(listed(response)) == count


@pytest.mark.parametrize("count", [3, 30])
def test_the_practice_users_list_costs_the_same_queries_too(
    client_as, february_2019, practice, harborough, rutland, django_assert_num_queries, count
):
    _many_contracts(count, [harborough, rutland])
    client = client_as("practice")
    with django_assert_num_queries(9):
        response = client.get("/contracts/")
    assert len(listed(response)) == count


@pytest.mark.parametrize("count", [3, 30])
def test_the_export_costs_the_same_queries_for_3_contracts_as_for_30(
    client_as, february_2019, harborough, rutland, django_assert_num_queries, count
):
    _many_contracts(count, [harborough, rutland])
    client = client_as("staff")
    # session and user, the rows (read in chunks: one query for 30), the session's renewal
    with django_assert_num_queries(6):
        response = client.get("/contracts/?_export=xlsx")
    assert export_sheet(response).max_row == count + 1


# ---------------------------------------------------------------- a contract's page


def test_contract_page_shows_every_field_and_the_money(client_as, february_2019, seed_contracts):
    # given GPTeamNet with a commissioner, a funding source and an extension date
    contract = seed_contracts["gpteamnet"]
    contract.commissioner = Organisation.objects.create(name="NHS East Leicestershire and Rutland CCG")
    contract.funding_source = "Transformation Fund 2018/19"
    contract.extension_decision_by = date(2019, 5, 31)
    contract.save()

    # when staff open it
    html = client_as("staff").get(f"/contracts/{contract.pk}/").content.decode()

    # then every field is there, with the duration and the amounts
    for text in (
        "GPTN-ALL",
        "GPTeamNet",
        "Clarity Informatics",
        "NHS East Leicestershire and Rutland CCG",
        "Transformation Fund 2018/19",
        "All localities",
        "1 July 2018",
        "30 June 2019",
        "12 months",
        "£12,345.67",
        "VAT (20%)",
        "£2,469.13",
        "£14,814.80",
        "31 May 2019",
        "Active",
        "History of changes",
    ):
        assert text in html, text


def test_practice_user_sees_only_their_own_practice_among_those_covered(
    client_as, february_2019, practice, other_practice, harborough, rutland
):
    # given a contract covering both localities, the practice user's practice and another one
    contract = make_contract(
        "ECP-BOTH", title="ECP", localities=[harborough, rutland], practices=[practice, other_practice]
    )

    # when the practice user and staff open it
    mine = client_as("practice").get(f"/contracts/{contract.pk}/")
    staffs = client_as("staff").get(f"/contracts/{contract.pk}/")

    # then the practice user sees their practice listed and nothing of the other
    assert [p.ods_code for p in mine.context["practices"]] == [practice.ods_code]
    assert other_practice.name not in mine.content.decode()
    assert other_practice.ods_code not in mine.content.decode()
    # and, as everywhere else, only their own locality
    assert mine.context["localities"] == [harborough]
    assert "Rutland" not in mine.content.decode()
    # while staff see both of each
    assert {p.ods_code for p in staffs.context["practices"]} == {practice.ods_code, other_practice.ods_code}
    assert staffs.context["localities"] == [harborough, rutland]


def test_history_is_for_staff_and_board_only(client_as, february_2019, seed_contracts):
    contract = seed_contracts["fcp_harborough"]
    pages = {
        role: client_as(role).get(f"/contracts/{contract.pk}/").content.decode()
        for role in ("staff", "board", "practice")
    }
    assert "History of changes" in pages["staff"]
    assert "History of changes" in pages["board"]
    assert "History of changes" not in pages["practice"]
    # and only staff are offered the actions
    for action in ("Edit contract", "Add a document", "Add a review note", "Archive contract"):
        assert action in pages["staff"]
        assert action not in pages["board"]
        assert action not in pages["practice"]


def physio_form(contract, **changes) -> dict:
    """The contract form as staff would post it for the Harborough physio contract."""
    return {
        "reference": "FCP-HARB",
        "title": "First Contact Physio",
        "contractor": contract.contractor_id,
        "start_date": "2018-09-01",
        "end_date": "2019-03-31",
        "value": "35000.00",
        "vat_rate": "20.00",
        **changes,
    }


def test_an_edit_through_the_form_shows_in_the_history_with_the_users_name(
    client_as, seed_contracts, harborough
):
    # given the Harborough physio contract
    contract = seed_contracts["fcp_harborough"]
    client = client_as("staff")
    data = physio_form(contract, localities=[harborough.pk], value="37500.00")

    # when Helen Parker raises its value through the form
    response = client.post(f"/contracts/{contract.pk}/edit/", data)

    # then it is saved, and the contract's page says who changed what
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.value == Decimal("37500.00")
    page = client.get(f"/contracts/{contract.pk}/")
    entries = page.context["history"]
    change = next(e for e in entries if e.action == "Changed")
    assert change.who == "Helen Parker"
    [value_change] = [c for c in change.changes if c.field == "value ex-VAT"]
    # Shown in pounds and pence, not as the float pghistory's JSON holds.
    assert (value_change.before, value_change.after) == ("35,000.00", "37,500.00")
    assert "Helen Parker" in page.content.decode()


def test_staff_archive_a_contract_and_nothing_is_destroyed(client_as, seed_contracts, staff_user, media_root):
    # given a contract with a document and a note
    contract = seed_contracts["fcp_harborough"]
    make_document(contract, staff_user)
    contract.review_notes.create(reviewed_on=date(2019, 1, 10), note="On track", author=staff_user)
    client = client_as("staff")

    # when staff archive it
    response = client.post(f"/contracts/{contract.pk}/archive/")

    # then it leaves the list and its page, but every record is still there
    assert response.status_code == 302
    assert response["Location"] == "/contracts/"
    assert "FCP-HARB" not in listed(client.get("/contracts/"))
    assert client.get(f"/contracts/{contract.pk}/").status_code == NOT_FOUND
    contract.refresh_from_db()
    assert contract.archived is True
    assert contract.documents.count() == 1
    assert contract.review_notes.count() == 1


def test_archive_is_a_post_only(client_as, seed_contracts):
    contract = seed_contracts["fcp_harborough"]
    assert client_as("staff").get(f"/contracts/{contract.pk}/archive/").status_code == 405
    contract.refresh_from_db()
    assert contract.archived is False


def test_changing_who_a_contract_covers_shows_in_its_history(client_as, seed_contracts, harborough, rutland):
    # given the Harborough physio contract
    contract = seed_contracts["fcp_harborough"]
    client = client_as("staff")
    data = physio_form(contract, localities=[rutland.pk])

    # when Helen Parker moves it from Harborough to Rutland
    assert client.post(f"/contracts/{contract.pk}/edit/", data).status_code == 302

    # then its page says who added and who removed which locality
    entries = client.get(f"/contracts/{contract.pk}/").context["history"]
    actions = {e.action: e.who for e in entries}
    assert actions["Added locality covered: Rutland"] == "Helen Parker"
    assert actions["Removed locality covered: Harborough"] == "Helen Parker"
