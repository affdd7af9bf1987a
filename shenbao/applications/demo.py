"""演示申报: applications of the demo units in every early review state, for the 2022 Jincheng call.

Everything goes through the real services (start, save each section, upload files, submit, 资格初审, 资格复核) with
explicit times inside the 2022 call's window, so the versions, history, audit trail and notifications look like real
use. Idempotent: a unit that already has an application of the project type is left alone.
Demo users are found by the usernames `shenbao.accounts.demo` creates (applicant_<unit>, county_<unit>, dept_<unit>).
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from shenbao.accounts.selectors import get_user_by_username
from shenbao.calls.periods import construction_years
from shenbao.review.selectors import list_checklist_codes
from shenbao.review.services import decide_first_review, record_recheck_decision, upload_first_review_seal

from .formdata import ID_CHECK, ID_WEIGHTS
from .materials import missing_required_materials, upload_material
from .models import Application
from .sections.training_base import task_field_name
from .services import fire_transition, save_section, start_application
from .workflow import ApplicationStatus

BEIJING = ZoneInfo("Asia/Shanghai")
RECHECK_USERS = ("city_org", "city_hrss")  # 市委组织部 and 市人社局: the call's two re-check bodies


def beijing(month, day, hour=10, minute=0, year=2022):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=BEIJING)


def make_id_number(*, region, birth, sequence):
    """An 18-character 居民身份证号码 with a valid GB 11643 check character."""
    first17 = f"{region}{birth}{sequence:03d}"
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return first17 + ID_CHECK[total % 11]


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


# --- Form content (as an applicant posts it) ---------------------------------------------------------------------

MEMBER_NAMES = ("王建国", "李卫东", "张晓峰", "赵红梅", "刘志强", "陈立新")


def workstation_sections(*, region, industry, posts, occupation, partner):
    """Every section of the 技师工作站 form, complete, with four members of whom three are technicians or above."""
    levels = ("senior_technician", "technician", "technician", "senior_worker")
    members = [
        {
            "name": name,
            "id_number": make_id_number(region=region, birth=f"19{72 + 3 * n}0{n + 3}1{n}", sequence=101 + 2 * n),
            "occupation": occupation,
            "level": level,
            "certificate_number": f"S2014{region}{n + 1:05d}",
            "certificate_issuer": "山西省人力资源和社会保障厅",
            "is_leader": "on" if n == 0 else "",
            "achievements": "获山西省技术能手称号，主持完成关键工序工艺改进" if n == 0 else "",
        }
        for n, (name, level) in enumerate(zip(MEMBER_NAMES, levels, strict=False))
    ]
    return {
        "unit_profile": {
            "industry": industry,
            "employee_count": "468",
            "skilled_worker_count": "295",
            "high_skilled_count": "58",
            "annual_revenue": "15620.80",
            "station_posts": posts,
            "overview": f"本单位主营{industry}，现有职工468人，其中高技能人才58人，近三年营业收入稳步增长。",
        },
        "members": {"members": members},
        "talent_system": {
            "training_system": "建立新员工岗前培训、在岗技能提升和岗位练兵制度，年度培训计划覆盖全部技能岗位。",
            "evaluation_system": "开展企业技能人才自主评价，按职业技能等级认定结果兑现岗位待遇。",
            "use_system": "实行技师、高级技师聘任制度，优先选拔高技能人才担任班组长和技术骨干。",
            "incentives": "设立技能津贴和技术革新奖励，技师每月津贴500元，高级技师800元。",
        },
        "mentoring": {
            "plan": "每名技师每年带徒不少于2名，签订师带徒协议，按季度考核带徒成效。",
            "pairs": [
                {"mentor": MEMBER_NAMES[0], "apprentice": "孙浩然", "occupation": occupation, "target": "技师"},
                {"mentor": MEMBER_NAMES[1], "apprentice": "周子涵", "occupation": occupation, "target": "高级工"},
            ],
        },
        "cooperation": {
            "description": f"与{partner}签订校企合作协议，共建实训教学点，联合开展技术攻关和技能竞赛。",
            "partners": [
                {"partner": partner, "kind": "technician_college", "agreement": "校企合作协议", "start": "2021-03-01"},
                {"partner": "太原理工大学", "kind": "university", "agreement": "产学研合作协议", "start": "2022-05-10"},
            ],
        },
        "research": {
            "record": "近三年组织技术攻关5项、技术研讨12次，获实用新型专利3项。",
            "projects": [{"title": f"{posts}关键工序效率提升", "year": "2022", "outcome": "工序合格率提升至99.2%"}],
        },
        "operation": {
            "operation": "经营管理规范，资产负债结构合理，连续三年盈利。",
            "social_responsibility": "依法纳税，安置就业，积极参与行业技能竞赛和职业技能提升行动。",
            "facilities": "配备五轴加工中心、三坐标测量机等先进设备。",
        },
        "station_plan": {
            "structure": "实行站长负责制，设站长1名、技术骨干3名。",
            "duties": "站长统筹工作站建设；骨干分别负责带徒培训、技术攻关和资料管理。",
            "rules": "制定《技师工作站管理办法》《师带徒管理细则》《攻关项目管理制度》。",
            "committed_funding": "60",
            "site_area": "320",
            "equipment": [{"name": "五轴联动加工中心", "value": "286.50", "is_advanced": "on"}],
            "topics": [
                {"year": "2023", "kind": "mentoring", "title": "青年技工技能提升", "goal": "培养技师2名"},
                {"year": "2024", "kind": "research", "title": f"{posts}智能化改造", "goal": "效率提升15%"},
            ],
        },
    }


def training_base_sections(*, industry, specialties, trainees):
    """Every section of the 技能人才培养基地 form, complete, meeting the hard conditions of 一(二)."""
    return {
        "unit_profile": {
            "industry": industry,
            "employee_count": "186",
            "overview": f"本单位面向{industry}开展职业技能培训，年培训规模稳定，实训设施齐全。",
        },
        "management": {
            "organisation": "实行理事会领导下的校长负责制，设培训部、教务处、财务处等职能部门。",
            "training_rules": "制定《培训项目管理办法》《学员考勤与考核制度》。",
            "finance_rules": "执行《财务管理制度》，培训经费专账核算。",
            "asset_rules": "建立实训设备台账，实行资产定期盘点。",
            "risk_rules": "制定实训安全操作规程和突发事件应急预案。",
            "no_violation": "on",
        },
        "capacity": {
            "facilities": "实训楼8000平方米，消防、用电符合国家安全标准。",
            "specialties": [
                {"name": name, "equipment": equipment, "is_urgent": "on"} for name, equipment in specialties
            ],
            "annual_trainees": [
                {"year": "2020", "count": str(trainees - 120)},
                {"year": "2021", "count": str(trainees - 60)},
                {"year": "2022", "count": str(trainees)},
            ],
        },
        "teachers": {
            "mechanism": "建立教师企业实践和轮训制度，每年选派骨干教师到企业锻炼。",
            "plan": "制定三年师资培养规划，培养专业带头人4名。",
            "leaders": "专业带头人4名，均为高级技师或高级讲师。",
            "backbone": "骨干教师22名。",
            "full_time_count": "64",
            "part_time_count": "18",
        },
        "cooperation": {
            "partner_enterprises": [
                {"name": "晋城市鑫泰精密机械有限公司", "content": "订单培养、顶岗实习"},
                {"name": "山西兰花科技创业股份有限公司", "content": "共建实训基地"},
            ],
            "co_developed_specialties": [
                {"specialty": name, "partner": "晋城市鑫泰精密机械有限公司", "content": "共同确定课程设置和培养计划"}
                for name, _equipment in specialties
            ],
            "enterprise_instructors": [
                {
                    "name": "王建国",
                    "employer": "晋城市鑫泰精密机械有限公司",
                    "qualification": "高级技师",
                    "subject": "实训指导",
                }
            ],
        },
        "principles": {
            "trained_count": str(trainees + 200),
            "demonstration": "承办市级职业技能大赛，培训成果在全市推广。",
            "key_industry": "光机电、煤层气装备制造",
            "scarce_occupations": "工业机器人系统运维员、电工",
        },
        "implementation_plan": {
            "goals": "两年内建成服务晋城重点产业的高技能人才培养基地。",
            "tasks_2023": "更新实训设备，开发培训课程4门，培训600人次。",
            "tasks_2024": "建成共享实训中心，培训800人次，取证率达到85%。",
            "budget": [
                {"category": "equipment", "subsidy_amount": "12.00", "own_amount": "30.00"},
                {"category": "teachers", "subsidy_amount": "8.00", "own_amount": "10.00"},
            ],
            "performance_targets": [
                {"year": "2023", "indicator": "培训人数", "target": "600"},
                {"year": "2024", "indicator": "培训人数", "target": "800"},
            ],
        },
    }


# The demo content plans for two construction years; `_on_call_years` moves it onto the call's own years.
DEMO_YEARS = ("2023", "2024")


def _on_call_years(sections, years):
    """`sections` with the demo's construction years replaced by the call's (`years`), keys included."""
    mapping = {demo: str(years[min(index, len(years) - 1)]) for index, demo in enumerate(DEMO_YEARS)}
    for topic in (sections.get("station_plan") or {}).get("topics", []):
        topic["year"] = mapping[topic["year"]]
    plan = sections.get("implementation_plan")
    if plan:
        tasks = {task_field_name(mapping[demo]): plan.pop(task_field_name(demo)) for demo in DEMO_YEARS}
        plan.update(tasks)
        for row in plan["performance_targets"]:
            row["year"] = mapping[row["year"]]
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

CONTENT = {
    "qinshui": lambda: _workstation("140521", "煤层气装备制造", "焊接与装配", "焊工"),
    "chengqu": lambda: _workstation("140502", "精密机械加工", *MACHINING),
    "yangcheng": lambda: _workstation("140522", "陶瓷制品制造", "陶瓷成型与烧成", "陶瓷工艺品制作师"),
    "zezhou": lambda: _workstation("140525", "智能铸造", "铸造工艺", "铸造工"),
    "etdz": lambda: _workstation("140571", "光电子器件制造", "光电器件装调", "光电器件制造工"),
    "sasac": lambda: _workstation("140500", "煤炭开采与煤化工", "综采设备维修", "矿山机械维修工"),
    "gaoping": lambda: training_base_sections(industry="职业教育", specialties=COLLEGE_SPECIALTIES, trainees=520),
    "edu": lambda: training_base_sections(industry="职业教育", specialties=COLLEGE_SPECIALTIES, trainees=860),
    "lingchuan": lambda: training_base_sections(
        industry="职业技能培训",
        specialties=(("电工", "电工实训台"), ("养老护理", "智能护理实训室"), ("中式烹调", "烹饪实训室")),
        trainees=410,
    ),
}

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
    sections = _on_call_years(CONTENT[plan.unit](), construction_years(project_type))
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
