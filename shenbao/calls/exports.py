"""A call back as its call document (the dict of a call file), and as YAML to download.

`export_call_document(call)` is what `load_call` would need to write `call` again: loading the YAML (with the
attachment files beside it, at the paths named) elsewhere gives an equal call. Numbers are written as text
("300000", "0.5") as the call files do, dates as ISO text, the deadline in Beijing time.
"""

from pathlib import Path

import yaml
from django.utils import timezone

from .models import Call, RubricItem
from .schema import BEIJING
from .selectors import with_everything


def _number(value):
    return f"{value.normalize():f}"


def _date(value):
    return value.isoformat()


def _codes(unit_types):
    return [
        unit_type.code for unit_type in sorted(unit_types, key=lambda unit_type: (unit_type.sort_order, unit_type.pk))
    ]


def attachment_path(call, attachment):
    """Where the attachment file sits beside the exported YAML: `<slug>/<code><suffix>`."""
    return f"{call.slug}/{attachment.code}{Path(attachment.file.name).suffix.lower()}"


def _fetch(call):
    return with_everything(Call.objects.all()).get(pk=call.pk)


def _rule(rule):
    data = {"code": rule.code, "clause": rule.clause, "kind": rule.kind, "description": rule.description}
    if rule.metric:
        data.update(metric=rule.metric, operator=rule.operator, threshold=_number(rule.threshold))
    applies = _codes(rule.applies_to_unit_types.all())
    if applies:
        data["applies_to_unit_types"] = applies
    return data


def _material(material):
    return {
        "code": material.code,
        "name": material.name,
        "clause": material.clause,
        "description": material.description,
        "required": material.required,
        "generated": material.generated,
        "multiple": material.allow_multiple,
        "accepted_formats": list(material.accepted_formats),
        "max_size_mb": material.max_size_mb,
    }


def _rubric(items, rubric):
    return [
        {
            "code": item.code,
            "group": item.group,
            "name": item.name,
            "description": item.description,
            "max_points": _number(item.max_points),
        }
        for item in items
        if item.rubric == rubric
    ]


def _project_type(project_type):
    items = list(project_type.rubric_items.all())
    return {
        "code": project_type.code,
        "name": project_type.name,
        "plaque_title": project_type.plaque_title,
        "clause": project_type.clause,
        "allowed_unit_types": _codes(project_type.allowed_unit_types.all()),
        "quota_min": project_type.quota_min,
        "quota_max": project_type.quota_max,
        "funding_amount": _number(project_type.funding_amount),
        "construction_start": _date(project_type.construction_start),
        "construction_end": _date(project_type.construction_end),
        "score_step": _number(project_type.score_step),
        "pass_line": _number(project_type.pass_line),
        "rectification_months": project_type.rectification_months,
        "plaque_number_prefix": project_type.plaque_number_prefix,
        "acceptance_bands": {
            "excellent": _number(project_type.acceptance_excellent_min),
            "good": _number(project_type.acceptance_good_min),
            "qualified": _number(project_type.acceptance_qualified_min),
            "main_item_min_ratio": _number(project_type.acceptance_main_item_min_ratio),
        },
        "progress_report_due": {
            "month": project_type.progress_report_due_month,
            "day": project_type.progress_report_due_day,
        },
        "instalments": [
            {"code": item.code, "name": item.name, "percent": _number(item.percent), "trigger": item.trigger}
            for item in project_type.instalments.all()
        ],
        "eligibility_rules": [_rule(rule) for rule in project_type.eligibility_rules.all()],
        "materials": [_material(material) for material in project_type.materials.all()],
        "selection_rubric": _rubric(items, RubricItem.Rubric.SELECTION),
        "acceptance_rubric": _rubric(items, RubricItem.Rubric.ACCEPTANCE),
    }


def export_call_document(call):
    """The call document of `call` (a dict, JSON- and YAML-safe), in the order of a call file."""
    call = _fetch(call)
    project_types = list(call.project_types.all())
    unit_types = {}
    for project_type in project_types:
        for unit_type in project_type.allowed_unit_types.all():
            unit_types[unit_type.pk] = unit_type
        for rule in project_type.eligibility_rules.all():
            for unit_type in rule.applies_to_unit_types.all():
                unit_types[unit_type.pk] = unit_type
    document = {
        "slug": call.slug,
        "year": call.year,
        "city": call.city.key,
        "title": call.title,
        "issuing_bodies": list(call.issuing_bodies),
        "published_on": _date(call.published_on),
        "deadline": timezone.localtime(call.submission_deadline, BEIJING).isoformat(),
        "submission_address": call.submission_address,
        "paper_copies": call.paper_copies,
        "contact_name": call.contact_name,
        "contact_phone": call.contact_phone,
        "body": call.body,
        "fund_source": call.fund_source,
        "recheck_bodies": list(call.recheck_bodies),
        "recheck_requires_all": call.recheck_requires_all,
        "consulted_functions": list(call.consulted_functions),
        "experts_per_application": call.experts_per_application,
        "acceptance_experts_per_application": call.acceptance_experts_per_application,
        "practice": call.is_practice,
        "score_aggregation": call.score_aggregation,
        "trim_minimum_scores": call.trim_minimum_scores,
        "notice_working_days": call.notice_working_days,
        "notice_counting": call.notice_counting,
        "first_review_due": _date(call.first_review_due) if call.first_review_due else None,
        "reapply_waiting_years": call.reapply_waiting_years,
        "application_number_prefix": call.application_number_prefix,
        "unit_types": [
            {"code": unit_type.code, "name": unit_type.name}
            for unit_type in sorted(unit_types.values(), key=lambda unit_type: (unit_type.sort_order, unit_type.pk))
        ],
        "attachments": [
            {"code": attachment.code, "title": attachment.title, "path": attachment_path(call, attachment)}
            for attachment in call.attachments.all()
        ],
        "project_types": [_project_type(project_type) for project_type in project_types],
    }
    for optional in ("first_review_due", "reapply_waiting_years"):
        if document[optional] is None:
            del document[optional]
    return document


def dump_call_yaml(document):
    """The call document as the text of a call file (UTF-8, Chinese unescaped, keys in file order)."""
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=1000)
