"""Staff look at a PDF or picture of evidence on its review page, without
downloading it: the file is served inline, sandboxed, never sniffed, to
whoever sees the evidence and nobody else."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts.services.evidence import evidence_submit
from tests.contracts.conftest import JPEG_BYTES, PDF_BYTES, PNG_BYTES, office_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def upload(subcontract, requirement, user, name: str, content: bytes):
    return evidence_submit(
        subcontract=subcontract,
        requirement=requirement,
        upload=SimpleUploadedFile(name, content),
        description="Signed copy",
        valid_from=None,
        valid_to=None,
        user=user,
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type", "shown_as"),
    [
        ("signed.pdf", PDF_BYTES, "application/pdf", "<iframe"),
        ("signed.png", PNG_BYTES, "image/png", "<img"),
        ("signed.jpg", JPEG_BYTES, "image/jpeg", "<img"),
    ],
)
def test_staff_see_the_file_on_the_review_page_served_inline_in_a_sandbox(
    client_as, subcontract, signed_subcontract, practice_user, name, content, content_type, shown_as
):
    submission = upload(subcontract, signed_subcontract, practice_user, name, content)
    staff = client_as("staff")

    # the review page shows the file beside the decision form: no download, no click
    page = staff.get(f"/evidence/{submission.pk}/").content.decode()
    preview = f"/evidence/{submission.pk}/preview/"
    assert f'{shown_as} class="fp-preview' in page and f'src="{preview}"' in page
    assert 'name="decision"' in page

    response = staff.get(preview)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    # shown, not downloaded, as the type the upload check found, never sniffed
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    # whatever it holds runs nothing, in an origin of its own; only the portal frames it
    policy = [part.strip() for part in response["Content-Security-Policy"].split(";")]
    assert "sandbox" in policy
    assert "frame-ancestors 'self'" in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_the_review_page_itself_may_frame_only_the_portal(client_as, submission):
    response = client_as("staff").get(f"/evidence/{submission.pk}/")
    policy = response["Content-Security-Policy"]
    assert "frame-src" not in policy or "'self'" in policy.split("frame-src")[1].split(";")[0]


def test_a_word_file_is_not_previewed_only_downloaded(
    client_as, subcontract, signed_subcontract, practice_user
):
    submission = upload(
        subcontract, signed_subcontract, practice_user, "signed.docx", office_bytes("word/document.xml")
    )
    staff = client_as("staff")
    page = staff.get(f"/evidence/{submission.pk}/").content.decode()
    assert "/preview/" not in page
    assert f"/evidence/{submission.pk}/download/" in page
    assert staff.get(f"/evidence/{submission.pk}/preview/").status_code == 404


def test_a_practice_previews_its_own_evidence_but_not_another_practices(
    client_as, submission, other_subcontract, signed_subcontract, staff_user
):
    theirs = upload(other_subcontract, signed_subcontract, staff_user, "theirs.pdf", PDF_BYTES)
    practice = client_as("practice")
    assert practice.get(f"/evidence/{submission.pk}/preview/").status_code == 200
    assert practice.get(f"/evidence/{theirs.pk}/preview/").status_code == 404
    # board members never see practices' uploads
    assert client_as("board").get(f"/evidence/{submission.pk}/preview/").status_code == 404
    assert client_as("anonymous").get(f"/evidence/{submission.pk}/preview/").status_code == 302
