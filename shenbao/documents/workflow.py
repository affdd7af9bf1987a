"""The rendered document's workflow, declared as data: queued → rendering → ready, or failed, and a failed one
queued again (retry).

Fired by the one transition helper (`shenbao.core.transitions.fire`) from `services_stored`: the task worker
starts, finishes and fails; a person (the staff handling the application, `documents.retry_rendering`) or the
operator's `render_missing_documents` asks for a failed one again. Every step is audited on the document.
"""

from django.utils.translation import gettext_lazy as _

from shenbao.core.transitions import Machine, State, Transition, register

from .models import RenderedDocument

S = RenderedDocument.Status

MACHINE = register(
    Machine(
        name="documents",  # audit events documents:start, documents:finish, documents:fail, documents:retry
        model="documents.RenderedDocument",
        noun=_("文书"),
        subject="rendered",
        states=(
            State(S.QUEUED, S.QUEUED.label, "secondary", step=1, phrase=_("已排队，等待后台生成。")),
            State(S.RENDERING, S.RENDERING.label, "info", step=2, phrase=_("正在后台生成，完成后本页将提供下载。")),
            State(S.READY, S.READY.label, "success", final=True, step=3, phrase=_("文书已生成，可以下载。")),
            # Not final: the staff handling the application may have it rendered again.
            State(S.FAILED, S.FAILED.label, "danger", phrase=_("文书未能生成，不提供下载。")),
        ),
        transitions=(
            # The worker acts, not a person: the caller (services_stored) decides (actor None).
            Transition("start", _("开始生成"), (S.QUEUED,), S.RENDERING, None, effects=("record_start",)),
            Transition(
                "finish",
                _("生成完成"),
                (S.RENDERING,),
                S.READY,
                None,
                effects=("record_file",),
                payload=("size", "sha256"),
            ),
            Transition(
                "fail",
                _("生成失败"),
                (S.QUEUED, S.RENDERING),
                S.FAILED,
                None,
                effects=("record_failure",),
                payload=("error",),
            ),
            # Asked by a person the view checked (`documents.retry_rendering`) or by the operator's command.
            Transition("retry", _("重新生成"), (S.FAILED,), S.QUEUED, None, effects=("clear_failure",)),
        ),
        registries={"effect": "shenbao.documents.steps.EFFECTS"},
        lock_related=("version",),
    )
)
