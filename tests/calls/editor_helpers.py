"""Builders for the call editor's tests: the 技能办 of 晋城 (and of another city), a section form as posted."""

from shenbao.accounts.roles import Role
from shenbao.calls.editor_forms import CALL_SECTIONS, PROJECT_TYPE_FIELDS, initial_values
from shenbao.calls.exports import export_call_document
from shenbao.organisations.models import Organisation, Region
from tests.factories import GovernmentBodyFactory, RegionFactory, UserFactory
from tests.web import WebUser


def jincheng_call_admin():
    return UserFactory(
        organisation=Organisation.objects.get(name="晋城市人力资源和社会保障局技能办"), roles=[Role.CALL_ADMIN]
    )


def other_city_call_admin():
    """The 技能办 of 太原市 (another city of the same province)."""
    city = RegionFactory(key="140100", name="太原市", level=Region.Level.CITY, parent=Region.objects.get(key="140000"))
    office = GovernmentBodyFactory(
        name="太原市人力资源和社会保障局技能办", region=city, function=Organisation.Function.CITY_SKILLS_OFFICE
    )
    return UserFactory(organisation=office, roles=[Role.CALL_ADMIN])


def logged_in(user, password):
    web = WebUser()
    web.log_in(user.username, password)
    return web


def section_form(call, section, **changes):
    """The form of a call-level section as the page shows it, with `changes` typed over it."""
    fields = next(found for found in CALL_SECTIONS if found.key == section).fields
    values = initial_values(fields, export_call_document(call))
    return _as_post(fields, {**values, **changes})


def project_type_form(call, code, **changes):
    document = export_call_document(call)
    data = next(project_type for project_type in document["project_types"] if project_type["code"] == code)
    return _as_post(PROJECT_TYPE_FIELDS, {**initial_values(PROJECT_TYPE_FIELDS, data), **changes})


def _as_post(fields, values):
    post = {}
    for field in fields:
        value = values[field.key]
        if field.widget == "checkbox":
            if value:
                post[field.key] = "on"
        else:
            post[field.key] = value
    return post
