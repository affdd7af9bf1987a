"""待办: what waits for the signed-in user, counted per role, with a link to the page where it is done.

Every figure comes from a selector of the app that owns the rows, scoped by the same rule as that app's list
page, one query each (progress reports: two), so the dashboard costs the same with one waiting item or hundreds.
An item past its deadline (the deadline's own day is still in time, Beijing time) is counted as overdue.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shenbao.acceptance import todo_selectors as acceptance
from shenbao.accounts.roles import Role
from shenbao.announcements import selectors as announcements
from shenbao.applications import selectors as applications
from shenbao.experts import selectors as experts
from shenbao.funding import selectors as funding
from shenbao.notices import selectors as notices
from shenbao.opinions import selectors as opinions
from shenbao.review import selectors as review
from shenbao.scoring import selectors as scoring

from .pending import beijing_today

FIRST_REVIEWERS = frozenset({Role.COUNTY_REVIEWER, Role.DEPARTMENT_REVIEWER})
# The 上级主管单位 request goes to the county bureau or competent department that did the first review.
OPINION_ANSWERERS = frozenset({Role.CONSULTED_DEPARTMENT, *FIRST_REVIEWERS})
CALL_ADMIN = frozenset({Role.CALL_ADMIN})
APPLICANT = frozenset({Role.APPLICANT})
EXPERT = frozenset({Role.EXPERT})


@dataclass(frozen=True)
class TodoSource:
    roles: frozenset
    text: str  # lazy, with %(count)s
    url_name: str
    count: Callable  # (user, today) -> core.pending.Pending
    query: str = ""  # the list page's filter showing just these items

    @property
    def url(self):
        url = reverse(self.url_name)
        return f"{url}?{self.query}" if self.query else url


@dataclass(frozen=True)
class Todo:
    text: str
    url: str
    total: int
    overdue: int


TODO_SOURCES = (
    # 资格审核
    TodoSource(
        FIRST_REVIEWERS,
        _("%(count)s件待初审"),
        "review:first_review_queue",
        lambda user, today: review.count_first_review_waiting(user=user, today=today),
    ),
    TodoSource(
        frozenset({Role.CITY_REVIEWER}),
        _("%(count)s件待复核"),
        "review:recheck_queue",
        lambda user, today: review.count_recheck_waiting(user=user),
    ),
    # 征求意见
    TodoSource(
        OPINION_ANSWERERS,
        _("%(count)s份征求意见待回复"),
        "opinions:inbox",
        lambda user, today: opinions.count_open_requests(user=user, today=today),
    ),
    # 申报单位
    TodoSource(
        APPLICANT,
        _("%(count)s件申报退回待修改"),
        "applications:list",
        lambda user, today: applications.count_returned_applications(user=user, today=today),
    ),
    TodoSource(
        APPLICANT,
        _("%(count)s份年度进展报告待报送"),
        "acceptance:home",
        lambda user, today: acceptance.count_reports_to_file(user=user, today=today),
    ),
    TodoSource(
        APPLICANT,
        _("%(count)s份验收自评待提交"),
        "acceptance:home",
        lambda user, today: acceptance.count_self_evaluations_to_submit(user=user),
    ),
    TodoSource(
        APPLICANT,
        _("%(count)s份整改报告待提交"),
        "acceptance:home",
        lambda user, today: acceptance.count_rectifications_to_file(user=user, today=today),
    ),
    # 评审专家
    TodoSource(
        EXPERT,
        _("%(count)s份评分表待提交"),
        "scoring:my_assignments",
        lambda user, today: scoring.count_sheets_to_submit(user=user),
    ),
    TodoSource(
        EXPERT,
        _("%(count)s份验收评分表待提交"),
        "acceptance:expert_reviews",
        lambda user, today: acceptance.count_reviews_to_submit(user=user),
    ),
    # 技能办, in the order of the notice's steps
    TodoSource(
        CALL_ADMIN,
        _("%(count)s件申报资格复核中"),
        "applications:list",
        lambda user, today: review.count_recheck_in_progress(user=user),
    ),
    TodoSource(
        CALL_ADMIN,
        _("%(count)s件申报待分配评审专家"),
        "experts:panels",
        lambda user, today: experts.count_applications_without_experts(user=user),
    ),
    TodoSource(
        CALL_ADMIN,
        _("%(count)s个专家组评分表已全部提交，待汇总排名"),
        "scoring:ranking",
        lambda user, today: scoring.count_panels_ready_for_ranking(user=user),
    ),
    TodoSource(
        CALL_ADMIN,
        _("%(count)s份征求意见尚未回复"),
        "opinions:progress",
        lambda user, today: opinions.count_unanswered_requests(user=user, today=today),
    ),
    TodoSource(
        CALL_ADMIN,
        _("%(count)s家单位征求意见已完成，待发布公示"),
        "notices:publish",
        lambda user, today: opinions.count_ready_for_notice(user=user),
    ),
    TodoSource(
        CALL_ADMIN,
        _("%(count)s件公示异议待处理"),
        "notices:objections",
        lambda user, today: notices.count_objections_to_answer(user=user),
    ),
    TodoSource(
        CALL_ADMIN,
        _("%(count)s家单位公示期满，待授牌"),
        "awards:award",
        lambda user, today: notices.count_awardable_applications(user=user),
    ),
    TodoSource(
        CALL_ADMIN,
        _("%(count)s笔建设扶持经费待拨付"),
        "funding:ledger",
        lambda user, today: funding.count_instalments_to_pay(user=user, today=today),
    ),
    TodoSource(
        CALL_ADMIN,
        _("%(count)s份年度进展报告待审核"),
        "acceptance:admin_reports",
        lambda user, today: acceptance.count_reports_to_review(user=user),
        query="status=submitted",
    ),
    TodoSource(
        CALL_ADMIN,
        _("%(count)s项评估验收待指派专家"),
        "acceptance:admin_evaluations",
        lambda user, today: acceptance.count_evaluations_needing_experts(user=user),
        query="status=submitted",
    ),
    TodoSource(
        CALL_ADMIN,
        _("%(count)s项评估验收专家评分已齐，待出结论"),
        "acceptance:admin_evaluations",
        lambda user, today: acceptance.count_evaluations_ready_for_result(user=user),
        query="status=submitted",
    ),
    # 通知公告: a draft another administrator of the city sent for review (never one's own).
    TodoSource(
        CALL_ADMIN,
        _("%(count)s条通知公告待审核"),
        "announcements:list",
        lambda user, today: announcements.count_announcements_to_review(user=user),
        query="status=in_review",
    ),
)


def list_todos(*, user, today=None):
    """The user's 待办 with at least one item, in the order of TODO_SOURCES."""
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.organisation_id):
        return []
    today = today or beijing_today()
    todos = []
    for source in TODO_SOURCES:
        if not user.has_role(*source.roles):
            continue
        pending = source.count(user, today)
        if pending.total:
            todos.append(Todo(str(source.text) % {"count": pending.total}, source.url, pending.total, pending.overdue))
    return todos
