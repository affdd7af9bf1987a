"""Demo data (演示数据): applicant units in every county, the ETDZ and under competent departments, and a
user for every role. Idempotent: units are found by credit code, users by username; a rerun resets the
demo passwords so the printed log-ins always work. Needs the reference data (regions, government bodies).
"""

import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from shenbao.acceptance.demo import seed_practice_acceptance
from shenbao.applications.demo import seed_demo_applications
from shenbao.awards.demo import ADMIN, seed_practice_applications
from shenbao.calls.demo import ensure_practice_call
from shenbao.calls.selectors import find_call
from shenbao.funding.demo import seed_practice_funding
from shenbao.organisations.credit_code import build_credit_code
from shenbao.organisations.selectors import (
    find_organisation_by_credit_code,
    find_region,
    get_organisation,
    get_unit_type,
    list_existing_names,
)
from shenbao.organisations.services import create_applicant_unit, ensure_unit_type, ensure_work_unit

from .models import User
from .roles import Role
from .services import create_user, grant_role, set_password

# The notice's unit types; the call loader upserts the same codes.
UNIT_TYPES = [
    ("enterprise", "企业"),
    ("industry_association", "行业协会"),
    ("research_institution", "科研生产型事业单位"),
    ("public_training_base", "公共职业技能实训基地"),
    ("skill_training_base", "技能人才培训基地"),
    ("vocational_college", "职业院校"),
    ("technician_college", "技工院校"),
    ("training_institution", "职业技能培训机构"),
]


@dataclass(frozen=True)
class DemoUnit:
    slug: str
    name: str
    unit_type: str
    region: str
    authority: str  # first two characters of the credit code: registration authority and entity kind
    organisation_code: str
    competent_department: str = ""  # set for city-direct units


DEMO_UNITS = [
    DemoUnit("chengqu", "晋城市城区鑫泰精密机械有限公司", "enterprise", "140502", "91", "M0A10001"),
    DemoUnit("qinshui", "沁水县煤层气装备制造有限公司", "enterprise", "140521", "91", "M0A10002"),
    DemoUnit("yangcheng", "阳城县陶瓷行业协会", "industry_association", "140522", "51", "50A10003"),
    DemoUnit("lingchuan", "陵川县职业技能培训学校", "training_institution", "140524", "52", "MJA10004"),
    DemoUnit("zezhou", "泽州县智能铸造有限公司", "enterprise", "140525", "91", "M0A10005"),
    DemoUnit("gaoping", "高平市职业教育中心", "vocational_college", "140581", "12", "40A10006"),
    DemoUnit("etdz", "晋城经济技术开发区光电科技有限公司", "enterprise", "140500-etdz", "91", "M0A10007"),
    DemoUnit(
        "sasac",
        "晋城市兰花能源示范集团有限公司",
        "enterprise",
        "140500",
        "91",
        "M0A10008",
        "晋城市人民政府国有资产监督管理委员会",
    ),
    DemoUnit("edu", "晋城市现代职业技术学校", "vocational_college", "140500", "12", "40A10009", "晋城市教育局"),
    DemoUnit(
        "health",
        "晋城市医学科学研究所",
        "research_institution",
        "140500",
        "12",
        "40A10010",
        "晋城市卫生健康委员会",
    ),
    DemoUnit(
        "industry",
        "晋城市智能制造公共实训基地",
        "public_training_base",
        "140500",
        "12",
        "40A10011",
        "晋城市工业和信息化局",
    ),
]

COUNTY_BUREAUS = {
    "chengqu": "晋城市城区人力资源和社会保障局",
    "qinshui": "沁水县人力资源和社会保障局",
    "yangcheng": "阳城县人力资源和社会保障局",
    "lingchuan": "陵川县人力资源和社会保障局",
    "zezhou": "泽州县人力资源和社会保障局",
    "gaoping": "高平市人力资源和社会保障局",
    "etdz": "晋城经济技术开发区党群工作部（人社）",
}

COMPETENT_DEPARTMENTS = {
    "sasac": "晋城市人民政府国有资产监督管理委员会",
    "edu": "晋城市教育局",
    "health": "晋城市卫生健康委员会",
    "industry": "晋城市工业和信息化局",
}

EXPERT_WORK_UNIT = "太行技能人才发展研究院"
PLATFORM = "申报评审平台运维中心"

# (username, full name, organisation name, roles); applicants and reviewers are added from the tables above.
FIXED_USERS = [
    ("city_org", "赵复核", "中共晋城市委组织部", [Role.CITY_REVIEWER]),
    ("city_hrss", "钱复核", "晋城市人力资源和社会保障局", [Role.CITY_REVIEWER]),
    ("skills_admin", "郭大勇", "晋城市人力资源和社会保障局技能办", [Role.CALL_ADMIN]),
    ("expert1", "孙专家", EXPERT_WORK_UNIT, [Role.EXPERT]),
    ("expert2", "李专家", "高平市职业教育中心", [Role.EXPERT]),
    ("expert3", "周专家", "晋城市工业和信息化局", [Role.EXPERT]),
    # Five experts: the demo call asks for five per application, in the selection and in 评估验收 alike.
    ("expert4", "吴专家", EXPERT_WORK_UNIT, [Role.EXPERT]),
    ("expert5", "冯专家", "晋城市教育局", [Role.EXPERT]),
    ("tax_dept", "吴税务", "国家税务总局晋城市税务局", [Role.CONSULTED_DEPARTMENT]),
    ("market_dept", "郑市监", "晋城市市场监督管理局", [Role.CONSULTED_DEPARTMENT]),
    ("consult_sasac", "王国资", "晋城市人民政府国有资产监督管理委员会", [Role.CONSULTED_DEPARTMENT]),
    # Reads every city's figures (全省统计), changes nothing.
    ("province", "省厅查看员", "山西省人力资源和社会保障厅", [Role.PROVINCE_OBSERVER]),
    ("sysadmin", "系统管理员", PLATFORM, [Role.SYSTEM_ADMIN]),
    ("secadmin", "安全管理员", PLATFORM, [Role.SECURITY_ADMIN]),
    ("auditadmin", "审计管理员", PLATFORM, [Role.AUDIT_ADMIN]),
]

REFERENCE_HINT = "未找到参考数据，请先运行：python manage.py load_reference_data data/reference/jincheng.yaml"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    roles: tuple
    organisation: str


def _require_reference_data():
    city = find_region(key="140500")
    needed = {*COUNTY_BUREAUS.values(), *COMPETENT_DEPARTMENTS.values(), PLATFORM}
    found = list_existing_names(names=needed)
    if city is None or found != needed:
        raise ValidationError(REFERENCE_HINT)
    return city


def _ensure_unit_types():
    for order, (code, name) in enumerate(UNIT_TYPES, start=1):
        ensure_unit_type(code=code, name=name, sort_order=order)


def _ensure_unit(spec):
    region = find_region(key=spec.region)
    division = region.division_code or region.parent.division_code
    code = build_credit_code(authority=spec.authority, division=division, organisation_code=spec.organisation_code)
    existing = find_organisation_by_credit_code(credit_code=code)
    if existing is not None:
        return existing
    department = None
    if spec.competent_department:
        department = get_organisation(name=spec.competent_department, function="competent_department")
    return create_applicant_unit(
        name=spec.name,
        credit_code=code,
        unit_type=get_unit_type(code=spec.unit_type),
        region=region,
        is_city_direct=department is not None,
        competent_department=department,
        legal_representative="张明",
        contact_name="李华",
        contact_phone="0356-2199488",
        address=f"山西省晋城市{region.name}",
    )


def _ensure_user(username, full_name, organisation, roles, password):
    user = User.objects.filter(username=username).first()
    if user is None:
        return create_user(
            username=username, full_name=full_name, organisation=organisation, password=password, roles=roles
        )
    # The demo restores its printed password even when the password history remembers it.
    set_password(user=user, password=password, reuse_allowed=True)
    for role in roles:
        grant_role(user=user, role=role)
    return user


def _user_plan():
    plan = []
    for spec in DEMO_UNITS:
        plan.append((f"applicant_{spec.slug}", f"{spec.name}经办人", spec.name, [Role.APPLICANT]))
    for slug, bureau in COUNTY_BUREAUS.items():
        plan.append((f"county_{slug}", f"{bureau}初审员", bureau, [Role.COUNTY_REVIEWER]))
    for slug, department in COMPETENT_DEPARTMENTS.items():
        plan.append((f"dept_{slug}", f"{department}初审员", department, [Role.DEPARTMENT_REVIEWER]))
    return plan + FIXED_USERS


@transaction.atomic
def seed_demo(*, password):
    """Create (or refresh) the demo units and users; returns one DemoLogin per user, grouped by role."""
    city = _require_reference_data()
    _ensure_unit_types()
    for spec in DEMO_UNITS:
        _ensure_unit(spec)
    ensure_work_unit(name=EXPERT_WORK_UNIT, region=city)
    logins = []
    for username, full_name, organisation_name, roles in _user_plan():
        organisation = get_organisation(name=organisation_name)
        user = _ensure_user(username, full_name, organisation, roles, password)
        logins.append(DemoLogin(user.username, password, tuple(roles), organisation.name))
    role_order = list(Role)
    return sorted(logins, key=lambda login: (role_order.index(login.roles[0]), login.username))


DEMO_CALL = "jincheng-2022"


@transaction.atomic
def seed_applications():
    """演示申报 in varied states for the loaded 2022 call (after `seed_demo`); returns a Chinese summary line."""
    call = find_call(slug=DEMO_CALL)
    if call is None:
        return f"未导入申报通知 {DEMO_CALL}，跳过演示申报（先运行 python manage.py load_call calls/{DEMO_CALL}.yaml）。"
    created = seed_demo_applications(call=call)
    if not created:
        return f"演示申报已存在（{call.year}年通知），未新建。"
    by_status = {}
    for application in created:
        label = application.get_status_display()
        by_status[label] = by_status.get(label, 0) + 1
    states = "、".join(f"{label}{count}件" for label, count in by_status.items())
    return f"已新建演示申报{len(created)}件：{states}。"


@transaction.atomic
def seed_practice(*, today=None):
    """The practice call (「演示」) of the demo call and its applications in every state (after the rest of the
    demo: units, users, experts); returns a Chinese summary."""
    source = find_call(slug=DEMO_CALL)
    admin = User.objects.filter(username=ADMIN).first()
    if source is None or admin is None:
        return f"未导入申报通知 {DEMO_CALL}，跳过演示通知。"
    today = today or timezone.localdate()
    call, created = ensure_practice_call(source=source, actor=admin, today=today)
    closes = timezone.localtime(call.submission_deadline)
    lines = [f"演示通知「{call.title}」{'已新建' if created else '已存在'}（申报截止{closes:%Y-%m-%d}）。"]
    made = seed_practice_applications(call=call, today=today)
    lines.append(f"演示通知的演示申报：本次新建{made}件。")
    lines.append(seed_practice_acceptance(call=call, today=today))
    lines.append(seed_practice_funding(call=call, today=today))
    return "\n".join(lines)


def _width(text):
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text, width):
    return text + " " * (width - _width(text))


def format_logins(logins):
    """A plain-text table (用户名 | 密码 | 角色 | 单位) that lines up Chinese text in a terminal."""
    header = ["用户名 Username", "密码 Password", "角色 Role", "单位 Organisation"]
    rows = [
        [login.username, login.password, "、".join(f"{Role(r).label} {r}" for r in login.roles), login.organisation]
        for login in logins
    ]
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(3)]
    lines = []
    for row in [header, ["-" * width for width in widths] + ["-" * 16], *rows]:
        lines.append(" | ".join([*(_pad(cell, widths[i]) for i, cell in enumerate(row[:3])), row[3]]))
    return "\n".join(lines)
