"""The 资格初审 checklist: every eligibility rule of the call with the system's result and the reviewer's judgement,
and every material of the project type (三1 审核申报资质、材料) with the files the unit handed in.

The system's results come from the eligibility check stored at submission (`Application.eligibility`, the same
list `metrics.evaluate_eligibility` returns). A rule that does not apply to the unit's type is listed as 不适用
and needs no judgement. Each material is judged too, with the current files (name and SHA-256) it was judged on,
so the record shows what was looked at. Judgements are posted as {code: {"judgement": "met" | "not_met",
"note": str}}, a material's code being `material:<requirement code>`.
"""

from django.db.models import Max
from django.utils.translation import gettext as _

from shenbao.applications.materials import list_material_rows
from shenbao.applications.metrics import evaluate_eligibility

from .models import Judgement

NOTE_MAX_LENGTH = 500
MATERIAL_PREFIX = "material:"
MATERIAL_KIND = "material"


def current_version_sequence(application):
    """The submitted version under review (0 before the first submission)."""
    return application.versions.aggregate(last=Max("sequence"))["last"] or 0


def eligibility_results(application):
    return application.eligibility or evaluate_eligibility(application=application)


def clean_items(items):
    """Only well-formed judgements and notes survive; anything else posted is dropped."""
    cleaned = {}
    for code, entry in (items or {}).items():
        if not isinstance(entry, dict):
            continue
        judgement = entry.get("judgement") or ""
        cleaned[str(code)] = {
            "judgement": judgement if judgement in Judgement.values else "",
            "note": str(entry.get("note") or "").strip()[:NOTE_MAX_LENGTH],
        }
    return cleaned


def material_rows(*, application):
    """One row per material requirement: what is asked and the unit's current files (`with_judgements` adds the
    reviewer's judgement)."""
    rows = []
    for row in list_material_rows(application=application):
        requirement = row.requirement
        files = [{"name": file.original_name, "sha256": file.sha256} for file in row.current_files]
        rows.append(
            {
                "code": MATERIAL_PREFIX + requirement.code,
                "clause": requirement.clause,
                "description": requirement.name,
                "kind": MATERIAL_KIND,
                "applies": True,
                "required": requirement.required,
                "generated": requirement.generated,
                "files": files,
            }
        )
    return rows


def checklist_rows(*, application, items):
    """One row per rule (the rule, the system's automatic result, the reviewer's judgement and note), then one per
    material (`material_rows`)."""
    rows = [
        {
            "code": result["code"],
            "clause": result["clause"],
            "description": result["description"],
            "kind": result["kind"],
            "applies": result["applies"],
            "auto_passed": result["passed"],
            "auto_value": result.get("value"),
            "auto_message": result.get("message", ""),
            "threshold": result.get("threshold"),
            "metric_label": result.get("metric_label", ""),
        }
        for result in eligibility_results(application)
    ]
    return with_judgements(rows + material_rows(application=application), items)


def with_judgements(rows, items):
    """`rows` with the reviewer's judgements and notes from `items` (cleaned; a rule that does not apply takes no
    judgement), without reading the application again: a posted checklist is judged on the rows the page read."""
    items = clean_items(items)
    return [
        {
            **row,
            "judgement": items.get(row["code"], {}).get("judgement", "") if row["applies"] else "",
            "note": items.get(row["code"], {}).get("note", ""),
        }
        for row in rows
    ]


def short_rule(row, length=24):
    text = row["description"]
    return f"{row['clause']} {text[:length]}{'…' if len(text) > length else ''}"


def checklist_problems(rows):
    """Chinese reasons a checklist does not allow a pass: an applicable rule unjudged, or a hard rule not met."""
    reasons = []
    for row in rows:
        if row["kind"] == MATERIAL_KIND:
            if not row["judgement"]:
                reasons.append(_("核查表未完成：请核查材料「%(name)s」。") % {"name": row["description"]})
            elif row["required"] and row["judgement"] == Judgement.NOT_MET:
                reasons.append(
                    _("必交材料「%(name)s」判定为不符合，不能通过初审；请退回修改或作不予通过处理。")
                    % {"name": row["description"]}
                )
            continue
        if not row["applies"]:
            continue
        if not row["judgement"]:
            reasons.append(_("核查表未完成：请判断「%(rule)s」是否符合。") % {"rule": short_rule(row)})
        elif row["kind"] == "hard" and row["judgement"] == Judgement.NOT_MET:
            reasons.append(
                _("硬性条件「%(rule)s」判定为不符合，不能通过初审；请退回修改或作不予通过处理。")
                % {"rule": short_rule(row)}
            )
    return reasons
