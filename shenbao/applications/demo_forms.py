"""演示申报的表单内容: every section of both forms as an applicant posts it, complete (every field of the paper
forms filled), for the construction years `DEMO_YEARS`; `demo.on_call` places it on a call's years and 扶持经费."""

from .formdata import ID_CHECK, ID_WEIGHTS
from .sections.training_base import PLAN_INDICATORS


def make_id_number(*, region, birth, sequence):
    """An 18-character 居民身份证号码 with a valid GB 11643 check character."""
    first17 = f"{region}{birth}{sequence:03d}"
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return first17 + ID_CHECK[total % 11]


MEMBER_NAMES = ("王建国", "李卫东", "张晓峰", "赵红梅", "刘志强", "陈立新")
FEMALE_MEMBERS = frozenset({"赵红梅"})


def workstation_sections(*, region, industry, posts, occupation, partner):
    """Every section of the 技师工作站 form, complete, with four members of whom three are technicians or above."""
    levels = ("senior_technician", "technician", "technician", "senior_worker")
    members = [
        {
            "name": name,
            "sex": "female" if name in FEMALE_MEMBERS else "male",
            "birth_month": f"19{72 + 3 * n}-0{n + 3}",
            "id_number": make_id_number(region=region, birth=f"19{72 + 3 * n}0{n + 3}1{n}", sequence=101 + 2 * n),
            "occupation": occupation,
            "level": level,
            "certificate_number": f"S2014{region}{n + 1:05d}",
            "certificate_issuer": "山西省人力资源和社会保障厅",
            "post": f"{posts}岗位" if n else f"{posts}车间主任",
            "is_leader": "on" if n == 0 else "",
            "achievements": "获山西省技术能手称号，主持完成关键工序工艺改进" if n == 0 else "参与工序改进和带徒培训",
        }
        for n, (name, level) in enumerate(zip(MEMBER_NAMES, levels, strict=False))
    ]
    return {
        "unit_profile": {
            "founded_on": "2006-04-18",
            "industry": industry,
            "employee_count": "468",
            "skilled_worker_count": "295",
            "high_skilled_count": "58",
            "annual_revenue": "15620.80",
            "station_posts": posts,
            "email": f"jishi{region}@example.cn",
            "postcode": "048000",
            "overview": f"本单位主营{industry}，现有职工468人，其中高技能人才58人，近三年营业收入稳步增长。",
        },
        "station": {
            "name": f"{MEMBER_NAMES[0]}{posts}技师工作站",
            "leader_name": MEMBER_NAMES[0],
            "leader_sex": "male",
            "leader_birth_month": "1972-03",
            "leader_education": "college",
            "leader_occupation": occupation,
            "leader_level": levels[0],
            "leader_post": f"{posts}车间主任",
            "leader_title": "高级工程师",
            "leader_phone": "0356-2021688",
            "leader_honours": "山西省技术能手、晋城市首席技师",
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
                {
                    "mentor": MEMBER_NAMES[0],
                    "mentor_level": levels[0],
                    "apprentice": "孙浩然",
                    "apprentice_level": "senior_worker",
                    "occupation": occupation,
                    "target": "技师",
                    "start": "2023-01-01",
                    "end": "2024-12-31",
                },
                {
                    "mentor": MEMBER_NAMES[1],
                    "mentor_level": levels[1],
                    "apprentice": "周子涵",
                    "apprentice_level": "intermediate_worker",
                    "occupation": occupation,
                    "target": "高级工",
                    "start": "2023-03-01",
                    "end": "2024-06-30",
                },
            ],
        },
        "cooperation": {
            "description": f"与{partner}签订校企合作协议，共建实训教学点，联合开展技术攻关和技能竞赛。",
            "partners": [
                {
                    "partner": partner,
                    "kind": "technician_college",
                    "agreement": "校企合作协议",
                    "start": "2021-03-01",
                    "end": "2026-02-28",
                    "results": "共建实训教学点1个，联合培养高级工12名。",
                },
                {
                    "partner": "太原理工大学",
                    "kind": "university",
                    "agreement": "产学研合作协议",
                    "start": "2022-05-10",
                    "end": "2025-05-09",
                    "results": "联合申请实用新型专利1项。",
                },
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
            "equipment": [
                {
                    "name": "五轴联动加工中心",
                    "model": "DMU 65 monoBLOCK",
                    "quantity": "1",
                    "value": "286.50",
                    "is_advanced": "on",
                    "advancement": "五轴联动、定位精度0.005毫米，达到行业先进水平。",
                },
                {
                    "name": "三坐标测量机",
                    "model": "Global S 9.15.8",
                    "quantity": "2",
                    "value": "96.00",
                    "is_advanced": "on",
                    "advancement": "在线检测，测量精度1.5微米，满足精密件全尺寸检测。",
                },
            ],
            "topics": [
                {
                    "year": "2023",
                    "kind": "mentoring",
                    "title": "青年技工技能提升",
                    "leader": MEMBER_NAMES[1],
                    "due": "2023-12-31",
                    "goal": "培养技师2名",
                },
                {
                    "year": "2024",
                    "kind": "research",
                    "title": f"{posts}智能化改造",
                    "leader": MEMBER_NAMES[0],
                    "due": "2024-10-31",
                    "goal": "效率提升15%",
                },
            ],
        },
        # The 市级扶持经费 shares; `on_call` turns them into the call's amount.
        "spending_plan": {
            "budget": [
                {"category": "equipment", "subsidy_amount": "0.5", "own_amount": "40", "purpose": "购置数控检测设备"},
                {"category": "mentoring", "subsidy_amount": "0.3", "own_amount": "10", "purpose": "带徒津贴和培训"},
                {"category": "research", "subsidy_amount": "0.2", "own_amount": "10", "purpose": "攻关课题试验材料"},
            ]
        },
    }


def training_base_sections(*, industry, specialties, trainees, enrolment_quota=""):
    """Every section of the 技能人才培养基地 form, complete, meeting the hard conditions of 一(二)."""
    # 现状 and yearly growth of the 实施方案's fixed indicators (PLAN_INDICATORS order).
    baseline = (trainees, trainees * 8 // 10, len(specialties), 40 * len(specialties), 82, 2, len(specialties))
    steps = (100, 80, 1, 20, 4, 1, 1)
    return {
        "unit_profile": {
            "founded_on": "1984-09-01",
            "licence_number": "人社民140500000012号",
            "industry": industry,
            "employee_count": "186",
            "land_area": "52000",
            "training_area": "8600",
            "equipment_value": "2380.50",
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
                {"name": name, "equipment": equipment, "stations": "40", "equipment_value": "120", "is_urgent": "on"}
                for name, equipment in specialties
            ],
            "annual_trainees": [
                _trainees("2020", trainees - 120),
                _trainees("2021", trainees - 60),
                _trainees("2022", trainees),
            ],
        },
        "teachers": {
            "mechanism": "建立教师企业实践和轮训制度，每年选派骨干教师到企业锻炼。",
            "plan": "制定三年师资培养规划，培养专业带头人4名。",
            "leaders": "专业带头人4名，均为高级技师或高级讲师。",
            "backbone": "骨干教师22名。",
            "full_time_count": "64",
            "part_time_count": "18",
            "teacher_list": [
                {
                    "name": "李明华",
                    "employment": "full_time",
                    "post": specialties[0][0],
                    "qualification": "高级讲师、高级技师",
                    "courses": "专业核心课程",
                    "is_leader": "on",
                },
                {
                    "name": "马俊",
                    "employment": "full_time",
                    "post": specialties[1][0],
                    "qualification": "讲师、技师",
                    "courses": "实训指导",
                },
                {
                    "name": "王建国",
                    "employment": "part_time",
                    "post": "企业实训指导",
                    "qualification": "高级技师",
                    "courses": "生产实习",
                },
            ],
        },
        "cooperation": {
            "partner_enterprises": [
                {
                    "name": "晋城市鑫泰精密机械有限公司",
                    "content": "订单培养、顶岗实习",
                    "since": "2020-09-01",
                    "until": "2025-08-31",
                },
                {
                    "name": "山西兰花科技创业股份有限公司",
                    "content": "共建实训基地",
                    "since": "2021-03-01",
                    "until": "2026-02-28",
                },
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
            "enrolment_quota": enrolment_quota,  # 技工院校 only
            "trained_count": str(trainees + 200),
            "demonstration": "承办市级职业技能大赛，培训成果在全市推广。",
            "key_industry": "光机电、煤层气装备制造",
            "scarce_occupations": "工业机器人系统运维员、电工",
            "honours": "山西省高技能人才培训基地、晋城市职业技能竞赛优秀组织单位",
        },
        "plan_basis": {
            "basis": "现有实训场所8600平方米，专兼职教师82名，与2家企业稳定合作；高端实训装备和企业兼职教师偏少。",
            "baseline": [
                {"indicator": code, "current": str(value)}
                for code, value in zip(INDICATOR_CODES, baseline, strict=True)
            ],
        },
        "implementation_plan": {
            "goals": "两年内建成服务晋城重点产业的高技能人才培养基地。",
            "annual_targets": [
                {"indicator": code, "target_2023": str(value + step), "target_2024": str(value + 2 * step)}
                for code, value, step in zip(INDICATOR_CODES, baseline, steps, strict=True)
            ],
        },
        "plan_content": {
            "capacity": "新建共享实训中心，更新实训装备，新增实训工位60个。",
            "teachers": "每年选派10名教师到企业实践，培养专业带头人2名。",
            "cooperation": "新增合作企业2家、共建专业1个，聘请企业指导教师5名。",
            "curriculum": "开发工作页式教材4本，推行项目式培训模式。",
            "demonstration": "承办市级技能大赛，向全市推广培训成果。",
        },
        "plan_schedule": {
            "stages": [
                {
                    "year": "2023",
                    "stage": "启动建设",
                    "start": "2023-01-01",
                    "end": "2023-12-31",
                    "tasks": "更新实训设备，开发培训课程4门，培训600人次。",
                    "outcome": "实训设备到位，课程4门",
                },
                {
                    "year": "2024",
                    "stage": "全面建成",
                    "start": "2024-01-01",
                    "end": "2024-12-31",
                    "tasks": "建成共享实训中心，培训800人次，取证率达到85%。",
                    "outcome": "共享实训中心投入使用",
                },
            ]
        },
        # The 市级扶持经费 shares; `on_call` turns them into the call's amount.
        "plan_budget": {
            "budget": [
                {"category": "equipment", "subsidy_amount": "0.6", "own_amount": "30.00", "note": "实训装备更新"},
                {"category": "teachers", "subsidy_amount": "0.4", "own_amount": "10.00", "note": "教师企业实践"},
            ]
        },
        "plan_safeguards": {
            "organisation": "成立由校长任组长的基地建设领导小组。",
            "rules": "制定基地建设项目管理和考核办法。",
            "funds": "扶持经费专账核算、专款专用，单位自筹资金足额配套。",
        },
        "plan_outcomes": {
            "outcomes": "建设期满年培训规模达到1000人，取证率85%以上。",
            "performance_targets": [
                {"year": "2023", "indicator": "培训人数", "target": "600"},
                {"year": "2024", "indicator": "培训人数", "target": "800"},
            ],
        },
    }


def _trainees(year, count):
    """One year of 近年培训规模: its split over 企业职工, 在校学生 and 社会人员, and how many were certified."""
    staff, students = count * 4 // 10, count * 3 // 10
    return {
        "year": year,
        "count": str(count),
        "enterprise_staff": str(staff),
        "students": str(students),
        "public": str(count - staff - students),
        "certified": str(count * 8 // 10),
    }


# The demo content plans for two construction years; `demo.on_call` moves it onto the call's own years.
DEMO_YEARS = ("2023", "2024")
INDICATOR_CODES = tuple(code for code, _label in PLAN_INDICATORS)
