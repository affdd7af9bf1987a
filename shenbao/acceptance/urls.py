from django.urls import path

from . import views, views_admin, views_evaluation, views_expert

app_name = "acceptance"

urlpatterns = [
    # The unit (and the city's administrator): designated projects, reports, evaluations, rectification.
    path("", views.home, name="home"),
    path("projects/<uuid:public_id>/", views.project_detail, name="project_detail"),
    path("projects/<uuid:public_id>/reports/<int:year>/start/", views.report_start, name="report_start"),
    path("projects/<uuid:public_id>/evaluation/start/", views_evaluation.evaluation_start, name="evaluation_start"),
    path("reports/<uuid:public_id>/", views.report_detail, name="report_detail"),
    path("reports/<uuid:public_id>/edit/", views.report_edit, name="report_edit"),
    path("reports/<uuid:public_id>/evidence/", views.report_evidence, name="report_evidence"),
    path("reports/<uuid:public_id>/review/", views.report_review, name="report_review"),
    path("evidence/<uuid:public_id>/", views.evidence_download, name="evidence_download"),
    path("evidence/<uuid:public_id>/remove/", views.evidence_remove, name="evidence_remove"),
    path("evaluations/<uuid:public_id>/", views_evaluation.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<uuid:public_id>/edit/", views_evaluation.evaluation_edit, name="evaluation_edit"),
    path("evaluations/<uuid:public_id>/evidence/", views_evaluation.evaluation_evidence, name="evaluation_evidence"),
    path("evaluations/<uuid:public_id>/result.pdf", views_evaluation.evaluation_pdf, name="evaluation_pdf"),
    path("rectifications/<uuid:public_id>/", views_evaluation.rectification_edit, name="rectification_edit"),
    path(
        "rectifications/<uuid:public_id>/evidence/",
        views_evaluation.rectification_evidence,
        name="rectification_evidence",
    ),
    # The call administrator.
    path("admin/reports/", views_admin.admin_reports, name="admin_reports"),
    path("admin/evaluations/", views_admin.admin_evaluations, name="admin_evaluations"),
    path("evaluations/<uuid:public_id>/assign/", views_admin.evaluation_assign, name="evaluation_assign"),
    path("evaluations/<uuid:public_id>/decide/", views_admin.evaluation_decide, name="evaluation_decide"),
    path(
        "evaluations/<uuid:public_id>/rectification-missed/",
        views_admin.rectification_close,
        name="rectification_close",
    ),
    path("reviews/<uuid:public_id>/remove/", views_admin.review_remove, name="review_remove"),
    # Experts.
    path("reviews/", views_expert.expert_reviews, name="expert_reviews"),
    path("reviews/<uuid:public_id>/", views_expert.review_sheet, name="review_sheet"),
]
