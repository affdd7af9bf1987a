# ruff: noqa: F811 (pytest fixtures imported from other conftest modules are parameters here)
"""Fixtures for backup and restore: real files on disk, and a realistic installation to copy."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from shenbao.audit.services import record_event
from shenbao.operations.backup import storage_files
from shenbao.operations.tables import backed_up_models

# The application fixtures (real call file, reference data, a submitted application with its materials).
from tests.applications.conftest import (  # noqa: F401
    applicant,
    call,
    county_bureau,
    county_reviewer,
    draft,
    make_applicant,
    make_unit,
    ready_draft,
    reference,
    submitted,
    unit,
    workstation_type,
)
from tests.factories import UserFactory


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files in a real folder (MEDIA_ROOT), as in production, instead of the tests' in-memory storage."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}},
    }
    return root


@pytest.fixture
def installation(media, submitted, applicant):
    """A submitted application with its uploaded materials, users with phones, events and one odd file name."""
    applicant.phone = "13812345678"
    applicant.save()
    UserFactory(username="second", phone="13900001111", organisation=applicant.organisation)
    record_event(event="test_event", actor=applicant, details={"ratio": 1.5, "items": ["甲", "乙"]})
    default_storage.save("misc/说明 (1).txt", ContentFile("含中文的文件\n".encode()))  # fullwidth-ok: a file name
    return submitted


def snapshot():
    """Every row of every table as the database returns it (raw SQL, primary-key order), and every file's hash."""
    rows = {}
    with connection.cursor() as cursor:
        for model in backed_up_models("default"):
            table = connection.ops.quote_name(model._meta.db_table)
            order = connection.ops.quote_name(model._meta.pk.column)
            cursor.execute(f"SELECT * FROM {table} ORDER BY {order}")
            rows[model._meta.db_table] = cursor.fetchall()
    files = {}
    for name in storage_files(default_storage):
        with default_storage.open(name, "rb") as handle:
            files[name] = hashlib.sha256(handle.read()).hexdigest()
    return rows, files
