"""The announcement's workflow, declared as data: 草稿 → 待审核 → 已发布 → 已撤回; the reviewer may return it to
草稿 with a comment. Fired through the one transition helper (`core.transitions.fire`) by
`services.fire_announcement_step`; every step is audited as "announcement:<step>". The names resolve in `rules`
(actors) and `steps` (guards, effects, hooks).
"""

from django.utils.translation import gettext_lazy as _

from shenbao.core.transitions import Machine, State, Transition, register

from .models import Announcement

STATUS = Announcement.Status

TRANSITIONS = (
    Transition(
        "submit",
        _("送审"),
        (STATUS.DRAFT,),
        STATUS.IN_REVIEW,
        "author",
        guards=("has_content",),
        effects=("record_submission",),
        notify=("reviewers",),
    ),
    Transition(
        "return",
        _("退回修改"),
        (STATUS.IN_REVIEW,),
        STATUS.DRAFT,
        "city_admin",
        guards=("not_the_author",),
        effects=("record_review",),
        requires_comment=True,
        notify=("author",),
    ),
    Transition(
        "publish",
        _("审核通过并发布"),
        (STATUS.IN_REVIEW,),
        STATUS.PUBLISHED,
        "city_admin",
        guards=("not_the_author",),
        effects=("record_review", "record_publication"),
        notify=("author",),
    ),
    Transition(
        "withdraw",
        _("撤回"),
        (STATUS.PUBLISHED,),
        STATUS.WITHDRAWN,
        "city_admin",
        effects=("record_withdrawal",),
        requires_comment=True,
        notify=("author",),
    ),
)

MACHINE = register(
    Machine(
        name="announcement",
        model="announcements.Announcement",
        noun=_("通知公告"),
        subject="announcement",
        states=(
            State(STATUS.DRAFT, STATUS.DRAFT.label, "secondary", editable=True),
            State(STATUS.IN_REVIEW, STATUS.IN_REVIEW.label, "warning"),
            State(STATUS.PUBLISHED, STATUS.PUBLISHED.label, "success"),
            State(STATUS.WITHDRAWN, STATUS.WITHDRAWN.label, "dark", final=True),
        ),
        transitions=TRANSITIONS,
        registries={
            "actor": "shenbao.announcements.rules.ACTORS",
            "guard": "shenbao.announcements.steps.GUARDS",
            "effect": "shenbao.announcements.steps.EFFECTS",
        },
        notify="shenbao.announcements.steps.notify_step",
        details="shenbao.announcements.steps.audit_details",
    )
)
