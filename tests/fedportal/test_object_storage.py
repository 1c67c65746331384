"""Kept files in S3-compatible object storage, as several web servers share
them: the same evidence upload and download as on disk, against moto's
standalone S3 endpoint on 127.0.0.1 (skipped, saying why, when it cannot
start); and the settings that choose the storage from the environment."""

import hashlib
import json
import threading
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts.models import EvidenceSubmission
from tests.conftest import stored_files
from tests.contracts import conftest as contracts
from tests.fedportal.test_deploy_settings import PRODUCTION_ENV, manage

# The contracts tests' small world (pytest finds fixtures among a module's
# names): the practice user's sub-contract, with an indemnity certificate due.
ccg, pcl, h_pylori = contracts.ccg, contracts.pcl, contracts.h_pylori
subcontract, indemnity = contracts.subcontract, contracts.indemnity

# How long the endpoint may take to listen before the test is skipped.
STARTUP_SECONDS = 20
REGION = "eu-west-2"
# moto accepts any key; these only sign the requests.
ACCESS_KEY = "testing-access-key"
SECRET_KEY = "testing-secret-key"


@pytest.fixture
def s3_endpoint():
    """moto's S3 server on a free port of 127.0.0.1 with one empty bucket:
    yields the endpoint's URL, the bucket's name and a client to look into it,
    and stops the server afterwards."""
    try:
        import boto3
        from moto.server import ThreadedMotoServer
    except ImportError as error:
        pytest.skip(f"No S3-compatible endpoint: moto's server cannot be imported ({error}).")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    # start() waits, without a limit, for a server that may never listen (the
    # thread dies if the address cannot be bound): wait for it here instead.
    starting = threading.Thread(target=server.start, daemon=True)
    starting.start()
    starting.join(STARTUP_SECONDS)
    try:
        host, port = server.get_host_and_port()
    except AssertionError:
        pytest.skip(f"No S3-compatible endpoint: moto's server did not start within {STARTUP_SECONDS} s.")
    endpoint = f"http://{host}:{port}"
    bucket = f"fedportal-test-{uuid.uuid4().hex[:12]}"
    try:
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )
        client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        yield endpoint, bucket, client
    finally:
        server.stop()


@pytest.fixture
def object_storage(settings, s3_endpoint):
    """The default storage is the S3 backend, as production configures it
    from FEDPORTAL_S3_* (fedportal.settings.base), on the test's bucket."""
    endpoint, bucket, client = s3_endpoint
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "region_name": REGION,
                "addressing_style": "path",
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    return bucket, client


@pytest.mark.django_db
def test_evidence_uploaded_to_object_storage_downloads_byte_for_byte(
    client_as, subcontract, indemnity, media_root, object_storage
):
    bucket, s3 = object_storage
    content = contracts.PDF_BYTES + b"\nMDU certificate 2018/19\n"

    # when a practice user uploads evidence through the page
    response = client_as("practice").post(
        f"/subcontracts/{subcontract.pk}/evidence/new/",
        {
            "requirement": indemnity.pk,
            "description": "MDU certificate 2018/19",
            "valid_to": "2019-03-31",
            "file": SimpleUploadedFile("indemnity.html", content),
        },
    )

    # then it is kept in the bucket, private, and nothing on this server's disk
    assert response.status_code == 302
    submission = EvidenceSubmission.objects.get()
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == [submission.file.name]
    head = s3.head_object(Bucket=bucket, Key=submission.file.name)
    assert head["ContentType"] == "application/pdf"
    grants = s3.get_object_acl(Bucket=bucket, Key=submission.file.name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert stored_files(media_root) == []

    # when staff download it
    download = client_as("staff").get(f"/evidence/{submission.pk}/download/")

    # then it comes back byte for byte, with the SHA-256 kept at upload, as an
    # attachment named for what it is, never sniffed nor run
    body = b"".join(download.streaming_content)
    assert download.status_code == 200
    assert body == content
    assert hashlib.sha256(body).hexdigest() == submission.sha256 == hashlib.sha256(content).hexdigest()
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="indemnity.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"


# The settings, as production reads them (a process of their own: settings load once).

S3_ENV = {
    **PRODUCTION_ENV,
    "FEDPORTAL_S3_BUCKET": "elr-fedportal-files",
    "FEDPORTAL_S3_ENDPOINT_URL": "https://objects.example.org",
    "FEDPORTAL_S3_REGION": "eu-west-2",
    "FEDPORTAL_S3_ADDRESSING_STYLE": "path",
}
# Printed on a line of its own: production logs to the console too.
PRINT_SETTINGS = (
    "import json; from django.conf import settings; "
    "print('SETTINGS', json.dumps({'STORAGES': settings.STORAGES, 'MEDIA_ROOT': str(settings.MEDIA_ROOT)}))"
)


def production_settings(env) -> dict:
    """STORAGES and MEDIA_ROOT, as production reads them from ``env``."""
    result = manage("shell", "--no-imports", "-c", PRINT_SETTINGS, env=env)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("SETTINGS "))
    return json.loads(line.removeprefix("SETTINGS "))


def test_production_keeps_files_in_the_bucket_the_environment_names():
    default = production_settings(S3_ENV)["STORAGES"]["default"]

    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"] == {
        "bucket_name": "elr-fedportal-files",
        "endpoint_url": "https://objects.example.org",
        "region_name": "eu-west-2",
        "addressing_style": "path",
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
        "max_memory_size": 2 * 1024 * 1024,
    }


def test_production_with_object_storage_is_clean_under_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=S3_ENV)
    assert result.returncode == 0, result.stderr


def test_a_bucket_with_acls_disabled_is_sent_none():
    default = production_settings({**S3_ENV, "FEDPORTAL_S3_ACL": ""})["STORAGES"]["default"]
    assert default["OPTIONS"]["default_acl"] is None


def test_without_a_bucket_files_stay_on_the_servers_disk(tmp_path):
    read = production_settings({**PRODUCTION_ENV, "FEDPORTAL_MEDIA_ROOT": str(tmp_path)})

    assert read["STORAGES"]["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert read["MEDIA_ROOT"] == str(tmp_path)


def test_a_malformed_addressing_style_is_named():
    result = manage("check", env={**S3_ENV, "FEDPORTAL_S3_ADDRESSING_STYLE": "virtual-hosted"})
    assert result.returncode == 1
    assert "FEDPORTAL_S3_ADDRESSING_STYLE must be path or virtual" in result.stderr
    assert "Traceback" not in result.stderr
