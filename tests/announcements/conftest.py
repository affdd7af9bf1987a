import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shenbao.accounts.roles import Role
from shenbao.announcements.services import create_announcement, upload_attachment
from shenbao.organisations.models import Organisation
from tests.applications.material_files import pdf_bytes
from tests.factories import UserFactory


@pytest.fixture
def skills_office(reference):
    return Organisation.objects.get(function=Organisation.Function.CITY_SKILLS_OFFICE)


@pytest.fixture
def author(skills_office):
    return UserFactory(organisation=skills_office, roles=[Role.CALL_ADMIN], full_name="郭起草")


@pytest.fixture
def reviewer(skills_office):
    return UserFactory(organisation=skills_office, roles=[Role.CALL_ADMIN], full_name="李审核")


@pytest.fixture
def draft(author):
    announcement = create_announcement(
        author=author,
        kind="defence",
        title="关于市级技师工作站答辩安排的通知",
        body="第一段。\n\n第二段<script>x</script>",
    )
    upload_attachment(
        announcement=announcement,
        uploaded_file=SimpleUploadedFile("答辩安排.pdf", pdf_bytes(), content_type="application/pdf"),
        user=author,
    )
    return announcement
