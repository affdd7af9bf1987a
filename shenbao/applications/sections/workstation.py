"""市级技师工作站: 申报书 and 申请报告 (notice 一(一), 二(一)).

The form is a function of the call's construction years (`build_form(years=…)`): the topics table is titled and
offers the years of the period, so next year's call asks for its own years without a code change.
"""

from django.utils.translation import gettext_noop as N_

from .spec import Field, FormSpec, Section, SpecText, Table, year_choices, year_range

MEMBER_LEVELS = (
    ("senior_worker", N_("高级工")),
    ("technician", N_("技师")),
    ("senior_technician", N_("高级技师")),
    ("skill_leader", N_("技术技能带头人")),
)
# 一(一)1: 技师、高级技师 or 技术技能带头人 count toward the three members; 高级工 does not.
QUALIFIED_MEMBER_LEVELS = frozenset({"technician", "senior_technician", "skill_leader"})

PARTNER_KINDS = (
    ("university", N_("高校")),
    ("technician_college", N_("技师学院")),
    ("research_institute", N_("科研院所")),
)
TOPIC_KINDS = (("mentoring", N_("师带徒")), ("research", N_("技术攻关")))

# Research projects are listed back to this many years before the construction period starts.
RESEARCH_HISTORY_YEARS = 50


def build_form(*, years):
    """The workstation form for a construction period covering `years` (ascending calendar years)."""
    return FormSpec(project_type_code="workstation", sections=_sections(years))


def _sections(years):
    return (
        Section(
            "unit_profile",
            N_("单位基本情况"),
            N_("申报书"),
            (
                Field("industry", N_("所属行业")),
                Field("employee_count", N_("职工总数（人）"), "integer"),
                Field("skilled_worker_count", N_("技能人才总数（人）"), "integer"),
                Field("high_skilled_count", N_("高技能人才数（人）"), "integer"),
                Field("annual_revenue", N_("上年度营业收入（万元）"), "decimal", required=False),
                Field("station_posts", N_("工作站依托的技能岗位")),
                Field("overview", N_("单位简介"), "textarea"),
            ),
        ),
        Section(
            "members",
            N_("工作站成员"),
            N_("申报书"),
            (
                Table(
                    "members",
                    N_("成员名单"),
                    (
                        Field("name", N_("姓名")),
                        Field("id_number", N_("身份证号码"), "id_number"),
                        Field("occupation", N_("职业（工种）")),
                        Field("level", N_("技能等级"), "choice", choices=MEMBER_LEVELS),
                        Field("certificate_number", N_("证书编号")),
                        Field("certificate_issuer", N_("发证机构")),
                        Field("is_leader", N_("领衔人"), "boolean", required=False),
                        Field("achievements", N_("主要业绩"), "textarea", required=False),
                    ),
                    min_rows=1,
                    help_text=N_("须有3名以上技师、高级技师或技术技能带头人（通知一（一）1）。"),
                ),
            ),
        ),
        Section(
            "talent_system",
            N_("人才培养、评价、使用制度和激励机制"),
            N_("申请报告"),
            (
                Field("training_system", N_("人才培养制度"), "textarea"),
                Field("evaluation_system", N_("技能评价制度"), "textarea"),
                Field("use_system", N_("使用制度"), "textarea"),
                Field("incentives", N_("激励机制"), "textarea"),
            ),
        ),
        Section(
            "mentoring",
            N_("师带徒计划"),
            N_("申请报告"),
            (
                Field("plan", N_("师带徒计划"), "textarea"),
                Table(
                    "pairs",
                    N_("师徒结对"),
                    (
                        Field("mentor", N_("师傅姓名")),
                        Field("apprentice", N_("徒弟姓名")),
                        Field("occupation", N_("职业（工种）")),
                        Field("target", N_("培养目标")),
                        Field("period", N_("带徒期限"), required=False),
                    ),
                    min_rows=1,
                ),
            ),
        ),
        Section(
            "cooperation",
            N_("与高校、科研院所合作"),
            N_("申请报告"),
            (
                Field("description", N_("合作情况"), "textarea"),
                Table(
                    "partners",
                    N_("合作单位"),
                    (
                        Field("partner", N_("合作单位名称")),
                        Field("kind", N_("类别"), "choice", choices=PARTNER_KINDS),
                        Field("agreement", N_("合作协议")),
                        Field("start", N_("开始日期"), "date"),
                        Field("end", N_("结束日期"), "date", required=False),
                    ),
                    min_rows=1,
                ),
            ),
        ),
        Section(
            "research",
            N_("技术研发和攻关"),
            N_("申请报告"),
            (
                Field("record", N_("技术攻关、技术研讨开展情况"), "textarea"),
                Table(
                    "projects",
                    N_("攻关项目及成果"),
                    (
                        Field("title", N_("项目名称")),
                        Field("year", N_("年份"), "integer", min_value=years[0] - RESEARCH_HISTORY_YEARS),
                        Field("outcome", N_("成果及效益"), "textarea"),
                    ),
                ),
            ),
        ),
        Section(
            "operation",
            N_("经营管理与社会责任"),
            N_("申请报告"),
            (
                Field("operation", N_("经营管理状况"), "textarea"),
                Field("social_responsibility", N_("履行社会责任、推动技术进步情况"), "textarea"),
                Field("facilities", N_("本行业（领域）先进生产、科研设施设备情况"), "textarea"),
            ),
        ),
        Section(
            "station_plan",
            N_("建站设想"),
            N_("申请报告"),
            (
                Field("structure", N_("组织架构"), "textarea"),
                Field("duties", N_("成员职责分工"), "textarea"),
                Field("rules", N_("工作站管理制度"), "textarea"),
                Field("committed_funding", N_("单位承诺投入资金（万元）"), "decimal"),
                Field("site_area", N_("工作场所面积（平方米）"), "decimal"),
                Table(
                    "equipment",
                    N_("设备配置"),
                    (
                        Field("name", N_("设备名称")),
                        Field("value", N_("价值（万元）"), "decimal"),
                        Field("is_advanced", N_("行业先进"), "boolean", required=False),
                    ),
                    min_rows=1,
                ),
                Table(
                    "topics",
                    SpecText(N_("%(years)s年师带徒和技术攻关课题"), years=year_range(years)),
                    (
                        Field("year", N_("年度"), "choice", choices=year_choices(years)),
                        Field("kind", N_("类别"), "choice", choices=TOPIC_KINDS),
                        Field("title", N_("课题名称")),
                        Field("goal", N_("预期目标"), "textarea"),
                    ),
                    min_rows=1,
                ),
            ),
        ),
    )
