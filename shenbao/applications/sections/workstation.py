"""市级技师工作站: 申报书 and 申请报告 (notice 一(一), 二(一)), field by field after the paper form
(calls/<call>/workstation-application-form.docx).

The form is a function of the call's construction years and 扶持经费 (`build_form(years=…, funding_amount=…)`): the
topics table is titled and offers the years of the period, and the 经费使用计划 must total the call's amount, so
next year's call asks for its own years and money without a code change. The 申请报告 prints the unit, the station
and its members again (sections printed in both documents).
"""

from decimal import Decimal

from django.utils.translation import gettext_noop as N_

from .spec import Derived, Field, FormSpec, Section, SpecText, Table, TableTotal, year_choices, year_range

APPLICATION_FORM, REPORT = N_("申报书"), N_("申请报告")
SEXES = (("male", N_("男")), ("female", N_("女")))

MEMBER_LEVELS = (
    ("senior_worker", N_("高级工")),
    ("technician", N_("技师")),
    ("senior_technician", N_("高级技师")),
    ("skill_leader", N_("技术技能带头人")),
)
# 一(一)1: 技师、高级技师 or 技术技能带头人 count toward the three members; 高级工 does not.
QUALIFIED_MEMBER_LEVELS = frozenset({"technician", "senior_technician", "skill_leader"})
# An apprentice's level now (徒弟现技能等级): anything from none to 技师.
APPRENTICE_LEVELS = (
    ("none", N_("暂无等级")),
    ("junior_worker", N_("初级工")),
    ("intermediate_worker", N_("中级工")),
    ("senior_worker", N_("高级工")),
    ("technician", N_("技师")),
)
EDUCATION_LEVELS = (
    ("junior_high", N_("初中及以下")),
    ("senior_high", N_("高中、中专或技校")),
    ("college", N_("大专")),
    ("bachelor", N_("本科")),
    ("postgraduate", N_("研究生")),
)
# 经费使用计划 of the 申请报告; the same categories head the construction period's 经费使用 report.
BUDGET_CATEGORIES = (
    ("equipment", N_("设备购置")),
    ("mentoring", N_("师带徒培养")),
    ("research", N_("技术攻关与革新")),
    ("exchange", N_("交流合作与研讨")),
    ("site", N_("场地改造")),
    ("other", N_("其他")),
)
# Money in 万元 to the fen, so the spending plan can equal the call's amount exactly.
WAN_YUAN_PLACES = 6

PARTNER_KINDS = (
    ("university", N_("高校")),
    ("technician_college", N_("技师学院")),
    ("research_institute", N_("科研院所")),
)
TOPIC_KINDS = (("mentoring", N_("师带徒")), ("research", N_("技术攻关")))

# Research projects are listed back to this many years before the construction period starts.
RESEARCH_HISTORY_YEARS = 50


def _count_members(levels):
    def count(form_data):
        rows = ((form_data or {}).get("members") or {}).get("members") or []
        return sum(1 for row in rows if isinstance(row, dict) and (levels is None or row.get("level") in levels))

    return count


def build_form(*, years, funding_amount=None):
    """The workstation form for a construction period covering `years` (ascending calendar years); the spending
    plan must total `funding_amount` (元) when given."""
    total = TableTotal("subsidy_amount", Decimal(funding_amount)) if funding_amount is not None else None
    return FormSpec(project_type_code="workstation", sections=_sections(years, total))


def _sections(years, total):
    both = (APPLICATION_FORM, REPORT)
    return (
        Section(
            "unit_profile",
            N_("单位基本情况"),
            both,
            (
                Field("founded_on", N_("单位成立时间"), "date"),
                Field("industry", N_("所属行业")),
                Field("employee_count", N_("职工总数（人）"), "integer"),
                Field("skilled_worker_count", N_("技能人才总数（人）"), "integer"),
                Field("high_skilled_count", N_("高技能人才数（人）"), "integer"),
                Field("annual_revenue", N_("上年度营业收入（万元）"), "decimal", required=False),
                Field("station_posts", N_("工作站依托的技能岗位")),
                Field("email", N_("电子邮箱"), max_length=100),
                Field("postcode", N_("邮政编码"), max_length=6),
                Field("overview", N_("单位简介"), "textarea"),
            ),
            derived=(
                Derived("technician_count", N_("其中技师（人）"), _count_members({"technician"})),
                Derived("senior_technician_count", N_("其中高级技师（人）"), _count_members({"senior_technician"})),
            ),
        ),
        Section(
            "station",
            N_("技师工作站基本情况"),
            both,
            (
                Field("name", N_("工作站名称")),
                Field("leader_name", N_("领办人姓名")),
                Field("leader_sex", N_("领办人性别"), "choice", choices=SEXES),
                Field("leader_birth_month", N_("领办人出生年月"), "month"),
                Field("leader_education", N_("领办人学历"), "choice", choices=EDUCATION_LEVELS),
                Field("leader_occupation", N_("领办人职业（工种）")),
                Field("leader_level", N_("领办人技能等级"), "choice", choices=MEMBER_LEVELS),
                Field("leader_post", N_("领办人所在岗位")),
                Field("leader_title", N_("领办人职称"), required=False),
                Field("leader_phone", N_("领办人联系电话"), "phone"),
                Field("leader_honours", N_("领办人所获荣誉"), "textarea", required=False),
            ),
            derived=(
                Derived("member_count", N_("工作站成员数（人）"), _count_members(None)),
                Derived(
                    "qualified_count", N_("其中技师、高级技师及带头人（人）"), _count_members(QUALIFIED_MEMBER_LEVELS)
                ),
            ),
        ),
        Section(
            "members",
            N_("工作站成员"),
            both,
            (
                Table(
                    "members",
                    N_("成员名单"),
                    (
                        Field("name", N_("姓名")),
                        Field("sex", N_("性别"), "choice", choices=SEXES),
                        Field("birth_month", N_("出生年月"), "month"),
                        Field("id_number", N_("身份证号码"), "id_number"),
                        Field("occupation", N_("职业（工种）")),
                        Field("level", N_("技能等级"), "choice", choices=MEMBER_LEVELS),
                        Field("certificate_number", N_("证书编号")),
                        Field("certificate_issuer", N_("发证机构")),
                        Field("post", N_("所在岗位")),
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
            (REPORT,),
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
            (REPORT,),
            (
                Field("plan", N_("师带徒计划"), "textarea"),
                Table(
                    "pairs",
                    N_("师徒结对"),
                    (
                        Field("mentor", N_("师傅姓名")),
                        Field("mentor_level", N_("师傅技能等级"), "choice", choices=MEMBER_LEVELS),
                        Field("apprentice", N_("徒弟姓名")),
                        Field("apprentice_level", N_("徒弟现技能等级"), "choice", choices=APPRENTICE_LEVELS),
                        Field("occupation", N_("职业（工种）")),
                        Field("target", N_("培养目标")),
                        Field("start", N_("带徒开始日期"), "date"),
                        Field("end", N_("带徒结束日期"), "date"),
                    ),
                    min_rows=1,
                ),
            ),
        ),
        Section(
            "cooperation",
            N_("与高校、科研院所合作"),
            (REPORT,),
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
                        Field("results", N_("已取得成果"), "textarea"),
                    ),
                    min_rows=1,
                ),
            ),
        ),
        Section(
            "research",
            N_("技术研发和攻关"),
            (REPORT,),
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
            (REPORT,),
            (
                Field("operation", N_("经营管理状况"), "textarea"),
                Field("social_responsibility", N_("履行社会责任、推动技术进步情况"), "textarea"),
                Field("facilities", N_("本行业（领域）先进生产、科研设施设备情况"), "textarea"),
            ),
        ),
        Section(
            "station_plan",
            N_("建站设想"),
            (REPORT,),
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
                        Field("model", N_("型号/规格")),
                        Field("quantity", N_("数量"), "integer"),
                        Field("value", N_("价值（万元）"), "decimal"),
                        Field("is_advanced", N_("行业先进"), "boolean", required=False),
                        Field("advancement", N_("先进性说明"), "textarea"),
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
                        Field("leader", N_("负责人")),
                        Field("due", N_("计划完成时间"), "date"),
                        Field("goal", N_("预期目标"), "textarea"),
                    ),
                    min_rows=1,
                ),
            ),
        ),
        Section(
            "spending_plan",
            N_("经费使用计划"),
            (REPORT,),
            (
                Table(
                    "budget",
                    N_("经费使用计划"),
                    (
                        Field("category", N_("支出项目"), "choice", choices=BUDGET_CATEGORIES),
                        Field("subsidy_amount", N_("市级扶持经费（万元）"), "decimal", decimal_places=WAN_YUAN_PLACES),
                        Field("own_amount", N_("单位自筹（万元）"), "decimal", decimal_places=WAN_YUAN_PLACES),
                        Field("purpose", N_("用途说明"), "textarea"),
                    ),
                    min_rows=1,
                    total=total,
                    help_text=N_("市级扶持经费合计须等于本次通知确定的扶持金额（通知五）。"),
                ),
            ),
        ),
    )
