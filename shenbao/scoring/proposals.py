"""The one rule tying the proposed list (拟授牌名单) to the experts' ranking (notice 三3 → 三4).

When the call formed an expert panel (评审专家组) for a project type, its proposed list is the top N of the
ranking (评审排名), N within the quota as `ranking.check_proposal_count` decides; a hand-picked selection is
refused. Without a panel (a call that uses no expert review) the administrator still picks by hand.

`opinions.services.propose_applications` calls `check_selection_follows_ranking`, so both ways of proposing —
the ranking page (`services_ranking.confirm_proposed_list`) and the opinions page — pass through this check.
Nothing here imports `opinions`: that app depends on this module, not the other way round.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shenbao.experts.selectors import has_panel

from .ranking import check_proposal_count, proposed_rows
from .selectors import get_ranking

RULE_MESSAGE = gettext_lazy(
    "该项目类别已组织专家评审，拟授牌名单须按评审排名从高到低确定，不能另行挑选；请在“评审排名”页面确定拟授牌名单。"
)


def proposal_follows_ranking(*, call, project_type):
    """True when `project_type` of `call` has an expert panel, so its proposed list must come from the ranking."""
    return has_panel(call=call, project_type=project_type)


@dataclass
class RankedProposal:
    """What the ranking proposes: the top `count` rows (the suggestion shown to the administrator)."""

    ranking: object
    count: int
    rows: list
    errors: list
    warnings: list


def suggest_ranked_proposal(*, call, project_type, ranking=None):
    """The ranking-based list: as many as pass the line, at most the quota's upper bound, and the verdict on it."""
    if ranking is None:
        ranking = get_ranking(call=call, project_type=project_type)
    count = min(project_type.quota_max, len(ranking.passing))
    errors, warnings = check_proposal_count(
        ranking=ranking, count=count, quota_min=project_type.quota_min, quota_max=project_type.quota_max
    )
    return RankedProposal(
        ranking=ranking, count=count, rows=proposed_rows(ranking=ranking, count=count), errors=errors, warnings=warnings
    )


def check_ranked_selection(*, ranking, selected_keys, quota_min, quota_max):
    """(errors, warnings) for proposing exactly `selected_keys` (public ids) from `ranking`.

    The selection must be the top N rows, N = its size, and N must pass `check_proposal_count` (quota, pass
    line, nobody still being scored, no undecided tie at the cut). Errors start with the rule itself.
    """
    chosen = list(dict.fromkeys(str(key) for key in selected_keys))
    count = len(chosen)
    errors, warnings = check_proposal_count(ranking=ranking, count=count, quota_min=quota_min, quota_max=quota_max)
    top = proposed_rows(ranking=ranking, count=count)
    if set(chosen) != {row.key for row in top}:
        names = "、".join(
            _("第%(position)s名 %(number)s") % {"position": row.position, "number": row.candidate.item.number}
            for row in top
        ) or _("无")
        errors.append(
            _("所选%(count)s个单位不是评审排名的前%(count)s位（按排名应为：%(names)s）。")
            % {"count": count, "names": names}
        )
    if errors:
        errors.insert(0, str(RULE_MESSAGE))
    return errors, warnings


def check_selection_follows_ranking(*, call, project_type, selected, ranking=None):
    """The quota warnings of a ranking-based list; ValidationError (each message coded "not_by_ranking") else.

    `selected` holds applications or public ids. Does nothing (returns []) when the type has no expert panel.
    A caller that already computed `ranking` in the same transaction passes it so it is not recomputed.
    """
    if not proposal_follows_ranking(call=call, project_type=project_type):
        return []
    if ranking is None:
        ranking = get_ranking(call=call, project_type=project_type)
    errors, warnings = check_ranked_selection(
        ranking=ranking,
        selected_keys=[getattr(item, "public_id", item) for item in selected],
        quota_min=project_type.quota_min,
        quota_max=project_type.quota_max,
    )
    if errors:
        raise ValidationError([ValidationError(text, code="not_by_ranking") for text in errors])
    return warnings
