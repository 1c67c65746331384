"""The Django admin keeps DESIGN.md's data rules for localities: a list size
is a dated figure that is added, never changed or deleted; an import run is a
read-only record; a locality or practice nothing refers to can still go."""

from datetime import date

import pytest

from localities.models import ImportRun, ListSize, Locality, Practice
from tests.pages import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def figure(practice):
    """The practice's one list size: 21627 patients at 1 January 2019."""
    return practice.list_sizes.get()


# ---- list sizes: add and view only ---------------------------------------------------


def test_a_list_size_is_shown_read_only_with_no_save_or_delete(admin, figure):
    # Given a recorded list size
    # When the administrator opens it in the admin
    response = admin.get(f"/admin/localities/listsize/{figure.pk}/change/")

    # Then they see the figure, but nothing to type over it, save or delete
    assert response.status_code == 200
    page = response.content.decode()
    assert "21627" in page
    assert 'name="registered_patients"' not in page
    assert 'name="_save"' not in page
    assert f"/admin/localities/listsize/{figure.pk}/delete/" not in page


def test_posting_a_changed_list_size_is_refused(admin, figure):
    # Given a recorded list size
    # When someone posts a new number over it anyway
    response = admin.post(
        f"/admin/localities/listsize/{figure.pk}/change/",
        {"practice": figure.practice_id, "as_at": "2019-01-01", "registered_patients": "1"},
    )

    # Then it is refused and the figure is as it was
    assert response.status_code == 403
    figure.refresh_from_db()
    assert figure.registered_patients == 21627


def test_a_list_size_cannot_be_deleted(admin, figure):
    # Given a recorded list size
    # When the administrator opens or posts its delete page
    shown = admin.get(f"/admin/localities/listsize/{figure.pk}/delete/")
    posted = admin.post(f"/admin/localities/listsize/{figure.pk}/delete/", {"post": "yes"})

    # Then both are refused and the figure is kept
    assert shown.status_code == 403
    assert posted.status_code == 403
    assert ListSize.objects.filter(pk=figure.pk).exists()


def test_the_list_sizes_list_offers_no_delete_action(admin, figure):
    # Given a recorded list size
    # When the administrator opens the list of list sizes
    response = admin.get("/admin/localities/listsize/")

    # Then the figure is listed, with no bulk delete to choose
    assert response.status_code == 200
    assert "21627" in response.content.decode()
    assert "delete_selected" not in response.content.decode()


def test_a_new_figure_is_added_beside_the_old_one(admin, figure, practice):
    # Given a practice with a figure at 1 January 2019
    # When the administrator adds the April figure
    response = admin.post(
        "/admin/localities/listsize/add/",
        {
            "practice": practice.pk,
            "as_at": "2019-04-01",
            "registered_patients": "21700",
            "source": "NHS Digital",
        },
    )

    # Then both figures are kept, each at its own date
    assert response.status_code == 302
    assert list(practice.list_sizes.order_by("as_at").values_list("as_at", "registered_patients")) == [
        (date(2019, 1, 1), 21627),
        (date(2019, 4, 1), 21700),
    ]


def test_a_second_figure_at_the_same_date_is_refused_with_a_message(admin, figure, practice):
    # Given a practice with a figure at 1 January 2019
    # When the administrator adds another figure at that date
    response = admin.post(
        "/admin/localities/listsize/add/",
        {"practice": practice.pk, "as_at": "2019-01-01", "registered_patients": "1"},
    )

    # Then the form comes back saying so, and the first figure is not overwritten
    assert response.status_code == 200
    assert "A list size for this practice at this date is already recorded." in response.content.decode()
    assert list(practice.list_sizes.values_list("registered_patients", flat=True)) == [21627]


def test_a_negative_figure_is_refused(admin, practice):
    # Given a practice
    # When the administrator adds a negative number of patients
    response = admin.post(
        "/admin/localities/listsize/add/",
        {"practice": practice.pk, "as_at": "2019-04-01", "registered_patients": "-5"},
    )

    # Then the form comes back with the error and nothing is added
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert practice.list_sizes.count() == 1


def test_the_practice_page_shows_its_list_sizes_read_only(admin, figure, practice):
    # Given a practice with a figure
    # When the administrator opens the practice
    response = admin.get(f"/admin/localities/practice/{practice.pk}/change/")

    # Then the figure is shown as text, with no field, delete box or "add another" row
    assert response.status_code == 200
    page = response.content.decode()
    assert "21627" in page
    assert 'name="list_sizes-0-registered_patients"' not in page
    assert 'name="list_sizes-0-DELETE"' not in page
    assert 'name="list_sizes-__prefix__-registered_patients"' not in page


def test_saving_a_practice_leaves_its_list_sizes_alone(admin, figure, practice):
    # Given the practice's admin page as shown
    page = admin.get(f"/admin/localities/practice/{practice.pk}/change/")
    data = form_data(page.content, "practice_form")

    # When the administrator renames the practice, and the post also carries
    # a changed figure, a delete box and a new figure
    data["name"] = ["Market Harborough MC"]
    data["list_sizes-0-registered_patients"] = ["1"]
    data["list_sizes-0-DELETE"] = ["on"]
    data["list_sizes-TOTAL_FORMS"] = ["2"]
    data["list_sizes-1-practice"] = [str(practice.pk)]
    data["list_sizes-1-as_at"] = ["2019-04-01"]
    data["list_sizes-1-registered_patients"] = ["5"]
    response = admin.post(f"/admin/localities/practice/{practice.pk}/change/", data)

    # Then the practice is renamed and its one figure is as it was
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.name == "Market Harborough MC"
    assert list(practice.list_sizes.values_list("as_at", "registered_patients")) == [
        (date(2019, 1, 1), 21627)
    ]


# ---- import runs: read-only records ----------------------------------------------------


def test_an_import_run_is_shown_read_only(admin, import_run):
    # Given an import run
    # When the administrator opens it
    response = admin.get(f"/admin/localities/importrun/{import_run.pk}/change/")

    # Then they see what was imported, with no save, no delete and no link straight to storage
    assert response.status_code == 200
    page = response.content.decode()
    assert "gp-reg-pat-prac-all.csv" in page
    assert "a" * 64 in page
    assert 'name="_save"' not in page
    assert "/delete/" not in page
    assert "media.invalid" not in page


def test_import_runs_cannot_be_added_or_deleted_in_the_admin(admin, import_run):
    # Given an import run
    # When the administrator tries to add one or delete it
    added = admin.get("/admin/localities/importrun/add/")
    deleted = admin.post(f"/admin/localities/importrun/{import_run.pk}/delete/", {"post": "yes"})

    # Then both are refused: files are imported in the portal, where they are checked
    assert added.status_code == 403
    assert deleted.status_code == 403
    assert ImportRun.objects.filter(pk=import_run.pk).exists()


# ---- localities and practices nothing refers to ----------------------------------------


def test_a_locality_nothing_refers_to_can_be_deleted(admin, db):
    # Given a locality with no practices and no contracts
    empty = Locality.objects.create(name="Nowhere", slug="nowhere")

    # When the administrator confirms its deletion
    response = admin.post(f"/admin/localities/locality/{empty.pk}/delete/", {"post": "yes"})

    # Then it is gone
    assert response.status_code == 302
    assert not Locality.objects.filter(pk=empty.pk).exists()


def test_a_practice_with_list_sizes_cannot_be_deleted(admin, figure, practice):
    # Given a practice with a recorded figure
    # When the administrator confirms its deletion
    response = admin.post(f"/admin/localities/practice/{practice.pk}/delete/", {"post": "yes"})

    # Then the page says what refers to it, and the practice and its figure are kept
    assert response.status_code == 200
    assert "Cannot delete" in response.content.decode()
    assert Practice.objects.filter(pk=practice.pk).exists()
    assert ListSize.objects.filter(pk=figure.pk).exists()


@pytest.mark.parametrize("model", ["locality", "practice", "listsize", "practicemembership", "importrun"])
def test_every_localities_list_loads(admin, practice_user, import_run, model):
    # Given a federation with a practice, its figure, a practice user and an import
    # When the administrator opens the model's list
    response = admin.get(f"/admin/localities/{model}/")

    # Then it loads
    assert response.status_code == 200
