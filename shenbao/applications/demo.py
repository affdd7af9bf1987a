"""演示申报: applications of the demo units in every early review state, for the 2022 Jincheng call.

Everything goes through the real services (start, save each section, upload files, submit, 资格初审, 资格复核) with
explicit times inside the 2022 call's window, so the versions, history, audit trail and notifications look like real
use. Idempotent: a unit that already has an application of the project type is left alone.
Demo users are found by the usernames `shenbao.accounts.demo` creates (applicant_<unit>, county_<unit>, dept_<unit>).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from shenbao.accounts.selectors import get_user_by_username
from shenbao.calls.periods import construction_years
from shenbao.core.money import YUAN_PER_WAN
from shenbao.review.selectors import list_checklist_codes
from shenbao.review.services import decide_first_review, record_recheck_decision, upload_first_review_seal

from .demo_forms import DEMO_YEARS, training_base_sections, workstation_sections
from .formdata import decimal_text
from .materials import missing_required_materials, upload_material
from .models import Application
from .sections.training_base import target_column
from .services import fire_transition, save_section, start_application
from .workflow import ApplicationStatus

BEIJING = ZoneInfo("Asia/Shanghai")
RECHECK_USERS = ("city_org", "city_hrss")  # 市委组织部 and 市人社局: the call's two re-check bodies


def beijing(month, day, hour=10, minute=0, year=2022):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=BEIJING)


def minimal_pdf(title):
    """A small but complete one-page PDF (header, objects, cross-reference table, trailer, %%EOF)."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 12 Tf 40 100 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 200] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


# --- The content placed on a call ------------------------------------------------------------------------------


def _split(amount, shares):
    """`amount` (万元) split by `shares` (fractions adding up to 1), the last taking what rounding left over."""
    parts = [(amount * Decimal(share)).quantize(Decimal("0.000001")) for share in shares[:-1]]
    return [*parts, amount - sum(parts, Decimal(0))]


def _moved(text, mapping):
    """A date or year of the demo content moved onto the call's years ("2023-03-01" → "2026-03-01")."""
    return mapping.get(text[:4], text[:4]) + text[4:] if text else text


def on_call(sections, project_type):
    """`sections` with the demo's construction years replaced by the project type's call's (keys and dates
    included) and its 市级扶持经费 shares turned into the call's amount."""
    years = construction_years(project_type)
    mapping = {demo: str(years[min(index, len(years) - 1)]) for index, demo in enumerate(DEMO_YEARS)}
    plan = sections.get("station_plan") or {}
    for topic in plan.get("topics", []):
        topic["year"], topic["due"] = mapping[topic["year"]], _moved(topic["due"], mapping)
    for pair in (sections.get("mentoring") or {}).get("pairs", []):
        pair["start"], pair["end"] = _moved(pair["start"], mapping), _moved(pair["end"], mapping)
    for stage in (sections.get("plan_schedule") or {}).get("stages", []):
        stage["year"] = mapping[stage["year"]]
        stage["start"], stage["end"] = _moved(stage["start"], mapping), _moved(stage["end"], mapping)
    for row in (sections.get("implementation_plan") or {}).get("annual_targets", []):
        targets = [row.pop(target_column(demo)) for demo in DEMO_YEARS]
        row.update({target_column(year): targets[min(index, len(targets) - 1)] for index, year in enumerate(years)})
    for row in (sections.get("plan_outcomes") or {}).get("performance_targets", []):
        row["year"] = mapping[row["year"]]
    amount = project_type.funding_amount / YUAN_PER_WAN
    for key in ("spending_plan", "plan_budget"):
        rows = (sections.get(key) or {}).get("budget") or []
        if not rows:
            continue
        for row, part in zip(rows, _split(amount, [row["subsidy_amount"] for row in rows]), strict=True):
            row["subsidy_amount"] = decimal_text(part)
    return sections


def _workstation(region, industry, posts, occupation):
    return workstation_sections(
        region=region, industry=industry, posts=posts, occupation=occupation, partner="晋城技师学院"
    )


MACHINING = ("数控加工", "数控车工")
COLLEGE_SPECIALTIES = (
    ("工业机器人技术", "工业机器人实训工作站"),
    ("电气自动化", "PLC综合实训台"),
    ("数控技术", "数控车床"),
)


CONTENT = {
    "qinshui": lambda: _workstation("140521", "煤层气装备制造", "焊接与装配", "焊工"),
    "chengqu": lambda: _workstation("140502", "精密机械加工", *MACHINING),
    "yangcheng": lambda: _workstation("140522", "陶瓷制品制造", "陶瓷成型与烧成", "陶瓷工艺品制作师"),
    "zezhou": lambda: _workstation("140525", "智能铸造", "铸造工艺", "铸造工"),
    "etdz": lambda: _workstation("140571", "光电子器件制造", "光电器件装调", "光电器件制造工"),
    "sasac": lambda: _workstation("140500", "煤炭开采与煤化工", "综采设备维修", "矿山机械维修工"),
    "gaoping": lambda: training_base_sections(
        industry="职业教育", specialties=COLLEGE_SPECIALTIES, trainees=520, enrolment_quota="600"
    ),
    "edu": lambda: training_base_sections(
        industry="职业教育", specialties=COLLEGE_SPECIALTIES, trainees=860, enrolment_quota="900"
    ),
    "lingchuan": lambda: training_base_sections(
        industry="职业技能培训",
        specialties=(("电工", "电工实训台"), ("养老护理", "智能护理实训室"), ("中式烹调", "烹饪实训室")),
        trainees=410,
    ),
}


@dataclass(frozen=True)
class DemoApplication:
    unit: str  # slug of the demo unit (its applicant is applicant_<slug>, its first reviewer county_/dept_<slug>)
    project_type: str
    target: str
    day: int  # December 2022: the day it is started and (when it gets that far) submitted
    reason: str = ""


DEMO_APPLICATIONS = (
    DemoApplication("qinshui", "workstation", ApplicationStatus.DRAFT, 7),
    DemoApplication("chengqu", "workstation", ApplicationStatus.SUBMITTED, 6),
    DemoApplication("gaoping", "training_base", ApplicationStatus.SUBMITTED, 7),
    DemoApplication(
        "yangcheng",
        "workstation",
        ApplicationStatus.RETURNED,
        5,
        "工作站成员证书复印件不清晰，请重新上传王建国、李卫东的高级技师、技师证书，并补充合作协议盖章页。",
    ),
    DemoApplication(
        "zezhou",
        "workstation",
        ApplicationStatus.REJECTED,
        5,
        "经核查，申报的3名技师中有2名已于2022年调离本单位，相应技能岗位技师不足3名，不符合通知一（一）1的条件。",
    ),
    DemoApplication("etdz", "workstation", ApplicationStatus.RECHECK, 6),
    DemoApplication("edu", "training_base", ApplicationStatus.RECHECK, 6),
    DemoApplication("sasac", "workstation", ApplicationStatus.EXPERT_REVIEW, 5),
    DemoApplication("lingchuan", "training_base", ApplicationStatus.EXPERT_REVIEW, 5),
)


# How far each target gets: draft < submitted < (returned | rejected | recheck) < expert_review.
FIRST_REVIEW = {
    ApplicationStatus.RETURNED: "return",
    ApplicationStatus.REJECTED: "reject",
    ApplicationStatus.RECHECK: "pass",
    ApplicationStatus.EXPERT_REVIEW: "pass",
}


def _fill(application, user, sections):
    for key, data in sections.items():
        application = save_section(
            application=application, section_key=key, data=data, user=user, expected_revision=application.revision
        )
    return application


def _upload_required(application, user):
    for requirement in missing_required_materials(application=application):
        name = f"{requirement.code}.pdf"
        upload_material(
            application=application,
            requirement=requirement,
            uploaded_file=SimpleUploadedFile(name, minimal_pdf(f"{application.number} {requirement.code}")),
            user=user,
        )


def judge_all_met(application, reviewer, decision):
    """The first reviewer's checklist, every rule and material 符合; before a pass, the sealed opinion uploaded."""
    if decision == "pass":
        upload_first_review_seal(
            application=application,
            uploaded_file=SimpleUploadedFile("初审意见.pdf", minimal_pdf(f"{application.number} seal")),
            user=reviewer,
        )
    return {code: {"judgement": "met", "note": ""} for code in list_checklist_codes(application=application)}


def _first_reviewer(application, slug):
    prefix = "dept" if application.unit.is_city_direct else "county"
    return get_user_by_username(username=f"{prefix}_{slug}")


def _build(call, plan):
    applicant = get_user_by_username(username=f"applicant_{plan.unit}")
    project_type = call.project_types.get(code=plan.project_type)
    started = beijing(12, plan.day, 9)
    application = start_application(
        call=call, project_type=project_type, unit=applicant.organisation, user=applicant, at=started
    )
    sections = on_call(CONTENT[plan.unit](), project_type)
    if plan.target == ApplicationStatus.DRAFT:
        return _fill(application, applicant, dict(list(sections.items())[:2]))
    application = _fill(application, applicant, sections)
    _upload_required(application, applicant)
    application = fire_transition(application=application, name="submit", actor=applicant, at=beijing(12, plan.day, 16))
    decision = FIRST_REVIEW.get(plan.target)
    if decision is None:
        return application
    reviewer = _first_reviewer(application, plan.unit)
    application = decide_first_review(
        application=application,
        user=reviewer,
        decision=decision,
        items=judge_all_met(application, reviewer, decision),
        recommendation="经核查，符合申报条件，材料真实完整，同意推荐。" if decision == "pass" else "",
        comment=plan.reason,
        resubmission_due="2022-12-23",
        at=beijing(12, 14),
    )
    if plan.target != ApplicationStatus.EXPERT_REVIEW:
        return application
    for username in RECHECK_USERS:
        application = record_recheck_decision(
            application=application,
            user=get_user_by_username(username=username),
            decision="pass",
            comment="资格复核通过。",
            at=beijing(12, 20),
        )
    return application


def seed_demo_applications(*, call):
    """Create the demo applications that do not exist yet; returns the newly created ones (empty on a rerun)."""
    created = []
    for plan in DEMO_APPLICATIONS:
        exists = Application.objects.filter(
            call=call, project_type__code=plan.project_type, unit__users__username=f"applicant_{plan.unit}"
        ).exists()
        if not exists:
            created.append(_build(call, plan))
    return created
