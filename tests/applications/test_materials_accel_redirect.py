"""Downloads handed to nginx (SHENBAO_ACCEL_REDIRECT_PREFIX, shenbao/core/files.py; contracts point 3): the web
process checks the permission, audits and answers headers only, for media on the local disk and on S3.

The S3 server is moto's in-process mock (an outside service); the storage is django-storages' S3Storage as
production configures it (shenbao/core/nodes.py). tests/deploy/test_two_nodes.py runs the same through a real
nginx and a real S3 server.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from moto import mock_aws

from shenbao.applications.workflow import ApplicationStatus
from shenbao.audit.models import AuditEntry
from shenbao.core.nodes import media_storage_from_env
from shenbao.core.objectstore import nginx_s3_origin

from . import material_files as files
from .test_materials import set_status

PREFIX = "/_protected/"
BUCKET = "shenbao-media"
S3_ENV = {
    "SHENBAO_MEDIA_STORAGE": "s3",
    "SHENBAO_S3_BUCKET": BUCKET,
    "SHENBAO_S3_ENDPOINT_URL": "https://objects.example.internal:9000",
    "SHENBAO_S3_REGION": "cn-north-1",
    "SHENBAO_S3_ACCESS_KEY_ID": "shenbao",
    "SHENBAO_S3_SECRET_ACCESS_KEY": "not-a-real-secret",
}


def download_url(material, inline=False):
    url = reverse("applications:material_download", kwargs={"material_public_id": material.public_id})
    return url + ("?inline=1" if inline else "")


@pytest.fixture
def on_disk(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    settings.SHENBAO_ACCEL_REDIRECT_PREFIX = PREFIX


@pytest.fixture
def on_s3(settings):
    import boto3

    with mock_aws():
        boto3.client("s3", region_name=S3_ENV["SHENBAO_S3_REGION"]).create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": S3_ENV["SHENBAO_S3_REGION"]}
        )
        storage = media_storage_from_env(lambda name, default: S3_ENV.get(name, default))
        storage["OPTIONS"]["endpoint_url"] = None  # moto answers for AWS's own endpoint
        settings.STORAGES = {**settings.STORAGES, "default": storage}
        settings.SHENBAO_ACCEL_REDIRECT_PREFIX = PREFIX
        yield


def assert_protected_headers(response, *, disposition="attachment;"):
    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(disposition)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response["Cache-Control"]


def test_a_file_on_disk_is_handed_to_nginx_by_its_storage_name(on_disk, world, client):
    material = world.upload("营业执照.pdf", files.pdf_bytes())
    client.force_login(world.applicant_a)

    response = client.get(download_url(material))

    assert_protected_headers(response)
    assert response["X-Accel-Redirect"] == f"{PREFIX}media/{material.file.name}"
    assert AuditEntry.objects.filter(event="application:material_download", actor=world.applicant_a).count() == 1


def test_a_file_on_s3_is_handed_to_nginx_as_a_signed_get_with_the_same_headers(on_s3, world, client):
    material = world.upload("营业执照.pdf", files.pdf_bytes())
    set_status(world.application_a, ApplicationStatus.SUBMITTED)
    client.force_login(world.reviewer_a)

    response = client.get(download_url(material, inline=True))

    assert_protected_headers(response, disposition="inline;")
    target = urlsplit(response["X-Accel-Redirect"])
    assert target.path == f"{PREFIX}s3/{BUCKET}/{material.file.name}"  # path-style: the bucket, then the key
    query = parse_qs(target.query)
    assert query["X-Amz-Expires"] == ["60"] and query["X-Amz-Signature"]
    # The object store is asked to answer with the headers the web process chose (nginx passes its Content-Type).
    assert query["response-content-type"] == ["application/pdf"]
    assert query["response-content-disposition"] == [response["Content-Disposition"]]
    assert query["response-cache-control"] == [response["Cache-Control"]]
    entry = AuditEntry.objects.get(event="application:material_download", actor=world.reviewer_a)
    assert entry.additional_data["file"] == "营业执照.pdf"


def test_the_uploaded_object_is_private(on_s3, world):
    import boto3

    material = world.upload("营业执照.pdf", files.pdf_bytes())

    grants = boto3.client("s3", region_name="cn-north-1").get_object_acl(Bucket=BUCKET, Key=material.file.name)
    assert all("URI" not in grant["Grantee"] for grant in grants["Grants"])  # no AllUsers / AuthenticatedUsers grant


@pytest.mark.parametrize("where", ["on_disk", "on_s3"])
def test_a_file_missing_from_the_storage_answers_404_and_audits_nothing(where, request, world, client):
    request.getfixturevalue(where)
    material = world.upload("营业执照.pdf", files.pdf_bytes())
    material.file.storage.delete(material.file.name)
    client.force_login(world.applicant_a)

    assert client.get(download_url(material)).status_code == 404
    assert not AuditEntry.objects.filter(event="application:material_download").exists()


def test_without_the_prefix_the_file_streams_through_the_web_process(on_disk, settings, world, client):
    settings.SHENBAO_ACCEL_REDIRECT_PREFIX = ""
    material = world.upload("营业执照.pdf", files.pdf_bytes())
    client.force_login(world.applicant_a)

    response = client.get(download_url(material))

    assert not response.has_header("X-Accel-Redirect")
    assert b"".join(response.streaming_content) == files.pdf_bytes()


def test_another_units_file_is_404_before_anything_is_handed_to_nginx(on_disk, world, client):
    material = world.upload("营业执照.pdf", files.pdf_bytes())
    client.force_login(world.applicant_b)

    response = client.get(download_url(material))

    assert response.status_code == 404 and not response.has_header("X-Accel-Redirect")


def test_nginx_is_told_the_origin_the_storage_signs_for(settings):
    path_style = media_storage_from_env(lambda name, default: S3_ENV.get(name, default))
    virtual = media_storage_from_env(
        lambda name, default: {**S3_ENV, "SHENBAO_S3_ADDRESSING_STYLE": "virtual"}.get(name, default)
    )
    from django.core.files.storage import storages

    assert nginx_s3_origin(storages.create_storage(path_style)) == "https://objects.example.internal:9000"
    assert nginx_s3_origin(storages.create_storage(virtual)) == f"https://{BUCKET}.objects.example.internal:9000"
