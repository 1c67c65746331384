"""The signed schedule of the network agreement: staff upload it (checked by
content, kept with its SHA-256, never overwritten) and the practices on it
are recorded as signed; downloads only in scope; the history names the
practices that signed; the one practice guard decides who signs."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from pcn.models import AgreementSchedule, AgreementSignature, RegistrationStatus
from pcn.permissions import can_sign_agreement
from pcn.services import agreement_schedule_upload, agreement_sign, registration_start
from tests.conftest import stored_files
from tests.contracts.conftest import PDF_BYTES
from tests.pages import error_beside

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(network, year, staff_user):
    return registration_start(pcn=network, contract_year=year, user=staff_user)


@pytest.fixture
def other_registration(other_network, year, staff_user):
    return registration_start(pcn=other_network, contract_year=year, user=staff_user)


def pdf(name="schedule.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_staff_upload_the_schedule_and_the_practices_on_it_are_signed(
    client_as, media_root, registration, practice, neighbour
):
    client = client_as("staff")
    response = client.post(
        f"/pcn/registrations/{registration.pk}/schedule/",
        {"file": pdf("MH&B agreement signed.pdf"), "practices": [practice.pk, neighbour.pk]},
    )
    assert response.status_code == 302
    schedule = AgreementSchedule.objects.get(registration=registration)
    assert schedule.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert schedule.content_type == "application/pdf" and schedule.size == len(PDF_BYTES)
    signatures = AgreementSignature.objects.filter(registration=registration)
    assert {s.practice_id for s in signatures} == {practice.pk, neighbour.pk}
    assert all(s.schedule == schedule and s.recorded_by_staff for s in signatures)

    page = client.get(f"/pcn/registrations/{registration.pk}/").content.decode()
    assert "MH&amp;B agreement signed.pdf" in page and schedule.sha256 in page
    assert f"/pcn/schedules/{schedule.pk}/" in page
    assert "Every member practice has signed." in page
    # the history names the practices that signed
    assert (
        "Helen Parker recorded Market Harborough Medical Centre&#x27;s signature of the network agreement "
        "from the signed schedule"
    ) in page
    assert "recorded The Billesdon Surgery&#x27;s signature" in page
    assert (
        "Helen Parker uploaded the signed schedule of the network agreement, MH&amp;B agreement signed.pdf"
        in page
    )


def test_the_schedule_downloads_as_kept_and_only_in_scope(
    client_as, media_root, registration, other_registration, practice, staff_user
):
    schedule = agreement_schedule_upload(
        registration=registration, upload=pdf(), practices=[practice], user=staff_user
    )
    other = agreement_schedule_upload(
        registration=other_registration, upload=pdf("rutland.pdf"), practices=[], user=staff_user
    )
    response = client_as("practice").get(f"/pcn/schedules/{schedule.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_as("practice").get(f"/pcn/schedules/{other.pk}/").status_code == 404
    assert client_as("board").get(f"/pcn/schedules/{other.pk}/").status_code == 200


def test_a_second_upload_is_kept_beside_the_first(media_root, registration, practice, neighbour, staff_user):
    first = agreement_schedule_upload(
        registration=registration, upload=pdf(), practices=[practice], user=staff_user
    )
    second = agreement_schedule_upload(
        registration=registration, upload=pdf(), practices=[neighbour], user=staff_user
    )
    assert first.file.name != second.file.name
    assert len(stored_files(media_root)) == 2


def test_a_file_that_is_not_a_scan_or_pdf_is_refused_beside_the_file(
    client_as, media_root, registration, practice
):
    response = client_as("staff").post(
        f"/pcn/registrations/{registration.pk}/schedule/",
        {"file": pdf("schedule.pdf", b"<html><script>alert(1)</script></html>"), "practices": [practice.pk]},
    )
    assert response.status_code == 400
    assert "must be a PDF, PNG or JPEG" in error_beside(response.content, "file")
    assert not AgreementSchedule.objects.exists() and not AgreementSignature.objects.exists()
    assert stored_files(media_root) == []


def test_a_practice_signed_already_is_refused_and_nothing_is_kept(
    media_root, registration, practice, neighbour, staff_user
):
    agreement_sign(registration=registration, practice=practice, signatory="Dr A Partner", user=staff_user)
    with pytest.raises(ValidationError) as refused:
        agreement_schedule_upload(
            registration=registration, upload=pdf(), practices=[practice, neighbour], user=staff_user
        )
    assert "has already signed" in str(refused.value.message_dict["practices"])
    assert not AgreementSchedule.objects.exists()
    assert AgreementSignature.objects.count() == 1
    assert stored_files(media_root) == []


def test_no_upload_once_submitted(client_as, media_root, registration):
    type(registration).objects.filter(pk=registration.pk).update(status=RegistrationStatus.SUBMITTED)
    response = client_as("staff").post(f"/pcn/registrations/{registration.pk}/schedule/", {"file": pdf()})
    assert response.status_code == 400
    assert "The registration is submitted" in error_beside(response.content, "file")
    assert not AgreementSchedule.objects.exists() and stored_files(media_root) == []


@pytest.mark.parametrize(
    ("role", "status"), [("staff", 200), ("board", 403), ("practice", 403), ("administrator", 200)]
)
def test_only_staff_upload_a_schedule(client_as, registration, role, status):
    assert client_as(role).get(f"/pcn/registrations/{registration.pk}/schedule/").status_code == status


def test_a_practice_users_own_signature_names_the_practice_in_the_history(client_as, registration, practice):
    client_as("practice").post(
        f"/pcn/registrations/{registration.pk}/sign/C82009/", {"signatory": "Dr A Partner"}
    )
    page = client_as("staff").get(f"/pcn/registrations/{registration.pk}/").content.decode()
    assert (
        "recorded Market Harborough Medical Centre&#x27;s signature of the network agreement, signed by Dr A Partner"
    ) in page


def test_who_signs_is_the_one_practice_guard(practice_user, board_user, staff_user, practice, other_practice):
    assert can_sign_agreement(practice_user, practice)[0]
    assert not can_sign_agreement(practice_user, other_practice)[0]
    assert not can_sign_agreement(board_user, practice)[0]
    assert can_sign_agreement(staff_user, other_practice)[0]
    practice_user.is_active = False
    assert not can_sign_agreement(practice_user, practice)[0]
