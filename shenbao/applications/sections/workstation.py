"""市级技师工作站: 申报书 and 申请报告 (notice 一(一), 二(一)).

The form is a function of the call's construction years (`build_form(years=…)`): the topics table is titled and
offers the years of the period, so next year's call asks for its own years without a code change.
"""

from .spec import Field, FormSpec, Section, Table, year_choices, year_span

MEMBER_LEVELS = (
    ("senior_worker", "高级工"),
    ("technician", "技师"),
    ("senior_technician", "高级技师"),
    ("skill_leader", "技术技能带头人"),
)
# 一(一)1: 技师、高级技师 or 技术技能带头人 count toward the three members; 高级工 does not.
QUALIFIED_MEMBER_LEVELS = frozenset({"technician", "senior_technician", "skill_leader"})

PARTNER_KINDS = (("university", "高校"), ("technician_college", "技师学院"), ("research_institute", "科研院所"))
TOPIC_KINDS = (("mentoring", "师带徒"), ("research", "技术攻关"))

# Research projects are listed back to this many years before the construction period starts.
RESEARCH_HISTORY_YEARS = 50


def build_form(*, years):
    """The workstation form for a construction period covering `years` (ascending calendar years)."""
    return FormSpec(project_type_code="workstation", sections=_sections(years))


def _sections(years):
    return (
        Section(
            "unit_profile",
            "单位基本情况",
            "申报书",
            (
                Field("industry", "所属行业"),
                Field("employee_count", "职工总数(人)", "integer"),
                Field("skilled_worker_count", "技能人才总数(人)", "integer"),
                Field("high_skilled_count", "高技能人才数(人)", "integer"),
                Field("annual_revenue", "上年度营业收入(万元)", "decimal", required=False),
                Field("station_posts", "工作站依托的技能岗位"),
                Field("overview", "单位简介", "textarea"),
            ),
        ),
        Section(
            "members",
            "工作站成员",
            "申报书",
            (
                Table(
                    "members",
                    "成员名单",
                    (
                        Field("name", "姓名"),
                        Field("id_number", "身份证号码", "id_number"),
                        Field("occupation", "职业(工种)"),
                        Field("level", "技能等级", "choice", choices=MEMBER_LEVELS),
                        Field("certificate_number", "证书编号"),
                        Field("certificate_issuer", "发证机构"),
                        Field("is_leader", "领衔人", "boolean", required=False),
                        Field("achievements", "主要业绩", "textarea", required=False),
                    ),
                    min_rows=1,
                    help_text="须有3名以上技师、高级技师或技术技能带头人(通知一(一)1)。",
                ),
            ),
        ),
        Section(
            "talent_system",
            "人才培养、评价、使用制度和激励机制",
            "申请报告",
            (
                Field("training_system", "人才培养制度", "textarea"),
                Field("evaluation_system", "技能评价制度", "textarea"),
                Field("use_system", "使用制度", "textarea"),
                Field("incentives", "激励机制", "textarea"),
            ),
        ),
        Section(
            "mentoring",
            "师带徒计划",
            "申请报告",
            (
                Field("plan", "师带徒计划", "textarea"),
                Table(
                    "pairs",
                    "师徒结对",
                    (
                        Field("mentor", "师傅姓名"),
                        Field("apprentice", "徒弟姓名"),
                        Field("occupation", "职业(工种)"),
                        Field("target", "培养目标"),
                        Field("period", "带徒期限", required=False),
                    ),
                    min_rows=1,
                ),
            ),
        ),
        Section(
            "cooperation",
            "与高校、科研院所合作",
            "申请报告",
            (
                Field("description", "合作情况", "textarea"),
                Table(
                    "partners",
                    "合作单位",
                    (
                        Field("partner", "合作单位名称"),
                        Field("kind", "类别", "choice", choices=PARTNER_KINDS),
                        Field("agreement", "合作协议"),
                        Field("start", "开始日期", "date"),
                        Field("end", "结束日期", "date", required=False),
                    ),
                    min_rows=1,
                ),
            ),
        ),
        Section(
            "research",
            "技术研发和攻关",
            "申请报告",
            (
                Field("record", "技术攻关、技术研讨开展情况", "textarea"),
                Table(
                    "projects",
                    "攻关项目及成果",
                    (
                        Field("title", "项目名称"),
                        Field("year", "年份", "integer", min_value=years[0] - RESEARCH_HISTORY_YEARS),
                        Field("outcome", "成果及效益", "textarea"),
                    ),
                ),
            ),
        ),
        Section(
            "operation",
            "经营管理与社会责任",
            "申请报告",
            (
                Field("operation", "经营管理状况", "textarea"),
                Field("social_responsibility", "履行社会责任、推动技术进步情况", "textarea"),
                Field("facilities", "本行业(领域)先进生产、科研设施设备情况", "textarea"),
            ),
        ),
        Section(
            "station_plan",
            "建站设想",
            "申请报告",
            (
                Field("structure", "组织架构", "textarea"),
                Field("duties", "成员职责分工", "textarea"),
                Field("rules", "工作站管理制度", "textarea"),
                Field("committed_funding", "单位承诺投入资金(万元)", "decimal"),
                Field("site_area", "工作场所面积(平方米)", "decimal"),
                Table(
                    "equipment",
                    "设备配置",
                    (
                        Field("name", "设备名称"),
                        Field("value", "价值(万元)", "decimal"),
                        Field("is_advanced", "行业先进", "boolean", required=False),
                    ),
                    min_rows=1,
                ),
                Table(
                    "topics",
                    f"{year_span(years)}师带徒和技术攻关课题",
                    (
                        Field("year", "年度", "choice", choices=year_choices(years)),
                        Field("kind", "类别", "choice", choices=TOPIC_KINDS),
                        Field("title", "课题名称"),
                        Field("goal", "预期目标", "textarea"),
                    ),
                    min_rows=1,
                ),
            ),
        ),
    )
