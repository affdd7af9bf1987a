"""市级技能人才培养基地: 申报书 and 实施方案 (notice 一(二), 二(二)).

The form is a function of the call's construction years (`build_form(years=…)`): one 建设任务 field
`tasks_<year>` and one 绩效目标 year choice per year of the period, so the stored keys of an earlier call
(its own years) stay readable and next year's call asks for its own years.
"""

from django.utils.translation import gettext_noop as N_

from .spec import Field, FormSpec, Section, SpecText, Table, year_choices

BUDGET_CATEGORIES = (
    ("equipment", N_("实训设备购置")),
    ("teachers", N_("师资培养")),
    ("curriculum", N_("课程与教材开发")),
    ("site", N_("场地改造")),
    ("training", N_("培训实施")),
    ("other", N_("其他")),
)
# 近年培训规模 may go back this many years before the construction period starts.
TRAINEE_HISTORY_YEARS = 10


def task_field_name(year):
    """The 实施方案 field of one year's 建设任务."""
    return f"tasks_{year}"


def build_form(*, years):
    """The training-base form for a construction period covering `years` (ascending calendar years)."""
    return FormSpec(project_type_code="training_base", sections=_sections(years))


def _sections(years):
    return (
        Section(
            "unit_profile",
            N_("单位基本情况"),
            N_("申报书"),
            (
                Field("industry", N_("所属行业（领域）")),
                Field("employee_count", N_("教职工（职工）总数（人）"), "integer"),
                Field("overview", N_("单位简介"), "textarea"),
            ),
        ),
        Section(
            "management",
            N_("管理规范"),
            N_("申报书"),
            (
                Field("organisation", N_("组织管理体系、机构设置和岗位职责"), "textarea"),
                Field("training_rules", N_("培训管理制度"), "textarea"),
                Field("finance_rules", N_("财务管理制度"), "textarea"),
                Field("asset_rules", N_("资产管理制度"), "textarea"),
                Field("risk_rules", N_("风险管理制度"), "textarea"),
                Field(
                    "no_violation",
                    N_("本单位遵守国家有关法律法规，未发生过违规违纪事件"),
                    "boolean",
                    must_be_true=True,
                ),
            ),
        ),
        Section(
            "capacity",
            N_("培训能力"),
            N_("申报书"),
            (
                Field("facilities", N_("培训场所和设施设备（是否符合国家建设和安全标准）"), "textarea"),
                Table(
                    "specialties",
                    N_("特色专业（职业、工种）及实训装备"),
                    (
                        Field("name", N_("专业（职业、工种）")),
                        Field("equipment", N_("相匹配的实训装备"), "textarea"),
                        Field("equipment_value", N_("装备价值（万元）"), "decimal", required=False),
                        Field("is_urgent", N_("经济发展急需紧缺"), "boolean", required=False),
                    ),
                    min_rows=1,
                    help_text=N_("须有2个以上相匹配的实训装备（通知一（二）2）。"),
                ),
                Table(
                    "annual_trainees",
                    N_("近年培训规模"),
                    (
                        Field("year", N_("年度"), "integer", min_value=years[0] - TRAINEE_HISTORY_YEARS),
                        Field("count", N_("培训人数（人）"), "integer"),
                    ),
                    min_rows=1,
                    help_text=N_("按最近一个年度计算，年培训规模不少于300人（通知一（二）2）。"),
                ),
            ),
        ),
        Section(
            "teachers",
            N_("师资队伍"),
            N_("申报书"),
            (
                Field("mechanism", N_("师资培养机制"), "textarea"),
                Field("plan", N_("师资培养规划和实施方案"), "textarea"),
                Field("leaders", N_("专业带头人"), "textarea"),
                Field("backbone", N_("骨干教师"), "textarea"),
                Field("full_time_count", N_("专职教师（人）"), "integer"),
                Field("part_time_count", N_("兼职教师（人）"), "integer"),
            ),
        ),
        Section(
            "cooperation",
            N_("培训合作"),
            N_("申报书"),
            (
                Table(
                    "partner_enterprises",
                    N_("合作企业"),
                    (
                        Field("name", N_("企业名称")),
                        Field("content", N_("合作内容"), "textarea"),
                        Field("since", N_("合作起始日期"), "date", required=False),
                    ),
                    help_text=N_("院校、培训机构须与2家以上企业建立稳定合作关系（通知一（二）4）。"),
                ),
                Table(
                    "co_developed_specialties",
                    N_("与合作企业（院校）共建专业"),
                    (
                        Field("specialty", N_("专业")),
                        Field("partner", N_("合作单位")),
                        Field("content", N_("共同确定的内容（专业建设、课程设置、培养计划等）"), "textarea"),
                    ),
                    help_text=N_("院校、培训机构须有3个以上共建专业（通知一（二）4）。"),
                ),
                Table(
                    "enterprise_instructors",
                    N_("企业指导教师"),
                    (
                        Field("name", N_("姓名")),
                        Field("employer", N_("所在企业")),
                        Field("qualification", N_("技能等级或职称")),
                        Field("subject", N_("指导内容")),
                    ),
                ),
            ),
        ),
        Section(
            "principles",
            N_("兼顾原则"),
            N_("申报书"),
            (
                Field("enrolment_quota", N_("技校招生指标数（技工院校填写）"), "integer", required=False),
                Field("trained_count", N_("年技能人才培养数（人）"), "integer"),
                Field("demonstration", N_("示范引领作用"), "textarea"),
                Field("key_industry", N_("服务我市重点产业情况"), "textarea"),
                Field("scarce_occupations", N_("涉及紧缺职业（工种）"), "textarea"),
            ),
        ),
        Section(
            "implementation_plan",
            N_("实施方案"),
            N_("实施方案"),
            (
                Field("goals", N_("建设目标"), "textarea"),
                *(
                    Field(task_field_name(year), SpecText(N_("%(year)s年建设任务"), year=year), "textarea")
                    for year in years
                ),
                Table(
                    "budget",
                    N_("资金预算"),
                    (
                        Field("category", N_("支出类别"), "choice", choices=BUDGET_CATEGORIES),
                        Field("subsidy_amount", N_("扶持经费（万元）"), "decimal"),
                        Field("own_amount", N_("自筹资金（万元）"), "decimal"),
                        Field("note", N_("说明"), required=False),
                    ),
                    min_rows=1,
                ),
                Table(
                    "performance_targets",
                    N_("绩效目标"),
                    (
                        Field("year", N_("年度"), "choice", choices=year_choices(years)),
                        Field("indicator", N_("指标")),
                        Field("target", N_("目标值")),
                    ),
                    min_rows=1,
                ),
            ),
        ),
    )
