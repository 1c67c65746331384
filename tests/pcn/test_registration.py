"""Registration under the Network Contract DES: checks, signatures, freezing
at submission, decisions, and two people acting at once."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from localities.models import ListSize, Practice
from pcn.models import Registration, RegistrationStatus
from pcn.permissions import can_sign_agreement
from pcn.registration import registration_checks, registration_members
from pcn.services import (
    agreement_sign,
    registration_decide,
    registration_exception_set,
    registration_start,
    registration_submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(network, year, staff_user):
    return registration_start(pcn=network, contract_year=year, user=staff_user)


def checks_of(registration) -> dict:
    registration = Registration.objects.select_related("pcn", "contract_year").get(pk=registration.pk)
    return {c.key: c for c in registration_checks(registration, registration_members(registration))}


def sign_all(registration, staff_user):
    for member in registration_members(registration):
        if member.signature is None:
            agreement_sign(
                registration=registration,
                practice=member.practice,
                signatory="Dr Partner",
                user=staff_user,
                recorded_by_staff=True,
            )


def test_members_and_list_sizes_at_the_reference_date(registration, practice, neighbour):
    ListSize.objects.create(
        practice=practice, as_at=date(2019, 4, 1), registered_patients=99999
    )  # after the reference date
    members = registration_members(registration)
    assert [(m.ods_code, m.list_size) for m in members] == [("C82009", 21627), ("C82022", 8000)]


def test_the_population_check_needs_30000_or_an_exception(registration, staff_user):
    check = checks_of(registration)["population"]
    assert not check.passed and "29,627 patients" in check.reason and "under 30,000" in check.reason
    registration_exception_set(
        registration=registration, population_exception="Rural: a sparse area", user=staff_user
    )
    check = checks_of(registration)["population"]
    assert check.passed and "Rural: a sparse area" in check.reason


def test_a_population_of_30000_passes(registration, neighbour):
    ListSize.objects.filter(practice=neighbour).update(registered_patients=8373)  # 21,627 + 8,373
    assert checks_of(registration)["population"].passed


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"clinical_director_name": ""}, "clinical_director"),
        ({"payee_practice": None}, "payee"),
        ({"bank_account_number": ""}, "bank"),
        ({"boundary": None}, "map"),
    ],
)
def test_each_detail_check(registration, network, change, key):
    assert checks_of(registration)[key].passed
    type(network).objects.filter(pk=network.pk).update(**change)
    check = checks_of(registration)[key]
    assert not check.passed and check.reason


def test_every_member_must_be_open_and_sign(registration, neighbour, staff_user):
    checks = checks_of(registration)
    assert checks["members_open"].passed
    assert not checks["signed"].passed and "C82009, C82022" in checks["signed"].reason
    Practice.objects.filter(pk=neighbour.pk).update(close_date=date(2019, 6, 30), status="closed")
    assert "C82022" in checks_of(registration)["members_open"].reason
    sign_all(registration, staff_user)
    assert checks_of(registration)["signed"].passed


def test_submission_is_refused_while_a_check_fails_saying_which(registration, staff_user):
    with pytest.raises(ValidationError) as error:
        registration_submit(registration=registration, user=staff_user)
    text = error.value.messages[0]
    assert "population of at least 30,000" in text and "every member has signed" in text
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.DRAFT


def test_submission_freezes_members_and_list_sizes(registration, practice, network, staff_user):
    registration_exception_set(registration=registration, population_exception="Rural", user=staff_user)
    sign_all(registration, staff_user)
    registration_submit(registration=registration, user=staff_user)

    # when a later list-size import and a change of bank account come in
    ListSize.objects.create(practice=practice, as_at=date(2018, 12, 31), registered_patients=1)
    ListSize.objects.filter(practice=practice, as_at=date(2019, 1, 1)).update(registered_patients=5)
    network.bank_account_number = "11112222"
    network.save()

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED and registration.submitted_by == staff_user
    assert registration.total_list_size == 29627
    assert registration.bank_account_number == "12345678"
    assert [(m.ods_code, m.list_size) for m in registration_members(registration)] == [
        ("C82009", 21627),
        ("C82022", 8000),
    ]


def test_a_practice_user_signs_only_for_their_own_practice(registration, practice, neighbour, practice_user):
    assert can_sign_agreement(practice_user, practice)[0]
    assert not can_sign_agreement(practice_user, neighbour)[0]
    agreement_sign(registration=registration, practice=practice, signatory="Dr A Partner", user=practice_user)
    with pytest.raises(ValidationError, match="already signed"):
        agreement_sign(
            registration=registration, practice=practice, signatory="Dr A Partner", user=practice_user
        )


def test_a_non_member_cannot_sign(registration, other_practice, staff_user):
    with pytest.raises(ValidationError, match="not a member"):
        agreement_sign(registration=registration, practice=other_practice, signatory="X", user=staff_user)


def submitted(registration, staff_user):
    registration_exception_set(registration=registration, population_exception="Rural", user=staff_user)
    sign_all(registration, staff_user)
    return registration_submit(registration=registration, user=staff_user)


def test_a_second_submission_is_told_who_won(registration, staff_user):
    submitted(registration, staff_user)
    with pytest.raises(ValidationError, match="already submitted"):
        registration_submit(registration=registration, user=staff_user)


@pytest.mark.parametrize("decision", ["approve", "approve_exception", "return"])
def test_decisions(registration, staff_user, decision):
    submitted(registration, staff_user)
    decided = registration_decide(
        registration=registration, decision=decision, panel_notes="Panel 16 May 2019", user=staff_user
    )
    assert decided.decided_by == staff_user and decided.decided_at is not None
    assert "Panel 16 May 2019" in decided.panel_notes
    with pytest.raises(ValidationError, match="already"):
        registration_decide(registration=registration, decision="approve", user=staff_user)


def test_returning_needs_notes_and_allows_resubmission(registration, staff_user):
    submitted(registration, staff_user)
    with pytest.raises(ValidationError) as error:
        registration_decide(registration=registration, decision="return", user=staff_user)
    assert "panel_notes" in error.value.message_dict
    registration_decide(
        registration=registration, decision="return", panel_notes="Map unclear", user=staff_user
    )
    again = registration_submit(registration=registration, user=staff_user)
    assert again.status == RegistrationStatus.SUBMITTED and again.members.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_decisions_at_once_one_wins(network, year, staff_user, board_user):
    registration = registration_start(pcn=network, contract_year=year, user=staff_user)
    submitted(registration, staff_user)
    results = []
    barrier = threading.Barrier(2)

    def decide(decision):
        try:
            barrier.wait()
            registration_decide(
                registration=registration, decision=decision, panel_notes="notes", user=staff_user
            )
            results.append("won")
        except ValidationError as error:
            results.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(d,)) for d in ("approve", "return")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results)[1] == "won" or sorted(results)[0] == "won"
    assert results.count("won") == 1
    loser = next(r for r in results if r != "won")
    assert "already" in loser
