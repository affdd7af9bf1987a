"""The export job's workflow, declared as data: queued → running → done, or failed from either.

Fired by the one transition helper (`shenbao.core.transitions.fire`) from `services.run_export`, which the task
worker runs; the names below resolve in `steps`. Every step is audited; the person is told when the file is ready
or could not be made.
"""

from django.utils.translation import gettext_lazy as _

from shenbao.core.transitions import Machine, State, Transition, register

from .models import ExportJob

S = ExportJob.Status

MACHINE = register(
    Machine(
        name="exports",  # audit events exports:start, exports:finish, exports:fail
        model="exports.ExportJob",
        noun=_("导出任务"),
        subject="job",
        states=(
            State(S.QUEUED, S.QUEUED.label, "secondary", step=1, phrase=_("已排队，等待后台生成。")),
            State(S.RUNNING, S.RUNNING.label, "info", step=2, phrase=_("正在后台生成，可离开本页，完成后将通知您。")),
            State(S.DONE, S.DONE.label, "success", final=True, step=3, phrase=_("文件已生成，行数已核对，可以下载。")),
            State(S.FAILED, S.FAILED.label, "danger", final=True, phrase=_("未能生成完整文件，不提供下载。")),
        ),
        transitions=(
            # The worker acts, not a person: the caller (services.run_export) decides (actor None).
            Transition("start", _("开始生成"), (S.QUEUED,), S.RUNNING, None, effects=("record_start",)),
            Transition(
                "finish",
                _("生成完成"),
                (S.RUNNING,),
                S.DONE,
                None,
                guards=("every_row_written",),
                effects=("record_file",),
                payload=("rows", "sha256"),
                notify=("owner",),
            ),
            Transition(
                "fail",
                _("生成失败"),
                (S.QUEUED, S.RUNNING),
                S.FAILED,
                None,
                effects=("record_failure",),
                payload=("error",),
                notify=("owner",),
            ),
        ),
        registries={"guard": "shenbao.exports.steps.GUARDS", "effect": "shenbao.exports.steps.EFFECTS"},
        notify="shenbao.exports.steps.notify_step",
        lock_related=("owner",),
    )
)
