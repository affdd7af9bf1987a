"""评估验收结论 (the acceptance result) as a PDF in the house style (`shenbao.documents.pdf.render_template_pdf`,
embedded Noto CJK fonts). An official paper: fixed Chinese wording, not translated."""

from shenbao.documents.content import chinese_date
from shenbao.documents.pdf import render_template_pdf
from shenbao.documents.services import safe_filename

from . import bands
from .selectors import list_item_results


def build_result(*, evaluation):
    application = evaluation.application
    project_type = application.project_type
    items = list_item_results(evaluation=evaluation)
    if evaluation.passed:
        outcome = "验收合格。按规定拨付剩余建设扶持经费。"
    elif evaluation.rectification_missed:
        outcome = "整改期满未提交整改报告，复评不合格，撤销命名。"
    elif evaluation.round >= 2:
        outcome = "整改后复评仍不合格，撤销命名，剩余建设扶持经费不予拨付。"
    else:
        outcome = "验收不合格。请按期整改并提交整改报告，整改后可申请复评一次。"
    return {
        "title": f"{project_type.name}评估验收结论",
        "application": application,
        "unit_name": application.unit.name,
        "project_type": project_type.name,
        "period": f"{chinese_date(project_type.construction_start)}至{chinese_date(project_type.construction_end)}",
        "round": "整改后复评" if evaluation.round > 1 else "首次验收",
        "evaluation": evaluation,
        "items": [
            {
                "name": result.rubric_item.name,
                "max_points": result.max_points,
                "points": result.points,
                "minimum": bands.item_minimum(result.max_points, share=bands.main_item_ratio_of(project_type)),
                "below": result.below_minimum,
            }
            for result in items
        ],
        "band": evaluation.get_band_display(),
        "outcome": outcome,
        "conclusion": evaluation.conclusion,
        "issuing_bodies": list(application.call.issuing_bodies or []),
        "date": chinese_date(evaluation.decided_on),
    }


def render_result_pdf(*, evaluation):
    return render_template_pdf(template="acceptance/pdf/result.html", context=build_result(evaluation=evaluation))


def result_filename(evaluation):
    application = evaluation.application
    return safe_filename(application.number, application.unit.name, f"评估验收结论（第{evaluation.round}轮）")
