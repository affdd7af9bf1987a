"""Builders for application tests: complete form content as an applicant posts it, valid ID numbers, files.

Other test packages (views, documents, the browser journey) may import these too.
"""

import datetime
import itertools
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction

from shenbao.applications.diff import diff_form_data
from shenbao.applications.formdata import ID_CHECK, ID_WEIGHTS, clean_section
from shenbao.applications.materials import missing_required_materials
from shenbao.applications.metrics import evaluate_eligibility
from shenbao.applications.models import Application, ApplicationMaterial
from shenbao.applications.reuse import acknowledge_copied_section
from shenbao.applications.rules import applicant_of_unit
from shenbao.applications.search_columns import SEARCH_COLUMNS, search_columns_of
from shenbao.applications.sections import get_form_spec
from shenbao.applications.sections.training_base import PLAN_INDICATORS
from shenbao.applications.workflow import EDITABLE_STATES
from shenbao.audit.services import record_event
from shenbao.organisations.models import Organisation

BEIJING = ZoneInfo("Asia/Shanghai")
# A moment in the 2022 Jincheng call's submission window (published 2022-12-02, deadline 2022-12-08 24:00).
IN_TIME = datetime.datetime(2022, 12, 5, 10, 0, tzinfo=BEIJING)
LAST_SECOND = datetime.datetime(2022, 12, 8, 23, 59, 59, tzinfo=BEIJING)
TOO_LATE = datetime.datetime(2022, 12, 9, 0, 0, 0, tzinfo=BEIJING)
# The 2022 call's construction years; the section builders take another call's (`calls.periods.construction_years`).
YEARS_2022_CALL = (2023, 2024)
# The 2022 call's 扶持经费 in 万元 (its project types' `funding_amount`), which a spending plan must total.
WORKSTATION_AMOUNT_2022 = "30"
TRAINING_BASE_AMOUNT_2022 = "20"


def make_id_number(n, birth="19800101", region="140502"):
    """A valid 18-character 居民身份证号码 (GB 11643 checksum) that differs for each n < 1000."""
    first17 = f"{region}{birth}{n % 1000:03d}"
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return first17 + ID_CHECK[total % 11]


# Each `workstation_sections()` names new people (another birth date per batch), as two units' member lists do: a
# person is in at most one unit's application of a call (applications/persons.py).
_PERSON_BATCHES = itertools.count(1)


def member(n, level="technician", batch=0, **extra):
    birth = (datetime.date(1980, 1, 1) + datetime.timedelta(days=batch)).strftime("%Y%m%d")
    return {
        "name": f"成员{n}",
        "sex": "male" if n % 2 else "female",
        "birth_month": f"{birth[:4]}-{birth[4:6]}",
        "id_number": make_id_number(n, birth=birth),
        "occupation": "数控车工",
        "level": level,
        "certificate_number": f"S0000{n}",
        "certificate_issuer": "山西省人力资源和社会保障厅",
        "post": "数控车间",
        "is_leader": "on" if n == 1 else "",
        "achievements": "",
        **extra,
    }


def workstation_sections(
    *, qualified=3, senior_workers=0, years=YEARS_2022_CALL, amount=WORKSTATION_AMOUNT_2022, batch=None
):
    """Raw posted data of every workstation section, complete; `qualified` members at 技师 level; one topic in
    the first of the call's construction `years`; a spending plan totalling `amount` (万元, the call's). The members
    are new people unless `batch` names earlier ones."""
    batch = next(_PERSON_BATCHES) if batch is None else batch
    members = [member(n, batch=batch) for n in range(1, qualified + 1)]
    members += [member(100 + n, level="senior_worker", batch=batch) for n in range(senior_workers)]
    return {
        "unit_profile": {
            "founded_on": "2003-05-18",
            "email": "hr@example.com",
            "postcode": "048000",
            "industry": "装备制造",
            "employee_count": "520",
            "skilled_worker_count": "310",
            "high_skilled_count": "64",
            "annual_revenue": "12800.50",
            "station_posts": "数控加工",
            "overview": "本单位是一家装备制造企业。",
        },
        "station": {
            "name": "数控加工技师工作站",
            "leader_name": "成员1",
            "leader_sex": "male",
            "leader_birth_month": "1980-01",
            "leader_education": "college",
            "leader_occupation": "数控车工",
            "leader_level": "technician",
            "leader_post": "数控车间主任",
            "leader_title": "工程师",
            "leader_phone": "0356-2020123",
            "leader_honours": "山西省技术能手",
        },
        "members": {"members": members},
        "talent_system": {
            "training_system": "岗位练兵制度",
            "evaluation_system": "企业技能等级认定",
            "use_system": "技师聘任制度",
            "incentives": "技能津贴",
        },
        "mentoring": {
            "plan": "每名技师带徒2人",
            "pairs": [
                {
                    "mentor": "成员1",
                    "mentor_level": "technician",
                    "apprentice": "徒弟甲",
                    "apprentice_level": "senior_worker",
                    "occupation": "数控车工",
                    "target": "技师",
                    "start": f"{years[0]}-01-01",
                    "end": f"{years[-1]}-12-31",
                }
            ],
        },
        "cooperation": {
            "description": "与晋城技师学院合作",
            "partners": [
                {
                    "partner": "晋城技师学院",
                    "kind": "technician_college",
                    "agreement": "校企合作协议",
                    "start": "2021-03-01",
                    "results": "联合攻关项目1项",
                }
            ],
        },
        "research": {"record": "开展技术攻关3项", "projects": []},
        "operation": {"operation": "经营良好", "social_responsibility": "积极履行", "facilities": "五轴加工中心"},
        "station_plan": {
            "structure": "站长负责制",
            "duties": "分工明确",
            "rules": "工作站管理办法",
            "committed_funding": "50",
            "site_area": "300",
            "equipment": [
                {
                    "name": "五轴加工中心",
                    "model": "DMU 65",
                    "quantity": "1",
                    "value": "280.00",
                    "is_advanced": "on",
                    "advancement": "五轴联动，国内领先",
                }
            ],
            "topics": [
                {
                    "year": str(years[0]),
                    "kind": "research",
                    "title": "薄壁件加工",
                    "leader": "成员1",
                    "due": f"{years[0]}-12-31",
                    "goal": "合格率提升",
                }
            ],
        },
        "spending_plan": {
            "budget": [{"category": "equipment", "subsidy_amount": amount, "own_amount": "20", "purpose": "购置设备"}]
        },
    }


def training_base_sections(
    *, specialties=2, trainees=300, partners=2, co_developed=3, years=YEARS_2022_CALL, amount=TRAINING_BASE_AMOUNT_2022
):
    """Raw posted data of every training-base section, complete, with the given counts; a stage for each of the
    call's construction `years`, a target per year for each fixed indicator, one more 考核指标 in the first year
    and a budget totalling `amount` (万元, the call's)."""
    indicators = [code for code, _label in PLAN_INDICATORS]
    return {
        "unit_profile": {
            "founded_on": "1985-09-01",
            "licence_number": "14050000001",
            "industry": "职业教育",
            "employee_count": "180",
            "land_area": "52000",
            "training_area": "8000",
            "equipment_value": "1500",
            "overview": "技工院校",
        },
        "management": {
            "organisation": "校长负责制",
            "training_rules": "培训管理办法",
            "finance_rules": "财务制度",
            "asset_rules": "资产制度",
            "risk_rules": "风险制度",
            "no_violation": "on",
        },
        "capacity": {
            "facilities": "实训楼符合国家标准",
            "specialties": [
                {"name": f"专业{n}", "equipment": f"实训设备{n}", "stations": "40", "is_urgent": "on"}
                for n in range(specialties)
            ],
            "annual_trainees": [
                {"year": "2020", "count": "1000", **_trainee_split(1000)},
                {"year": "2021", "count": str(trainees), **_trainee_split(trainees)},
            ],
        },
        "teachers": {
            "mechanism": "师资培养机制",
            "plan": "三年规划",
            "leaders": "专业带头人4名",
            "backbone": "骨干教师20名",
            "full_time_count": "60",
            "part_time_count": "15",
            "teacher_list": [
                {"name": "教师甲", "employment": "full_time", "post": "数控专业", "qualification": "高级讲师"},
                {"name": "教师乙", "employment": "part_time", "post": "焊接专业", "qualification": "高级技师"},
            ],
        },
        "cooperation": {
            "partner_enterprises": [
                {"name": f"合作企业{n}", "content": "订单培养", "since": "2020-01-01", "until": "2025-12-31"}
                for n in range(partners)
            ],
            "co_developed_specialties": [
                {"specialty": f"共建专业{n}", "partner": "合作企业0", "content": "课程设置"}
                for n in range(co_developed)
            ],
            "enterprise_instructors": [],
        },
        "principles": {
            "trained_count": "800",
            "demonstration": "示范引领",
            "key_industry": "光机电",
            "scarce_occupations": "工业机器人系统运维员",
        },
        "plan_basis": {
            "basis": "建设基础",
            "baseline": [{"indicator": code, "current": "10"} for code in indicators],
        },
        "implementation_plan": {
            "goals": "建设目标",
            "annual_targets": [
                {"indicator": code, **{f"target_{year}": str(20 + index) for index, year in enumerate(years)}}
                for code in indicators
            ],
        },
        "plan_content": {
            "capacity": "培训能力建设",
            "teachers": "师资队伍建设",
            "cooperation": "培训合作",
            "curriculum": "课程建设",
            "demonstration": "示范引领",
        },
        "plan_schedule": {
            "stages": [
                {
                    "year": str(year),
                    "stage": f"第{'一二三四五六'[index]}阶段",
                    "start": f"{year}-01-01",
                    "end": f"{year}-12-31",
                    "tasks": f"任务{'一二三四五六'[index]}",
                    "outcome": "阶段成果",
                }
                for index, year in enumerate(years)
            ]
        },
        "plan_budget": {"budget": [{"category": "equipment", "subsidy_amount": amount, "own_amount": "30.00"}]},
        "plan_safeguards": {"organisation": "组织保障", "rules": "制度保障", "funds": "资金保障"},
        "plan_outcomes": {
            "outcomes": "预期成效",
            "performance_targets": [{"year": str(years[0]), "indicator": "培训人数", "target": "500"}],
        },
    }


def _trainee_split(count):
    """企业职工, 在校学生 and 社会人员 adding up to `count`, and how many of them were certified."""
    return {
        "enterprise_staff": str(count // 2),
        "students": str(count // 4),
        "public": str(count - count // 2 - count // 4),
        "certified": str(count // 2),
    }


def fill_sections(*, application, user, sections):
    """The draft as the section pages leave it after saving each of `sections` in turn, written in one step.

    Each section is cleaned by the form's own rules (`clean_section`, refusing what the page would refuse), the
    revision grows by one per changed section and the copy report is acknowledged as `save_section` does; the
    eligibility is evaluated and the row saved once, with one audit entry naming the sections. Saving section by
    section (the page's path, one lock, evaluation and audit entry each) has its own tests in test_services and
    test_views; a builder that repeated it spent a sixth of the application tests' time here.
    """
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        assert applicant_of_unit(user, locked), "fill_sections: the user is not the unit's applicant"
        assert locked.status in EDITABLE_STATES, f"fill_sections: {locked.status} is not editable"
        spec = get_form_spec(locked.project_type)
        form_data = dict(locked.form_data or {})
        changed = []
        for key, data in sections.items():
            spec.section(key)  # an unknown section is a mistake in the test
            previous = form_data.get(key) or {}
            cleaned, errors = clean_section(spec=spec, section_key=key, data=data, previous=previous)
            assert not errors, (key, errors)
            if diff_form_data(spec=spec, old={key: previous}, new={key: cleaned}):
                form_data[key] = cleaned
                changed.append(key)
        if not changed:
            return locked
        locked.form_data = form_data
        locked.revision += len(changed)
        locked.eligibility = evaluate_eligibility(application=locked)
        for key in changed:
            locked.copy_report = acknowledge_copied_section(report=locked.copy_report, section_key=key)
        for column, value in search_columns_of(form_data).items():
            setattr(locked, column, value)
        locked.save(
            update_fields=["form_data", "revision", "eligibility", "copy_report", "updated_at", *SEARCH_COLUMNS]
        )
        record_event(
            event="application:save_section",
            actor=user,
            target=locked,
            details={"section_key": ",".join(changed), "revision": locked.revision},
        )
    return locked


def attach_required_materials(*, application, user):
    """A current file for every required upload (rows written directly: the upload checks have their own tests)."""
    for requirement in missing_required_materials(application=application):
        content = f"%PDF-1.4 {requirement.code}".encode()
        material = ApplicationMaterial(
            application=application,
            requirement=requirement,
            original_name=f"{requirement.code}.pdf",
            content_type="application/pdf",
            size=len(content),
            sha256="0" * 64,
            uploaded_by=user,
        )
        material.file.save(f"{requirement.code}.pdf", ContentFile(content), save=False)
        material.save()


def county_bureau_of(region_key):
    """The county 人社局 of the reference data for a county (region key)."""
    return Organisation.objects.get(function=Organisation.Function.COUNTY_HR_BUREAU, region__key=region_key)
