"""The Django admin keeps DESIGN.md's data rules for contracts: what a user
submitted or decided (documents, review notes, evidence, decisions, returns,
reminders sent) is shown read-only; files are only taken by the portal's
checked upload forms; contracts and services are archived, not deleted;
records others refer to are not deleted; and every admin page still loads."""

from datetime import date
from decimal import Decimal

import lxml.html
import pghistory
import pytest
from django.contrib import admin as django_admin

from contracts.models import (
    ActivityReturn,
    Contract,
    ContractDocument,
    ContractReviewNote,
    EvidenceDecision,
    EvidenceSubmission,
    Reminder,
    ReminderFailure,
    ScheduledClinician,
    Service,
    SubContract,
    Tariff,
)
from contracts.services.evidence import evidence_review
from contracts.services.held import contract_document_add, contract_note_add
from fedportal.models import Role, User
from localities.models import ImportRun, Locality, Practice
from tests.conftest import make_user
from tests.contracts.conftest import pdf_upload
from tests.contracts.helpers import make_contract, make_evidence, make_return
from tests.pages import form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def contract(practice, staff_user, february_2019):
    """A contract covering the practice's locality, with a document and a review note."""
    contract = make_contract("FCP-HARB", localities=[practice.locality])
    contract_document_add(
        contract=contract,
        title="Signed FCP contract",
        kind="signed_contract",
        upload=pdf_upload(),
        user=staff_user,
    )
    contract_note_add(
        contract=contract, reviewed_on=date(2019, 1, 10), note="Waiting times down.", user=staff_user
    )
    return contract


@pytest.fixture
def document(contract):
    return contract.documents.get()


@pytest.fixture
def decision(submission, staff_user):
    return evidence_review(submission_id=submission.pk, decision="accepted", reason="", user=staff_user)


@pytest.fixture
def approved_return(subcontract, practice_user, staff_user, february_2019):
    return make_return(subcontract, practice_user, units=(40,), approved_by=staff_user)


@pytest.fixture
def clinician(subcontract):
    return ScheduledClinician.objects.create(subcontract=subcontract, name="Dr Ada Fitter", role="GP")


@pytest.fixture
def reminder(practice_user):
    return Reminder.objects.create(recipient=practice_user, item="evidence:1:1", summary="Indemnity missing")


@pytest.fixture
def reminder_failure(practice_user):
    return ReminderFailure.objects.create(
        recipient=practice_user, subject="Reminders", summary="Indemnity missing", error="550 no mailbox"
    )


@pytest.fixture
def everything(
    contract,
    decision,
    approved_return,
    clinician,
    reminder,
    reminder_failure,
    import_run,
    other_subcontract,
    practice_user,
):
    """At least one record of every model the admin shows."""


def page_text(response) -> str:
    """The words of the page's content, as the administrator reads them."""
    content = lxml.html.fromstring(response.content.decode()).get_element_by_id("content")
    return " ".join(content.text_content().split())


def url(obj, action: str = "change") -> str:
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/{action}/"


# ---- every admin page loads ------------------------------------------------------------

# Submitted, decided or kept by the portal: never added in the admin.
MADE_IN_THE_PORTAL = {
    EvidenceSubmission,
    EvidenceDecision,
    ActivityReturn,
    Reminder,
    ReminderFailure,
    ImportRun,
}
REGISTERED = sorted(django_admin.site._registry, key=lambda model: model._meta.label)


@pytest.mark.parametrize("model", REGISTERED, ids=[model._meta.label for model in REGISTERED])
def test_every_admin_list_and_record_page_loads(admin, everything, model):
    # Given a federation with a record of every kind
    # When the administrator opens the model's list, a record's page, and the add page
    opts = model._meta
    listed = admin.get(f"/admin/{opts.app_label}/{opts.model_name}/")
    record = model._default_manager.order_by("pk").first()
    shown = admin.get(url(record)) if record is not None else None
    added = admin.get(f"/admin/{opts.app_label}/{opts.model_name}/add/")

    # Then they load, except adding a record only the portal makes
    assert listed.status_code == 200
    assert shown is None or shown.status_code == 200
    if opts.app_label in {"fedportal", "localities", "contracts"}:
        assert added.status_code == (403 if model in MADE_IN_THE_PORTAL else 200)


# ---- submitted and decided records are read-only ---------------------------------------


@pytest.mark.parametrize(
    "kind", ["submission", "decision", "approved_return", "reminder", "reminder_failure"]
)
def test_a_submitted_or_decided_record_is_shown_but_never_added_changed_or_deleted(admin, request, kind):
    # Given evidence a practice submitted, a decision on it, an approved
    # return, or a reminder the portal sent
    record = request.getfixturevalue(kind)
    model, opts = type(record), record._meta
    before = model._default_manager.count()

    # When the administrator opens it
    shown = admin.get(url(record))

    # Then it is shown with nothing to save and no delete link
    assert shown.status_code == 200
    assert 'name="_save"' not in shown.content.decode()
    assert url(record, "delete") not in shown.content.decode()

    # And adding one, posting a change and deleting are all refused
    assert admin.get(f"/admin/{opts.app_label}/{opts.model_name}/add/").status_code == 403
    assert admin.post(url(record), {"notes": "changed", "status": "rejected"}).status_code == 403
    assert admin.post(url(record, "delete"), {"post": "yes"}).status_code == 403
    assert model._default_manager.count() == before


def test_evidence_is_downloaded_through_the_portal_not_from_storage(admin, submission):
    # Given a practice's evidence
    # When the administrator opens it
    response = admin.get(url(submission))

    # Then its file links to the portal's download (which checks who may see
    # it), not straight to storage, and there is no file input
    page = response.content.decode()
    assert f'href="/evidence/{submission.pk}/download/"' in page
    assert "media.invalid" not in page
    assert 'type="file"' not in page


def test_an_approved_return_shows_its_lines_with_nothing_to_edit(admin, approved_return):
    # Given an approved return of 40 breath tests
    # When the administrator opens it
    response = admin.get(url(approved_return))

    # Then the line is shown as text, with no field and no row to add
    page = response.content.decode()
    assert response.status_code == 200
    assert "25.00" in page
    assert 'name="lines-0-units"' not in page
    assert 'name="lines-__prefix__-units"' not in page
    assert approved_return.lines.get().units == 40


# ---- contracts: documents and notes read-only, no delete -------------------------------


def test_the_contract_page_offers_no_file_input_and_shows_documents_and_notes_as_text(
    admin, contract, document
):
    # Given a contract with a document and a review note
    # When the administrator opens it
    response = admin.get(url(contract))

    # Then the document and note are there to read, the file is downloaded
    # through the portal, and there is no file input, no editable row and no
    # row to add
    assert response.status_code == 200
    page = response.content.decode()
    assert "Signed FCP contract" in page
    assert "Waiting times down." in page
    assert f'href="/contracts/documents/{document.pk}/download/"' in page
    assert 'type="file"' not in page
    assert "media.invalid" not in page
    assert 'name="documents-0-title"' not in page
    assert 'name="documents-__prefix__-title"' not in page
    assert 'name="review_notes-0-note"' not in page
    assert 'name="review_notes-__prefix__-note"' not in page


def test_saving_a_contract_adds_replaces_and_deletes_no_document_or_note(admin, contract, document, practice):
    # Given the contract's admin page as shown
    data = form_data(admin.get(url(contract)).content, "contract_form")
    note = contract.review_notes.get()

    # When the administrator changes the title, and the post also carries a
    # retitled document, deletes, a new document and a new note
    data["title"] = ["First Contact Physio (extended)"]
    data["documents-0-title"] = ["Replaced"]
    data["documents-0-DELETE"] = ["on"]
    data["review_notes-0-note"] = ["Rewritten."]
    data["review_notes-0-DELETE"] = ["on"]
    data["documents-TOTAL_FORMS"] = ["2"]
    data["documents-1-title"] = ["Sneaked in"]
    data["documents-1-kind"] = ["other"]
    data["review_notes-TOTAL_FORMS"] = ["2"]
    data["review_notes-1-reviewed_on"] = ["2019-02-01"]
    data["review_notes-1-note"] = ["Sneaked in"]
    response = admin.post(url(contract), data)

    # Then the contract is saved and its document and note are exactly as they were
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.title == "First Contact Physio (extended)"
    assert list(ContractDocument.objects.values_list("pk", "title")) == [(document.pk, "Signed FCP contract")]
    assert list(ContractReviewNote.objects.values_list("pk", "note")) == [(note.pk, "Waiting times down.")]


def test_a_contract_must_still_cover_someone(admin, contract):
    # Given the contract's admin page as shown
    data = form_data(admin.get(url(contract)).content, "contract_form")

    # When the administrator takes away every locality, practice and "all localities"
    data.pop("localities", None)
    data.pop("practices", None)
    data.pop("covers_all_localities", None)
    response = admin.post(url(contract), data)

    # Then the form comes back with the portal's message, and the contract still covers its locality
    assert response.status_code == 200
    assert "Choose the localities or practices the contract covers" in response.content.decode()
    assert contract.localities.count() == 1


def test_a_contract_is_archived_not_deleted(admin, contract):
    # Given a contract
    # When the administrator opens the list, the contract, and its delete page
    listed = admin.get("/admin/contracts/contract/")
    shown = admin.get(url(contract))
    deleted = admin.post(url(contract, "delete"), {"post": "yes"})

    # Then no delete is offered, deleting is refused, and the archive box is there instead
    assert "delete_selected" not in listed.content.decode()
    assert url(contract, "delete") not in shown.content.decode()
    assert 'name="archived"' in shown.content.decode()
    assert deleted.status_code == 403
    assert Contract.objects.filter(pk=contract.pk).exists()


@pytest.mark.parametrize("covered", ["locality", "practice"])
def test_a_locality_or_practice_a_contract_covers_cannot_be_deleted(admin, db, covered):
    # Given a locality, or a practice with no list size, that a contract covers
    if covered == "locality":
        record = Locality.objects.create(name="Melton", slug="melton")
        contract = make_contract("GPTN", title="GPTeamNet", localities=[record])
    else:
        record = Practice.objects.create(ods_code="C82099", name="Latham House")
        contract = make_contract("GPTN", title="GPTeamNet", practices=[record])

    # When the administrator confirms its deletion
    response = admin.post(url(record, "delete"), {"post": "yes"})

    # Then the page names the contract that covers it, and nothing is deleted or unlinked
    page = page_text(response)
    assert response.status_code == 200
    assert "Cannot delete" in page
    assert "Contract: GPTeamNet" in page
    assert type(record).objects.filter(pk=record.pk).exists()
    links = contract.localities if covered == "locality" else contract.practices
    assert list(links.all()) == [record]


# ---- services: archived not deleted; tariffs added, never changed ----------------------


def test_a_service_is_archived_not_deleted(admin, h_pylori):
    # Given a service
    # When the administrator opens its delete page
    response = admin.post(url(h_pylori, "delete"), {"post": "yes"})

    # Then it is refused and the service is kept
    assert response.status_code == 403
    assert Service.objects.filter(pk=h_pylori.pk).exists()


def test_a_service_cannot_take_a_slug_the_portal_uses(admin, h_pylori):
    # Given the admin's add-a-service page
    # When the administrator adds a service with the slug "new"
    response = admin.post(
        "/admin/contracts/service/add/",
        {
            "name": "New patient checks",
            "slug": "new",
            "head_contract": h_pylori.head_contract_id,
            "unit": "check",
            "takes_returns": "on",
            "tariffs-TOTAL_FORMS": "0",
            "tariffs-INITIAL_FORMS": "0",
            "requirements-TOTAL_FORMS": "0",
            "requirements-INITIAL_FORMS": "0",
        },
    )

    # Then it is refused beside the slug, as in the portal
    assert response.status_code == 200
    assert "is taken by the portal" in response.content.decode()
    assert not Service.objects.filter(slug="new").exists()


def test_saving_a_service_adds_a_tariff_but_never_changes_or_deletes_one(admin, h_pylori):
    # Given the service's admin page, with its £25.00 tariff from April 2018
    data = form_data(admin.get(url(h_pylori)).content, "service_form")
    tariff = h_pylori.tariffs.get()

    # When the post carries a changed price and a delete box for it, and a new tariff
    data["tariffs-0-unit_price"] = ["1.00"]
    data["tariffs-0-DELETE"] = ["on"]
    data["tariffs-TOTAL_FORMS"] = ["2"]
    data["tariffs-1-effective_from"] = ["2019-04-01"]
    data["tariffs-1-unit_price"] = ["27.50"]
    response = admin.post(url(h_pylori), data)

    # Then the old tariff is kept as it was and the new one is added
    assert response.status_code == 302
    assert list(Tariff.objects.order_by("effective_from").values_list("effective_from", "unit_price")) == [
        (date(2018, 4, 1), Decimal("25.00")),
        (date(2019, 4, 1), Decimal("27.50")),
    ]
    assert h_pylori.tariffs.get(effective_from=date(2018, 4, 1)).pk == tariff.pk


def test_a_requirement_with_evidence_cannot_become_a_schedule(admin, h_pylori, submission, indemnity):
    # Given the indemnity requirement, for which evidence was uploaded
    data = form_data(admin.get(url(h_pylori)).content, "service_form")
    row = next(key for key, value in data.items() if key.endswith("-id") and value == [str(indemnity.pk)])
    prefix = row.removesuffix("-id")

    # When the administrator makes it a schedule of clinicians
    data[f"{prefix}-is_clinician_schedule"] = ["on"]
    response = admin.post(url(h_pylori), data)

    # Then the portal's message comes back and the requirement is as it was
    assert response.status_code == 200
    assert "whether it is a schedule of clinicians cannot change" in response.content.decode()
    indemnity.refresh_from_db()
    assert not indemnity.is_clinician_schedule


def test_a_requirement_cannot_be_deleted(admin, h_pylori, indemnity):
    # Given a service with a requirement
    # When the administrator opens the service
    page = admin.get(url(h_pylori)).content.decode()

    # Then there is no delete box for the requirement
    assert 'name="requirements-0-name"' in page
    assert 'name="requirements-0-DELETE"' not in page


# ---- sub-contracts and clinicians -------------------------------------------------------


def test_a_subcontract_keeps_its_practice_and_service(admin, subcontract, other_practice, submission):
    # Given a sub-contract with evidence
    data = form_data(admin.get(url(subcontract)).content, "subcontract_form")

    # When the post says another practice, and a new end date
    data["practice"] = [str(other_practice.pk)]
    data["end_date"] = ["2019-03-31"]
    response = admin.post(url(subcontract), data)

    # Then the dates change but the practice (whose evidence it holds) stays
    assert response.status_code == 302
    subcontract.refresh_from_db()
    assert subcontract.end_date == date(2019, 3, 31)
    assert subcontract.practice_id != other_practice.pk
    assert EvidenceSubmission.objects.get().subcontract.practice == subcontract.practice


def test_a_clinician_is_removed_with_a_date_not_deleted(admin, clinician):
    # Given a clinician on a schedule
    # When the administrator tries to delete them
    response = admin.post(url(clinician, "delete"), {"post": "yes"})

    # Then it is refused; the page offers the "removed on" date instead
    assert response.status_code == 403
    assert ScheduledClinician.objects.filter(pk=clinician.pk).exists()
    assert 'name="removed_on"' in admin.get(url(clinician)).content.decode()


@pytest.mark.parametrize("status", ["accepted", "rejected"])
def test_a_clinician_with_decided_evidence_keeps_their_name_and_dates(
    admin, clinician, fitters, practice_user, status
):
    # Given evidence for the clinician was decided, and they were later removed
    make_evidence(clinician.subcontract, fitters, practice_user, status=status, clinician=clinician)
    clinician.removed_on = date(2019, 2, 1)
    clinician.save()
    form = admin.get(url(clinician)).content.decode()

    # When the administrator renames them and clears their removal
    data = {"name": "Dr Someone Else", "role": "GP", "registration": "", "removed_on": ""}
    admin.post(url(clinician), data)

    # Then none of it is offered or taken: the decision stays against the person judged
    assert 'name="name"' not in form and 'name="removed_on"' not in form
    clinician.refresh_from_db()
    assert (clinician.name, clinician.removed_on) == ("Dr Ada Fitter", date(2019, 2, 1))


def test_a_clinician_with_evidence_awaiting_review_can_still_be_corrected(
    admin, clinician, fitters, practice_user
):
    make_evidence(clinician.subcontract, fitters, practice_user, clinician=clinician)
    data = {"name": "Dr Ada Fitter-Jones", "role": "GP", "registration": "", "removed_on": ""}
    response = admin.post(url(clinician), data)
    assert response.status_code == 302
    clinician.refresh_from_db()
    assert clinician.name == "Dr Ada Fitter-Jones"


# ---- users the history names -----------------------------------------------------------


def test_a_user_the_history_names_cannot_be_deleted(admin, staff_user, contract, approved_return):
    # Given a member of staff who changed a contract (the history names them),
    # uploaded its document and approved a return
    with pghistory.context(user=staff_user.pk):
        Contract.objects.filter(pk=contract.pk).update(title="FCP (renamed)")

    # When the administrator confirms deleting their account
    response = admin.post(url(staff_user, "delete"), {"post": "yes"})

    # Then the page lists what refers to them and what to do instead (not a
    # missing permission), and the account is kept
    page = page_text(response)
    assert response.status_code == 200
    assert "Cannot delete" in page
    assert "Change history: changes made by Helen Parker (untick 'Active' to stop them signing in)" in page
    assert "Contract document: Signed FCP contract" in page
    assert "Activity return: H. pylori breath test – Market Harborough Medical Centre Q3 2018/19" in page
    assert "have permission" not in page
    assert User.objects.filter(pk=staff_user.pk).exists()


def test_a_subcontract_with_evidence_cannot_be_deleted(admin, subcontract, submission):
    # Given a sub-contract a practice uploaded evidence to
    # When the administrator confirms its deletion
    response = admin.post(url(subcontract, "delete"), {"post": "yes"})

    # Then the page names the evidence that refers to it, and nothing is deleted
    page = page_text(response)
    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in page
    assert "Evidence submission: Indemnity certificate v1" in page
    assert "have permission" not in page
    assert SubContract.objects.filter(pk=subcontract.pk).exists()
    assert EvidenceSubmission.objects.filter(pk=submission.pk).exists()


def test_a_user_who_did_nothing_can_be_deleted(admin, db):
    # Given an account made by mistake
    mistake = make_user("typo", Role.BOARD)

    # When the administrator confirms deleting it
    response = admin.post(url(mistake, "delete"), {"post": "yes"})

    # Then it is gone
    assert response.status_code == 302
    assert not User.objects.filter(pk=mistake.pk).exists()
