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
from shenbao.applications.sections import get_form_spec
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
        "id_number": make_id_number(n, birth=birth),
        "occupation": "数控车工",
        "level": level,
        "certificate_number": f"S0000{n}",
        "certificate_issuer": "山西省人力资源和社会保障厅",
        "is_leader": "on" if n == 1 else "",
        "achievements": "",
        **extra,
    }


def workstation_sections(*, qualified=3, senior_workers=0, years=YEARS_2022_CALL, batch=None):
    """Raw posted data of every workstation section, complete; `qualified` members at 技师 level; one topic in
    the first of the call's construction `years`. The members are new people unless `batch` names earlier ones."""
    batch = next(_PERSON_BATCHES) if batch is None else batch
    members = [member(n, batch=batch) for n in range(1, qualified + 1)]
    members += [member(100 + n, level="senior_worker", batch=batch) for n in range(senior_workers)]
    return {
        "unit_profile": {
            "industry": "装备制造",
            "employee_count": "520",
            "skilled_worker_count": "310",
            "high_skilled_count": "64",
            "annual_revenue": "12800.50",
            "station_posts": "数控加工",
            "overview": "本单位是一家装备制造企业。",
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
            "pairs": [{"mentor": "成员1", "apprentice": "徒弟甲", "occupation": "数控车工", "target": "技师"}],
        },
        "cooperation": {
            "description": "与晋城技师学院合作",
            "partners": [
                {
                    "partner": "晋城技师学院",
                    "kind": "technician_college",
                    "agreement": "校企合作协议",
                    "start": "2021-03-01",
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
            "equipment": [{"name": "五轴加工中心", "value": "280.00", "is_advanced": "on"}],
            "topics": [{"year": str(years[0]), "kind": "research", "title": "薄壁件加工", "goal": "合格率提升"}],
        },
    }


def training_base_sections(*, specialties=2, trainees=300, partners=2, co_developed=3, years=YEARS_2022_CALL):
    """Raw posted data of every training-base section, complete, with the given counts; a task for each of the
    call's construction `years` and one performance target in the first."""
    return {
        "unit_profile": {"industry": "职业教育", "employee_count": "180", "overview": "技工院校"},
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
                {"name": f"专业{n}", "equipment": f"实训设备{n}", "is_urgent": "on"} for n in range(specialties)
            ],
            "annual_trainees": [{"year": "2020", "count": "1000"}, {"year": "2021", "count": str(trainees)}],
        },
        "teachers": {
            "mechanism": "师资培养机制",
            "plan": "三年规划",
            "leaders": "专业带头人4名",
            "backbone": "骨干教师20名",
            "full_time_count": "60",
            "part_time_count": "15",
        },
        "cooperation": {
            "partner_enterprises": [{"name": f"合作企业{n}", "content": "订单培养"} for n in range(partners)],
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
        "implementation_plan": {
            "goals": "建设目标",
            **{f"tasks_{year}": f"任务{'一二三四五六'[index]}" for index, year in enumerate(years)},
            "budget": [{"category": "equipment", "subsidy_amount": "20.00", "own_amount": "30.00"}],
            "performance_targets": [{"year": str(years[0]), "indicator": "培训人数", "target": "500"}],
        },
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
        locked.save(update_fields=["form_data", "revision", "eligibility", "copy_report", "updated_at"])
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
