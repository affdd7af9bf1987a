"""Fixtures for backup and restore: real files on disk, and a realistic installation to copy."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from shenbao.audit.services import record_event
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
