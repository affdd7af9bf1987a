"""Realistic content for every section of both application forms, as an applicant would post it.

Identity-card numbers are valid (GB 11643 check character); tests assert the clear numbers never appear in a
generated document, only their masked form.
"""

import copy

# The construction years of the 2022 call the content is planned for (`sections_for` moves it to another call's).
FIRST_YEAR, SECOND_YEAR = "2023", "2024"
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def make_id_number(first17):
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return first17 + ID_CHECK[total % 11]


MEMBER_IDS = [
    make_id_number("14052519780512301"),
    make_id_number("14052519830921152"),
    make_id_number("14052519900303263"),
    make_id_number("14050219951118074"),
]

WORKSTATION_SECTIONS = {
    "unit_profile": {
        "industry": "装备制造业",
        "employee_count": "860",
        "skilled_worker_count": "520",
        "high_skilled_count": "138",
        "annual_revenue": "56800.50",
        "station_posts": "数控加工、机械装配、焊接",
        "founded_on": "2003-06-18",
        "email": "jinding@example.cn",
        "postcode": "048026",
        "overview": "公司成立于2003年，主要生产矿山机械精密零部件。\n拥有省级技术中心一个。",
    },
    "station": {
        "name": "王建国数控技师工作站",
        "leader_name": "王建国",
        "leader_sex": "male",
        "leader_birth_month": "1978-05",
        "leader_education": "bachelor",
        "leader_occupation": "数控车工",
        "leader_level": "senior_technician",
        "leader_post": "数控车间主任",
        "leader_title": "高级工程师",
        "leader_phone": "13903561234",
        "leader_honours": "全国技术能手、三晋技能大师",
    },
    "members": {
        "members": [
            {
                "name": "王建国",
                "sex": "male",
                "birth_month": "1978-05",
                "post": "数控车间主任",
                "id_number": MEMBER_IDS[0],
                "occupation": "数控车工",
                "level": "senior_technician",
                "certificate_number": "S000014052500001",
                "certificate_issuer": "山西省人力资源和社会保障厅",
                "is_leader": "on",
                "achievements": "山西省技术能手，主持攻关项目5项。",
            },
            {
                "name": "李秀英",
                "sex": "female",
                "birth_month": "1983-09",
                "post": "焊接班长",
                "id_number": MEMBER_IDS[1],
                "occupation": "焊工",
                "level": "technician",
                "certificate_number": "S000014052500002",
                "certificate_issuer": "晋城市人力资源和社会保障局",
                "achievements": "晋城市首席技师。",
            },
            {
                "name": "赵志强",
                "sex": "male",
                "birth_month": "1990-03",
                "post": "装配工段长",
                "id_number": MEMBER_IDS[2],
                "occupation": "装配钳工",
                "level": "skill_leader",
                "certificate_number": "S000014052500003",
                "certificate_issuer": "晋城市人力资源和社会保障局",
            },
            {
                "name": "陈晓峰",
                "sex": "male",
                "birth_month": "1995-11",
                "post": "维修电工",
                "id_number": MEMBER_IDS[3],
                "occupation": "电工",
                "level": "senior_worker",
                "certificate_number": "S000014052500004",
                "certificate_issuer": "晋城市职业技能鉴定中心",
            },
        ]
    },
    "talent_system": {
        "training_system": "实行新型学徒制，每年组织全员技能培训。",
        "evaluation_system": "开展企业技能等级认定。",
        "use_system": "技师、高级技师优先聘任关键岗位。",
        "incentives": "技师津贴每月800元，高级技师每月1200元。",
    },
    "mentoring": {
        "plan": "每名技师每年带徒不少于2名。",
        "pairs": [
            {
                "mentor": "王建国",
                "mentor_level": "senior_technician",
                "apprentice": "刘洋",
                "apprentice_level": "senior_worker",
                "occupation": "数控车工",
                "target": "两年内取得技师证书",
                "start": f"{FIRST_YEAR}-01-15",
                "end": f"{SECOND_YEAR}-12-20",
            },
            {
                "mentor": "李秀英",
                "mentor_level": "technician",
                "apprentice": "张敏",
                "apprentice_level": "intermediate_worker",
                "occupation": "焊工",
                "target": "一年内取得高级工证书",
                "start": f"{FIRST_YEAR}-03-01",
                "end": f"{FIRST_YEAR}-12-31",
            },
        ],
    },
    "cooperation": {
        "description": "与太原理工大学共建实训基地。",
        "partners": [
            {
                "partner": "太原理工大学",
                "kind": "university",
                "agreement": "校企合作协议（2021）第3号",
                "start": "2021-03-01",
                "end": "2024-02-28",
                "results": "联合研制焊接夹具获实用新型专利",
            },
            {
                "partner": "晋城技师学院",
                "kind": "technician_college",
                "agreement": "联合培养协议",
                "start": "2022-01-01",
                "results": "共同培养高级工18名",
            },
        ],
    },
    "research": {
        "record": "近三年完成技术攻关12项，技术研讨30余次。",
        "projects": [
            {"title": "液压支架焊接变形控制", "year": "2021", "outcome": "合格率提高到99%"},
            {"title": "数控刀具寿命提升", "year": "2022", "outcome": "年节约成本80万元"},
        ],
    },
    "operation": {
        "operation": "连续五年盈利，资产负债率低于50%。",
        "social_responsibility": "吸纳就业860人，参与行业标准制定。",
        "facilities": "拥有五轴联动加工中心等行业先进设备。",
    },
    "station_plan": {
        "structure": "站长1名，副站长2名，下设培训组和攻关组。",
        "duties": "王建国任站长，负责全面工作。",
        "rules": "工作站例会制度、师带徒考核制度。",
        "committed_funding": "50.00",
        "site_area": "320.5",
        "equipment": [
            {
                "name": "五轴联动加工中心",
                "model": "DMU-65-monoBLOCK",
                "quantity": "2",
                "value": "280.00",
                "is_advanced": "on",
                "advancement": "五轴联动精度达到国际先进水平",
            },
            {
                "name": "焊接机器人",
                "model": "KUKA-KR16",
                "quantity": "3",
                "value": "65.50",
                "is_advanced": "on",
                "advancement": "焊缝自动跟踪省内领先",
            },
        ],
        "topics": [
            {
                "year": FIRST_YEAR,
                "kind": "mentoring",
                "title": "数控车工技师培养",
                "leader": "李秀英",
                "due": f"{FIRST_YEAR}-11-30",
                "goal": "培养技师3名",
            },
            {
                "year": SECOND_YEAR,
                "kind": "research",
                "title": "智能焊接工艺研究",
                "leader": "赵志强",
                "due": f"{SECOND_YEAR}-09-30",
                "goal": "形成企业标准1项",
            },
        ],
    },
    "spending_plan": {
        "budget": [
            {"category": "equipment", "subsidy_amount": "18.5", "own_amount": "40", "purpose": "购置焊接检测仪"},
            {"category": "mentoring", "subsidy_amount": "11.5", "own_amount": "5.25", "purpose": "带徒津贴发放"},
        ]
    },
}

TRAINING_BASE_SECTIONS = {
    "unit_profile": {
        "founded_on": "1984-09-01",
        "licence_number": "晋人社培字第1405001号",
        "industry": "职业教育",
        "employee_count": "420",
        "land_area": "56300",
        "training_area": "12000",
        "equipment_value": "2450.75",
        "overview": "学院开设机电、汽修、电工等专业，在校生4200人。",
    },
    "management": {
        "organisation": "设培训处、教务处、财务处。",
        "training_rules": "《培训管理办法》",
        "finance_rules": "《财务管理制度》",
        "asset_rules": "《固定资产管理办法》",
        "risk_rules": "《安全生产和风险防控制度》",
        "no_violation": "on",
    },
    "capacity": {
        "facilities": "实训场地12000平方米，符合国家建设和安全标准。",
        "specialties": [
            {
                "name": "工业机器人应用",
                "equipment": "工业机器人工作站20套",
                "stations": "48",
                "equipment_value": "400.00",
                "is_urgent": "on",
            },
            {
                "name": "新能源汽车维修",
                "equipment": "新能源汽车实训台15套",
                "stations": "36",
                "equipment_value": "300.00",
                "is_urgent": "on",
            },
        ],
        "annual_trainees": [
            {
                "year": "2021",
                "count": "1200",
                "enterprise_staff": "500",
                "students": "600",
                "public": "100",
                "certified": "980",
            },
            {
                "year": "2022",
                "count": "1500",
                "enterprise_staff": "640",
                "students": "710",
                "public": "150",
                "certified": "1234",
            },
        ],
    },
    "teachers": {
        "mechanism": "青年教师企业实践制度。",
        "plan": "三年培养双师型教师60名。",
        "leaders": "机电专业带头人孙志刚（高级技师）。",
        "backbone": "骨干教师28名。",
        "full_time_count": "96",
        "part_time_count": "35",
        "teacher_list": [
            {
                "name": "孙志刚",
                "employment": "full_time",
                "post": "机电专业教研室主任",
                "qualification": "高级技师",
                "courses": "机器人编程",
                "is_leader": "on",
            },
            {"name": "杜雅琴", "employment": "part_time", "post": "汽修实训指导", "qualification": "技师"},
        ],
    },
    "cooperation": {
        "partner_enterprises": [
            {
                "name": "晋城市金鼎机械有限公司",
                "content": "共建实训车间",
                "since": "2019-09-01",
                "until": "2027-08-31",
            },
            {"name": "山西兰花科技创业股份有限公司", "content": "订单培养"},
        ],
        "co_developed_specialties": [
            {"specialty": "工业机器人应用", "partner": "晋城市金鼎机械有限公司", "content": "课程设置"},
            {"specialty": "新能源汽车维修", "partner": "山西兰花科技创业股份有限公司", "content": "培养计划"},
            {"specialty": "电气自动化", "partner": "晋城市金鼎机械有限公司", "content": "实习安排"},
        ],
        "enterprise_instructors": [
            {
                "name": "周海涛",
                "employer": "晋城市金鼎机械有限公司",
                "qualification": "高级技师",
                "subject": "机器人编程",
            },
        ],
    },
    "principles": {
        "enrolment_quota": "1500",
        "trained_count": "1500",
        "demonstration": "全省职业院校技能大赛一等奖3项。",
        "key_industry": "服务光机电、煤层气产业。",
        "scarce_occupations": "工业机器人系统运维员、新能源汽车维修工",
        "honours": "国家级高技能人才培训基地",
    },
    "plan_basis": {
        "basis": "现有实训工位400个，但高端装备不足。",
        "baseline": [
            {"indicator": "trainees", "current": "1500"},
            {"indicator": "certified", "current": "1234"},
            {"indicator": "specialties", "current": "2"},
            {"indicator": "stations", "current": "84"},
            {"indicator": "teachers", "current": "131"},
            {"indicator": "partners", "current": "2"},
            {"indicator": "co_developed", "current": "3"},
        ],
    },
    "implementation_plan": {
        "goals": "建成省内一流的技能人才培养基地。",
        "annual_targets": [
            {"indicator": "trainees", f"target_{FIRST_YEAR}": "1800", f"target_{SECOND_YEAR}": "2000"},
            {"indicator": "certified", f"target_{FIRST_YEAR}": "1450", f"target_{SECOND_YEAR}": "1666"},
            {"indicator": "specialties", f"target_{FIRST_YEAR}": "3", f"target_{SECOND_YEAR}": "4"},
            {"indicator": "stations", f"target_{FIRST_YEAR}": "104", f"target_{SECOND_YEAR}": "128"},
            {"indicator": "teachers", f"target_{FIRST_YEAR}": "139", f"target_{SECOND_YEAR}": "147"},
            {"indicator": "partners", f"target_{FIRST_YEAR}": "3", f"target_{SECOND_YEAR}": "5"},
            {"indicator": "co_developed", f"target_{FIRST_YEAR}": "4", f"target_{SECOND_YEAR}": "6"},
        ],
    },
    "plan_content": {
        "capacity": "新增智能制造实训区。",
        "teachers": "培养双师型教师20名。",
        "cooperation": "新增合作企业3家。",
        "curriculum": "开发活页式教材6本。",
        "demonstration": "承办省级技能大赛选拔赛。",
    },
    "plan_schedule": {
        "stages": [
            {
                "year": FIRST_YEAR,
                "stage": "设备购置阶段",
                "start": f"{FIRST_YEAR}-01-01",
                "end": f"{FIRST_YEAR}-06-30",
                "tasks": "购置实训设备，培训师资30人次。",
                "outcome": "实训设备验收",
            },
            {
                "year": SECOND_YEAR,
                "stage": "课程开发阶段",
                "start": f"{SECOND_YEAR}-01-01",
                "end": f"{SECOND_YEAR}-12-31",
                "tasks": "开发课程10门，年培训2000人。",
                "outcome": "课程10门上线",
            },
        ]
    },
    "plan_budget": {
        "budget": [
            {"category": "equipment", "subsidy_amount": "12.00", "own_amount": "50.00", "note": "机器人工作站"},
            {"category": "teachers", "subsidy_amount": "8.00", "own_amount": "10.00"},
        ]
    },
    "plan_safeguards": {
        "organisation": "院长任建设领导小组组长。",
        "rules": "基地建设项目考核办法。",
        "funds": "扶持经费专账核算。",
    },
    "plan_outcomes": {
        "outcomes": "建设期满年培训2000人。",
        "performance_targets": [
            {"year": FIRST_YEAR, "indicator": "年培训规模", "target": "1800人"},
            {"year": SECOND_YEAR, "indicator": "年培训规模", "target": "2000人"},
        ],
    },
}

SECTIONS_BY_TYPE = {"workstation": WORKSTATION_SECTIONS, "training_base": TRAINING_BASE_SECTIONS}


def _moved(text, mapping):
    return mapping[text[:4]] + text[4:] if text and text[:4] in mapping else text


def sections_for(project_type_code, years):
    """The content of `project_type_code` planned over another call's construction `years` (first and last)."""
    mapping = {FIRST_YEAR: str(years[0]), SECOND_YEAR: str(years[-1])}
    sections = copy.deepcopy(SECTIONS_BY_TYPE[project_type_code])
    topics = sections.get("station_plan", {}).get("topics", [])
    stages = sections.get("plan_schedule", {}).get("stages", [])
    pairs = sections.get("mentoring", {}).get("pairs", [])
    for row in [*topics, *stages, *pairs, *sections.get("plan_outcomes", {}).get("performance_targets", [])]:
        for key in ("year", "due", "start", "end"):
            if key in row:
                row[key] = _moved(row[key], mapping)
    for row in sections.get("implementation_plan", {}).get("annual_targets", []):
        targets = {year: row.pop(f"target_{year}") for year in (FIRST_YEAR, SECOND_YEAR)}
        row.update({f"target_{mapping[year]}": value for year, value in targets.items()})
    return sections
