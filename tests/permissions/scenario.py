"""The shared scenario of the permission matrix: real reference data, the 2022 call, users of every role and
applications in every state that has pages, each in the relations own / same county / other county / city-direct /
unassigned to the home users. Built through the real services (README.md describes every object)."""

import datetime
from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shenbao.accounts.roles import Role
from shenbao.applications.formdata import clean_section
from shenbao.applications.models import Application
from shenbao.applications.sections import get_form_spec
from shenbao.applications.services import fire_transition, start_application
from shenbao.organisations.models import Organisation, Region, UnitType
from tests.applications.builders import IN_TIME, attach_required_materials, fill_sections, workstation_sections
from tests.factories import OrganisationFactory, UserFactory, load_call, load_jincheng_reference
from tests.paths import JINCHENG_2022

from .dsl import (
    ADMIN,
    APPLICANT,
    AUDITADMIN,
    CITY,
    CITY_DIRECT,
    CONSULTED,
    COUNTY,
    DEPARTMENT,
    EXPERT,
    OTHER_COUNTY,
    OWN,
    PROVINCE,
    SAME_COUNTY,
    SECADMIN,
    SYSADMIN,
    UNASSIGNED,
)

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
AFTER = IN_TIME + datetime.timedelta(days=1)
PROPOSE_AT = AFTER + datetime.timedelta(days=1)
ANSWER_AT = PROPOSE_AT + datetime.timedelta(days=1)
OPINION_DUE = "2022-12-30"
NOTICE_START = datetime.date(2022, 12, 12)  # a Monday: the 5 working days end on Friday 12-16
LAST_NOTICE_DAY = datetime.datetime(2022, 12, 16, 23, 0, tzinfo=BEIJING)
AFTER_NOTICE = datetime.datetime(2022, 12, 17, 9, 0, tzinfo=BEIJING)

HOME_COUNTY = "140502"  # 城区
OTHER_COUNTY_KEY = "140525"  # 泽州县
COMPETENT_DEPARTMENT = "晋城市教育局"
HOME_ORGANISATIONS = {
    COUNTY: "晋城市城区人力资源和社会保障局",
    DEPARTMENT: COMPETENT_DEPARTMENT,
    CITY: "晋城市人力资源和社会保障局",
    ADMIN: "晋城市人力资源和社会保障局技能办",
    CONSULTED: "国家税务总局晋城市税务局",
    SYSADMIN: "申报评审平台运维中心",
    SECADMIN: "申报评审平台运维中心",
    AUDITADMIN: "申报评审平台运维中心",
    PROVINCE: "山西省人力资源和社会保障厅",
}
# Application kinds and the relations each is built in (README.md, "Kinds").
APPLICATION_KINDS = {
    "application.draft": (OWN, SAME_COUNTY, OTHER_COUNTY),
    "application.submitted": (OWN, SAME_COUNTY, OTHER_COUNTY, CITY_DIRECT),
    "application.recheck": (OWN, OTHER_COUNTY),
    "application.expert_review": (OWN, UNASSIGNED, OTHER_COUNTY, CITY_DIRECT),
    "application.soliciting": (OWN, OTHER_COUNTY, CITY_DIRECT),
    "application.opinion_hold": (OWN,),
    "application.in_notice": (OWN, OTHER_COUNTY),
    "application.awarded": (OWN, OTHER_COUNTY),
}


@dataclass(frozen=True)
class PerRole:
    """A relation whose object differs per role (e.g. each user's own notification)."""

    objects: dict

    def for_role(self, role):
        return self.objects.get(role)


@dataclass
class Kind:
    objects: dict  # relation (or None) -> object or PerRole
    users: dict = field(default_factory=dict)  # role -> user overriding the home user for this kind

    def __getitem__(self, relation):
        return self.objects[relation]

    @property
    def has_relations(self):
        return None not in self.objects


class Scenario:
    def __init__(self):
        self.users = {}  # role -> home user
        self.kinds = {}
        self.call = None
        self.sessions = {}  # user pk -> session key
        self.outsiders = {}  # label -> a city-wide user of another city (太原市): never served a 晋城 object
        self.build_errors = {}  # entry file -> traceback of its failed build()

    def add(self, kind, obj=None, *, users=None, **relations):
        """Register `kind`: one object without relations, or relation=object keyword arguments."""
        assert kind not in self.kinds, f"kind {kind} registered twice"
        assert (obj is None) != (not relations), "either one object or relations"
        self.kinds[kind] = Kind(objects={None: obj} if obj is not None else relations, users=dict(users or {}))
        return self.kinds[kind]

    def user_for(self, role, kind):
        if kind is not None and role in self.kinds[kind].users:
            return self.kinds[kind].users[role]
        return self.users.get(role)

    def make_user(self, role, organisation, **fields):
        return UserFactory(organisation=organisation, roles=[role], **fields)

    def all_users(self):
        seen = {user.pk: user for user in [*self.users.values(), *self.outsiders.values()]}
        for kind in self.kinds.values():
            seen.update({user.pk: user for user in kind.users.values()})
        return list(seen.values())

    def log_in_everyone(self):
        """One session per user, created now (inside the module's transaction) so that every check reuses it."""
        store_class = import_module(settings.SESSION_ENGINE).SessionStore
        for user in self.all_users():
            if user.pk in self.sessions:
                continue
            session = store_class()
            session[SESSION_KEY] = user._meta.pk.value_to_string(user)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            for hook in SESSION_HOOKS:
                hook(session, user)
            session.save()
            self.sessions[user.pk] = session.session_key


def _second_factor_verified(session, user):
    """Sign in as production does: with a confirmed TOTP device, verified for this session (django-otp)."""
    try:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice
    except ImportError:  # pragma: no cover - django-otp is a dependency
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id


# Functions (session, user) run for every session before it is saved. Entry modules may append to it in build().
SESSION_HOOKS = [_second_factor_verified]


def organisation(name):
    return Organisation.objects.get(name=name)


def reload(application):
    return Application.objects.get(pk=application.pk)


def _first_reviewer(scenario, application):
    body = application.first_review_body
    if body.pk == scenario.users[COUNTY].organisation_id:
        return scenario.users[COUNTY]
    if body.pk == scenario.users[DEPARTMENT].organisation_id:
        return scenario.users[DEPARTMENT]
    role = Role.COUNTY_REVIEWER if body.function == Organisation.Function.COUNTY_HR_BUREAU else Role.DEPARTMENT_REVIEWER
    return UserFactory(organisation=body, roles=[role])


def _answerer(scenario, opinion_request):
    department = opinion_request.department
    for user in scenario.users.values():
        if user.organisation_id == department.pk and user.roles & {Role.CONSULTED_DEPARTMENT, Role.COUNTY_REVIEWER}:
            return user
    role = (
        Role.COUNTY_REVIEWER
        if department.function == Organisation.Function.COUNTY_HR_BUREAU
        else Role.CONSULTED_DEPARTMENT
    )
    return UserFactory(organisation=department, roles=[role])


class Builder:
    def __init__(self, scenario):
        self.s = scenario
        self.call = scenario.call
        self.workstation = self.call.project_types.get(code="workstation")
        self.enterprise = UnitType.objects.get(code="enterprise")
        self.counter = 0
        self.template = None  # (form_data, eligibility, revision) of the first application filled section by section

    def unit(self, relation):
        self.counter += 1
        region_key = OTHER_COUNTY_KEY if relation == OTHER_COUNTY else HOME_COUNTY
        department = organisation(COMPETENT_DEPARTMENT) if relation == CITY_DIRECT else None
        place = {OTHER_COUNTY: "泽州县", CITY_DIRECT: "晋城市"}.get(relation, "晋城市城区")
        return OrganisationFactory(
            name=f"{place}测试{self.counter}号机械有限公司",
            unit_type=self.enterprise,
            region=Region.objects.get(key=region_key),
            is_city_direct=department is not None,
            competent_department=department,
        )

    def application(self, relation, stage):
        """The application of a new unit brought to `stage` by the real steps; `.applicant` is its applicant."""
        application, applicant = self._application(relation, stage)
        application.applicant = applicant
        return application

    def _fill(self, application, applicant):
        """The first application is filled through save_section; the others get a copy of its content (the form's
        own tests are elsewhere; here only who may see what matters, and building stays fast)."""
        if self.template is None:
            application = fill_sections(application=application, user=applicant, sections=workstation_sections())
            self.template = {
                "form_data": application.form_data,
                "eligibility": application.eligibility,
                "revision": application.revision,
            }
            return application
        # The same content with the unit's own people: a person is in one unit's application of a call only.
        spec = get_form_spec(application.project_type)
        members, errors = clean_section(spec=spec, section_key="members", data=workstation_sections()["members"])
        assert not errors, errors
        form_data = {**self.template["form_data"], "members": members}
        Application.objects.filter(pk=application.pk).update(**{**self.template, "form_data": form_data})
        return reload(application)

    def _application(self, relation, stage):
        unit = self.unit(relation)
        applicant = UserFactory(organisation=unit, roles=[Role.APPLICANT])
        application = start_application(
            call=self.call, project_type=self.workstation, unit=unit, user=applicant, at=IN_TIME
        )
        application = self._fill(application, applicant)
        attach_required_materials(application=application, user=applicant)
        if stage == "draft":
            return application, applicant
        application = fire_transition(application=application, name="submit", actor=applicant, at=IN_TIME)
        if stage == "submitted":
            return application, applicant
        from tests.review.builders import pass_first_review, pass_recheck

        application = pass_first_review(application, _first_reviewer(self.s, application))
        if stage == "recheck":
            return application, applicant
        org_reviewer = self.s.org_reviewer
        application = pass_recheck(application, self.s.users[CITY], org_reviewer)
        if stage == "expert_review":
            return application, applicant
        application = fire_transition(
            application=application,
            name="propose",
            actor=self.s.users[ADMIN],
            payload={"opinion_due": OPINION_DUE},
            at=PROPOSE_AT,
        )
        if stage == "opinion_hold":  # the tax bureau objects (有异议): the unit is held for the administrator
            from shenbao.opinions.models import OpinionRequest
            from shenbao.opinions.services import record_opinion

            tax = self.s.users[CONSULTED]
            record_opinion(
                opinion_request=OpinionRequest.objects.get(application=application, department=tax.organisation),
                user=tax,
                response=OpinionRequest.Response.OBJECTION,
                reason="存在欠税。",
                at=ANSWER_AT,
            )
            application = reload(application)
            assert application.status == "opinion_hold", application.status
        return application, applicant


def build_scenario():
    """Everything of README.md's tables; run inside a transaction that the caller rolls back."""
    s = Scenario()
    load_jincheng_reference()
    s.call = load_call(JINCHENG_2022)

    for role, name in HOME_ORGANISATIONS.items():
        s.users[role] = UserFactory(username=f"matrix-{role}", organisation=organisation(name), roles=[role])
    society = OrganisationFactory(
        name="晋城市机械工程学会",
        kind=Organisation.Kind.OTHER,
        unit_type=None,
        credit_code=None,
        region=Region.objects.get(key=HOME_COUNTY),
    )
    s.users[EXPERT] = UserFactory(username="matrix-expert", organisation=society, roles=[Role.EXPERT])
    s.org_reviewer = UserFactory(organisation=organisation("中共晋城市委组织部"), roles=[Role.CITY_REVIEWER])

    builder = Builder(s)
    built = {}
    for kind, relations in APPLICATION_KINDS.items():
        stage = kind.split(".", 1)[1]
        built[kind] = {relation: builder.application(relation, stage) for relation in relations}

    _notice_and_awards(s, built)
    for kind, applications in built.items():
        fresh = {}
        for relation, application in applications.items():
            fresh[relation] = reload(application)
            fresh[relation].applicant = application.applicant
        built[kind] = fresh
        s.add(kind, users={APPLICANT: fresh[OWN].applicant}, **fresh)
    s.users[APPLICANT] = built["application.submitted"][OWN].applicant

    s.add("call", s.call)
    _hanging_objects(s)
    _other_city(s)
    # Drafts stay editable: the call's deadline a month past the real clock (as tests/applications' open_call).
    s.call.submission_deadline = timezone.now() + datetime.timedelta(days=30)
    s.call.save(update_fields=["submission_deadline"])
    return s


def _notice_and_awards(s, built):
    from shenbao.awards.services import award_applications, save_designation
    from shenbao.notices.services import publish_notice
    from shenbao.opinions.models import OpinionRequest
    from shenbao.opinions.services import record_opinion

    admin = s.users[ADMIN]
    to_publish = [*built["application.in_notice"].values(), *built["application.awarded"].values()]
    for application in to_publish:
        for opinion_request in OpinionRequest.objects.filter(application=application).select_related("department"):
            record_opinion(
                opinion_request=opinion_request,
                user=_answerer(s, opinion_request),
                response="no_objection",
                at=ANSWER_AT,
            )
    result = publish_notice(
        call=s.call,
        title="2022年市级技师工作站拟授牌单位公示",
        body="现予公示。",
        start_date=NOTICE_START,
        contact_name="郭大勇",
        contact_phone="2199488",
        contact_address="市人社局201室",
        user=admin,
        at=ANSWER_AT,
    )
    published = {application.pk for application in result.published}
    assert published == {application.pk for application in to_publish}, result.refused
    s.notice = result.notice
    designation = save_designation(
        call=s.call, actor=admin, document_number="晋市人社发〔2022〕88号", issued_on=datetime.date(2022, 12, 20)
    )
    outcome = award_applications(
        applications=[reload(a) for a in built["application.awarded"].values()],
        actor=admin,
        designation=designation,
        at=AFTER_NOTICE,
    )
    assert all(result.ok for result in outcome.results), outcome.results
    s.designation = designation


def _hanging_objects(s):
    from django.contrib.contenttypes.models import ContentType

    from shenbao.accounts.invitations import create_invitation
    from shenbao.audit.models import AuditEntry
    from shenbao.awards.models import Plaque
    from shenbao.notices.objections import file_objection
    from shenbao.notifications.services import create_notifications
    from shenbao.opinions.models import OpinionRequest

    submitted = s.kinds["application.submitted"]
    s.add(
        "material",
        users=submitted.users,
        **{relation: app.materials.order_by("pk").first() for relation, app in submitted.objects.items()},
    )
    drafts = s.kinds["application.draft"]
    s.add(
        "material.draft",
        users=drafts.users,
        **{relation: app.materials.order_by("pk").first() for relation, app in drafts.objects.items()},
    )
    soliciting = s.kinds["application.soliciting"]
    requests = {}
    for relation, application in soliciting.objects.items():
        superior = application.unit.competent_department or application.first_review_body
        requests[relation] = OpinionRequest.objects.get(application=application, department=superior)
    s.add("opinion_request", users=soliciting.users, **requests)
    tax = OpinionRequest.objects.get(application=soliciting[OWN], department__function=Organisation.Function.TAX_BUREAU)
    s.add("opinion_request.tax", tax)

    s.add("notice", s.notice)
    entry = s.kinds["application.in_notice"][OWN].notice_entry
    objection = file_objection(
        notice=s.notice,
        entry_public_id=entry.public_id,
        filer_kind="unit",
        filer_name="张明",
        unit_name="晋城市某某协会",
        seal_confirmed=True,
        contact_phone="13900000000",
        content="该单位申报的工作站成员中有两人并非本单位在职职工，申报材料与事实不符，请予核查。",
        files=[
            SimpleUploadedFile(
                "证据.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
            )
        ],
        at=LAST_NOTICE_DAY,
    )
    s.add("objection", objection)
    s.add("evidence", objection.evidence.first())
    s.add("designation", s.designation, users={APPLICANT: s.kinds["application.awarded"].users[APPLICANT]})
    awarded = s.kinds["application.awarded"]
    s.add(
        "plaque",
        users=awarded.users,
        **{relation: Plaque.objects.get(application=app) for relation, app in awarded.objects.items()},
    )

    other_applicant = s.kinds["application.submitted"][OTHER_COUNTY].applicant
    own_notes = {}
    for role, user in s.users.items():
        (own_notes[role],) = create_notifications(
            recipients=[user], event="matrix", title="权限矩阵测试通知", body="。", url=""
        )
    (other_note,) = create_notifications(
        recipients=[other_applicant], event="matrix", title="他人的通知", body="。", url=""
    )
    s.add("notification", own=PerRole(own_notes), other_county=other_note)

    units = {relation: submitted[relation].unit for relation in (OWN, SAME_COUNTY, OTHER_COUNTY)}
    s.add("organisation", **units)
    s.add("user", own=s.users[APPLICANT], other_county=other_applicant)
    own_invitation, s.own_invitation_token = create_invitation(
        invited_by=s.users[APPLICANT], email="new-colleague@example.com", full_name="新同事"
    )
    other_invitation, _ = create_invitation(invited_by=other_applicant, email="other@example.com", full_name="他人")
    s.add("invitation", own=own_invitation, other_county=other_invitation)
    # A data change whose change set lists reverse relations (auditlog does on create): the detail page once
    # crashed on those (no verbose_name), so the matrix keeps looking at one.
    region_type = ContentType.objects.get_for_model(Region)
    s.add("audit_entry", AuditEntry.objects.filter(content_type=region_type).order_by("pk").first())


def _other_city(s):
    """太原市's city reviewer and call administrator: same roles as the home ones, another city."""
    province = Region.objects.get(key="140000")
    city = Region.objects.create(
        key="140100", division_code="140100", name="太原市", level=Region.Level.CITY, parent=province
    )
    bodies = {
        CITY: ("太原市人力资源和社会保障局", Organisation.Function.CITY_HR_BUREAU),
        ADMIN: ("太原市人力资源和社会保障局技能办", Organisation.Function.CITY_SKILLS_OFFICE),
    }
    for role, (name, function) in bodies.items():
        body = OrganisationFactory(
            name=name,
            kind=Organisation.Kind.GOVERNMENT,
            function=function,
            unit_type=None,
            credit_code=None,
            region=city,
        )
        s.outsiders[f"{role}@other_city"] = UserFactory(
            username=f"matrix-taiyuan-{role}", organisation=body, roles=[role]
        )
