"""Ranking one project type's applications by their panel scores (评审排名), as pure functions.

Order (DOMAIN.md §6): the final score (the call's aggregation of the experts' totals), then the defence score
(答辩), then the material score (资料审查), each component aggregated by the same method; applications equal on all
three are ordered by the administrator's recorded decision (a TieBreak), and stay marked as an unresolved tie
(并列) until one exists. Applications under the pass line keep their place in the list but are never proposed.
Only applications whose every active assignment has a submitted sheet are ranked; the others are pending.

Nothing here touches the database: selectors gather `Candidate`s, services decide with the result.
"""

from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import groupby
from typing import Any

from django.utils.translation import gettext as _

from shenbao.calls.aggregation import AggregationRule


@dataclass(frozen=True)
class SheetScore:
    """One expert's submitted sheet: the total and its material / defence parts."""

    total: Decimal
    material: Decimal
    defence: Decimal


@dataclass
class Candidate:
    """An application to rank: `key` (its public id), the submitted sheets of its active assignments."""

    key: str
    sheets: tuple = ()
    expected: int = 0  # number of active assignments
    order: Any = ""  # fallback order inside an unresolved tie (the application number)
    item: Any = None  # what the page shows (`ranking_selectors.RankedApplication`)
    submitted: int | None = None  # the number of sheets, kept when they are dropped (`summarised`)

    @property
    def complete(self):
        return self.expected > 0 and len(self.sheets) == self.expected

    @property
    def sheet_count(self):
        return len(self.sheets) if self.submitted is None else self.submitted

    def summarised(self):
        """The candidate without its sheets' scores, which only ranking it needed."""
        return replace(self, sheets=(), submitted=self.sheet_count)


@dataclass
class RankedRow:
    candidate: Candidate
    position: int  # 1-based place in the list
    rank: int  # shown rank: equal for the members of an unresolved tie (并列)
    final: Decimal
    material: Decimal
    defence: Decimal
    passes: bool
    tie_keys: tuple = ()  # the whole tie group (own key included) when equal on all three scores
    tie_resolved: bool = False
    method_note: str = ""  # why this row was aggregated otherwise than the call says (too few sheets), if it was

    @property
    def key(self):
        return self.candidate.key

    @property
    def unresolved_tie(self):
        return bool(self.tie_keys) and not self.tie_resolved


@dataclass
class Ranking:
    rows: list = field(default_factory=list)
    pending: list = field(default_factory=list)

    @property
    def passing(self):
        return [row for row in self.rows if row.passes]

    def summarised(self):
        """The ranking as the page shows it, its candidates without their sheets' scores: what the cache keeps of a
        large call (a type of 1,485 applications: 22 ms to read back with them, 5 ms without)."""
        return Ranking(
            rows=[replace(row, candidate=row.candidate.summarised()) for row in self.rows],
            pending=[candidate.summarised() for candidate in self.pending],
        )

    @property
    def unresolved_ties(self):
        """Each unresolved tie group once, as a list of rows in list order."""
        groups = {}
        for row in self.rows:
            if row.unresolved_tie:
                groups.setdefault(row.tie_keys, []).append(row)
        return list(groups.values())


def _scores(candidate, rule):
    sheets = candidate.sheets
    return (
        rule.aggregate([sheet.total for sheet in sheets]),
        rule.aggregate([sheet.material for sheet in sheets]),
        rule.aggregate([sheet.defence for sheet in sheets]),
    )


def rank_candidates(*, candidates, rule: AggregationRule, pass_line, tie_breaks=None):
    """The Ranking of `candidates` by the call's aggregation `rule` (`aggregation.rule_of(call)`) and `pass_line`.

    `tie_breaks` maps a frozenset of keys (a tie group exactly as it stands) to those keys in the decided order;
    a decision about another group (scores changed since) does not apply.
    """
    tie_breaks = tie_breaks or {}
    scored, pending = [], []
    for candidate in candidates:
        if candidate.complete:
            scored.append((candidate, *_scores(candidate, rule)))
        else:
            pending.append(candidate)
    # Higher final, then higher defence, then higher material; the fallback order only makes the list stable.
    scored.sort(key=lambda item: (-item[1], -item[3], -item[2], str(item[0].order), item[0].key))
    rows = []
    for _scores_shared, group in groupby(scored, key=lambda item: item[1:]):
        group = list(group)
        keys = tuple(sorted(item[0].key for item in group)) if len(group) > 1 else ()
        decided = tie_breaks.get(frozenset(keys)) if keys else None
        if decided is not None:
            place = {key: index for index, key in enumerate(decided)}
            group.sort(key=lambda item: place[item[0].key])
        first_position = len(rows) + 1
        for offset, (candidate, final, material, defence) in enumerate(group):
            position = first_position + offset
            rows.append(
                RankedRow(
                    candidate=candidate,
                    position=position,
                    rank=first_position if keys and decided is None else position,
                    final=final,
                    material=material,
                    defence=defence,
                    passes=final >= pass_line,
                    tie_keys=keys,
                    tie_resolved=decided is not None,
                    method_note=rule.note(len(candidate.sheets)),
                )
            )
    pending.sort(key=lambda candidate: (str(candidate.order), candidate.key))
    return Ranking(rows=rows, pending=pending)


def check_proposal_count(*, ranking, count, quota_min, quota_max):
    """(errors, warnings) for proposing the top `count` rows of `ranking` (notice 五: quota_min..quota_max).

    More than the quota is refused; fewer than its lower bound only when fewer applications pass the line, and
    then every passing one is proposed (with a warning). Pending applications and an unresolved tie at the cut
    are refused too: the list would otherwise depend on scores not given yet or on an arbitrary order.
    """
    errors, warnings = [], []
    passing = len(ranking.passing)
    if ranking.pending:
        errors.append(
            _("尚有%(count)s个申报未完成专家评分，全部评分提交后才能确定拟授牌名单。") % {"count": len(ranking.pending)}
        )
    if count < 0:
        errors.append(_("拟授牌数量不能为负数。"))
    elif count > quota_max:
        errors.append(_("拟授牌数量不能超过名额上限%(quota_max)s个。") % {"quota_max": quota_max})
    elif count > passing:
        errors.append(
            _("达到合格分数线的申报只有%(passing)s个，拟授牌数量不能超过%(passing)s个。") % {"passing": passing}
        )
    elif count < quota_min:
        if passing >= quota_min:
            errors.append(_("拟授牌数量不能少于名额下限%(quota_min)s个。") % {"quota_min": quota_min})
        elif count < passing:
            errors.append(_("达到合格分数线的申报只有%(passing)s个，应全部列入拟授牌名单。") % {"passing": passing})
        else:
            warnings.append(
                _("达到合格分数线的申报只有%(passing)s个，少于名额下限%(quota_min)s个。")
                % {"passing": passing, "quota_min": quota_min}
            )
    if not errors and 0 < count < len(ranking.rows):
        last, first_out = ranking.rows[count - 1], ranking.rows[count]
        if last.unresolved_tie and first_out.key in last.tie_keys:
            errors.append(
                _("第%(position)s名与第%(position2)s名得分完全相同（总分、答辩、资料审查均相同），请先决定并列名次。")
                % {"position": last.position, "position2": first_out.position}
            )
    return errors, warnings


def proposed_rows(*, ranking, count):
    """The top `count` rows (call `check_proposal_count` first)."""
    return ranking.rows[:count]
