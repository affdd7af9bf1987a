"""Guard of the `publish_in_notice` step: every department has answered and no objection stands (三4 → 三5)."""

from .selectors import list_request_rows


def opinions_complete_without_objection(*, application, actor, payload, at):
    rows = list(list_request_rows(application=application))
    if not rows:
        return [f"「{application.unit.name}」尚未征求意见。"]
    reasons = []
    waiting = [row.department.name for row in rows if row.is_open]
    if waiting:
        reasons.append(f"「{application.unit.name}」尚有部门未反馈意见：{'、'.join(waiting)}。")
    standing = [row.department.name for row in rows if row.is_standing_objection]
    if standing:
        reasons.append(f"「{application.unit.name}」有{'、'.join(standing)}提出异议，尚待申报管理员研究决定。")
    return reasons
