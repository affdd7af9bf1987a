"""市级技能人才培养基地: 申报书 and 实施方案 (notice 一(二), 二(二)), field by field after the paper forms
(calls/<call>/base-application-form.docx, base-implementation-plan.docx).

The form is a function of the call's construction years and 扶持经费 (`build_form(years=…, funding_amount=…)`):
the 年度目标 table has a column per construction year, the 进度安排 needs a stage in each of them and the 经费预算
must total the call's amount, so the stored keys of an earlier call (its own years) stay readable and next year's
call asks for its own years and money. The 实施方案 has the template's seven parts; the 年度目标 against the
template's fixed indicators (with their 现状 in 建设基础) are what the progress reports and 评估验收 compare.
"""

from decimal import Decimal

from django.utils.translation import gettext_noop as N_

from .spec import Field, FormSpec, Section, SpecText, Table, TableTotal, year_choices

APPLICATION_FORM, PLAN = N_("申报书"), N_("实施方案")
BUDGET_CATEGORIES = (
    ("equipment", N_("实训装备购置与更新")),
    ("teachers", N_("师资培训")),
    ("curriculum", N_("课程与教材开发")),
    ("cooperation", N_("校企合作")),
    ("site", N_("场地改造")),
    ("training", N_("培训实施")),
    ("other", N_("其他")),
)
# The fixed indicators of the 实施方案's 年度目标 table, each with its 现状 and a target per construction year.
PLAN_INDICATORS = (
    ("trainees", N_("年培训规模（人）")),
    ("certified", N_("取得职业资格（技能等级）证书人数")),
    ("specialties", N_("急需紧缺特色专业数")),
    ("stations", N_("实训工位数")),
    ("teachers", N_("专兼职教师数")),
    ("partners", N_("合作企业数")),
    ("co_developed", N_("共建专业数")),
)
EMPLOYMENT = (("full_time", N_("专职")), ("part_time", N_("兼职")))
# 近年培训规模 may go back this many years before the construction period starts.
TRAINEE_HISTORY_YEARS = 10
# Money in 万元 to the fen, so the budget can equal the call's amount exactly.
WAN_YUAN_PLACES = 6


def target_column(year):
    """The 年度目标 column of one construction year's target."""
    return f"target_{year}"


def build_form(*, years, funding_amount=None):
    """The training-base form for a construction period covering `years` (ascending calendar years); the budget
    must total `funding_amount` (元) when given."""
    total = TableTotal("subsidy_amount", Decimal(funding_amount)) if funding_amount is not None else None
    return FormSpec(project_type_code="training_base", sections=(*_application_form(years), *_plan(years, total)))


def _application_form(years):
    form = (APPLICATION_FORM,)
    return (
        Section(
            "unit_profile",
            N_("单位基本情况"),
            form,
            (
                Field("founded_on", N_("单位成立时间"), "date"),
                Field("licence_number", N_("办学/培训许可证号"), required=False),
                Field("industry", N_("所属行业（领域）")),
                Field("employee_count", N_("教职工（职工）总数（人）"), "integer"),
                Field("land_area", N_("占地面积（平方米）"), "decimal"),
                Field("training_area", N_("实训场所面积（平方米）"), "decimal"),
                Field("equipment_value", N_("实训设备总值（万元）"), "decimal"),
                Field("overview", N_("单位简介"), "textarea"),
            ),
        ),
        Section(
            "management",
            N_("管理规范"),
            form,
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
            form,
            (
                Field("facilities", N_("培训场所和设施设备（是否符合国家建设和安全标准）"), "textarea"),
                Table(
                    "specialties",
                    N_("特色专业（职业、工种）及实训装备"),
                    (
                        Field("name", N_("专业（职业、工种）")),
                        Field("equipment", N_("相匹配的实训装备"), "textarea"),
                        Field("stations", N_("工位数"), "integer"),
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
                        Field("enterprise_staff", N_("其中企业职工（人）"), "integer"),
                        Field("students", N_("其中在校学生（人）"), "integer"),
                        Field("public", N_("其中社会人员（人）"), "integer"),
                        Field("certified", N_("取得证书人数（人）"), "integer"),
                    ),
                    min_rows=1,
                    help_text=N_("按最近一个年度计算，年培训规模不少于300人（通知一（二）2）。"),
                ),
            ),
        ),
        Section(
            "teachers",
            N_("师资队伍"),
            form,
            (
                Field("mechanism", N_("师资培养机制"), "textarea"),
                Field("plan", N_("师资培养规划和实施方案"), "textarea"),
                Field("leaders", N_("专业带头人"), "textarea"),
                Field("backbone", N_("骨干教师"), "textarea"),
                Field("full_time_count", N_("专职教师（人）"), "integer"),
                Field("part_time_count", N_("兼职教师（人）"), "integer"),
                Table(
                    "teacher_list",
                    N_("教师名单"),
                    (
                        Field("name", N_("姓名")),
                        Field("employment", N_("专职/兼职"), "choice", choices=EMPLOYMENT),
                        Field("post", N_("岗位（专业、职业）")),
                        Field("qualification", N_("职称/技能等级")),
                        Field("courses", N_("承担课程"), required=False),
                        Field("is_leader", N_("专业带头人"), "boolean", required=False),
                    ),
                    min_rows=1,
                ),
            ),
        ),
        Section(
            "cooperation",
            N_("培训合作"),
            form,
            (
                Table(
                    "partner_enterprises",
                    N_("合作企业"),
                    (
                        Field("name", N_("企业名称")),
                        Field("content", N_("合作内容"), "textarea"),
                        Field("since", N_("合作起始日期"), "date", required=False),
                        Field("until", N_("协议截止日期"), "date", required=False),
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
            form,
            (
                Field("enrolment_quota", N_("技校招生指标数（技工院校填写）"), "integer", required=False),
                Field("trained_count", N_("年技能人才培养数（人）"), "integer"),
                Field("demonstration", N_("示范引领作用"), "textarea"),
                Field("key_industry", N_("服务我市重点产业情况"), "textarea"),
                Field("scarce_occupations", N_("涉及紧缺职业（工种）"), "textarea"),
                Field("honours", N_("获得的荣誉"), "textarea", required=False),
            ),
        ),
    )


def _plan(years, total):
    plan = (PLAN,)
    return (
        Section(
            "plan_basis",
            N_("建设基础"),
            plan,
            (
                Field("basis", N_("单位概况、现有培训能力、师资、校企合作基础及存在的不足"), "textarea"),
                Table(
                    "baseline",
                    N_("主要指标现状"),
                    (
                        Field("indicator", N_("指标"), "choice", choices=PLAN_INDICATORS),
                        Field("current", N_("现状"), "integer"),
                    ),
                    min_rows=len(PLAN_INDICATORS),
                    every_choice="indicator",
                    one_per_choice=True,
                ),
            ),
        ),
        # Stored under its earlier key: applications of earlier calls keep their 建设目标 where they were.
        Section(
            "implementation_plan",
            N_("建设目标"),
            plan,
            (
                Field("goals", N_("建设期总体目标"), "textarea"),
                Table(
                    "annual_targets",
                    N_("年度目标"),
                    (
                        Field("indicator", N_("指标"), "choice", choices=PLAN_INDICATORS),
                        *(
                            Field(target_column(year), SpecText(N_("%(year)s年目标"), year=year), "integer")
                            for year in years
                        ),
                    ),
                    min_rows=len(PLAN_INDICATORS),
                    every_choice="indicator",
                    one_per_choice=True,
                ),
            ),
        ),
        Section(
            "plan_content",
            N_("建设内容和主要任务"),
            plan,
            (
                Field("capacity", N_("培训能力建设（场所、实训装备、特色专业）"), "textarea"),
                Field("teachers", N_("师资队伍建设"), "textarea"),
                Field("cooperation", N_("培训合作（合作企业、共建专业、企业指导教师）"), "textarea"),
                Field("curriculum", N_("课程、教材和培训模式建设"), "textarea"),
                Field("demonstration", N_("示范引领"), "textarea"),
            ),
        ),
        Section(
            "plan_schedule",
            N_("进度安排"),
            plan,
            (
                Table(
                    "stages",
                    N_("建设阶段"),
                    (
                        Field("year", N_("年度"), "choice", choices=year_choices(years)),
                        Field("stage", N_("阶段")),
                        Field("start", N_("开始日期"), "date"),
                        Field("end", N_("结束日期"), "date"),
                        Field("tasks", N_("主要任务"), "textarea"),
                        Field("outcome", N_("阶段成果"), "textarea"),
                    ),
                    min_rows=len(years),
                    every_choice="year",
                    help_text=N_("建设期每个年度至少安排一个阶段。"),
                ),
            ),
        ),
        Section(
            "plan_budget",
            N_("经费预算"),
            plan,
            (
                Table(
                    "budget",
                    N_("经费预算"),
                    (
                        Field("category", N_("支出项目"), "choice", choices=BUDGET_CATEGORIES),
                        Field("subsidy_amount", N_("市级扶持经费（万元）"), "decimal", decimal_places=WAN_YUAN_PLACES),
                        Field("own_amount", N_("单位自筹（万元）"), "decimal", decimal_places=WAN_YUAN_PLACES),
                        Field("note", N_("用途说明"), required=False),
                    ),
                    min_rows=1,
                    total=total,
                    help_text=N_("市级扶持经费合计须等于本次通知确定的扶持金额（通知五）。"),
                ),
            ),
        ),
        Section(
            "plan_safeguards",
            N_("保障措施"),
            plan,
            (
                Field("organisation", N_("组织保障"), "textarea"),
                Field("rules", N_("制度保障"), "textarea"),
                Field("funds", N_("资金保障"), "textarea"),
            ),
        ),
        Section(
            "plan_outcomes",
            N_("预期成效及考核指标"),
            plan,
            (
                Field("outcomes", N_("建设期满可供评估验收的成效"), "textarea"),
                Table(
                    "performance_targets",
                    N_("其他考核指标"),
                    (
                        Field("year", N_("年度"), "choice", choices=year_choices(years)),
                        Field("indicator", N_("指标")),
                        Field("target", N_("目标值")),
                    ),
                ),
            ),
        ),
    )
