from django.urls import path

from . import views, views_progress, views_ranking

app_name = "scoring"

urlpatterns = [
    path("", views.my_assignments, name="my_assignments"),
    path("assignments/<uuid:public_id>/", views.assignment_detail, name="assignment"),
    path("assignments/<uuid:public_id>/sheet/", views.sheet, name="sheet"),
    path(
        "assignments/<uuid:public_id>/materials/<uuid:material_public_id>/",
        views.material_download,
        name="material",
    ),
    path("assignments/<uuid:public_id>/documents/<slug:document>.pdf", views.document_pdf, name="document"),
    path("sheets/<uuid:public_id>/score-sheet.pdf", views.sheet_pdf, name="sheet_pdf"),
    path("sheets/<uuid:public_id>/reopen/", views_progress.reopen, name="reopen"),
    path("panels/", views_progress.panel_list, name="panels"),
    path("panels/<uuid:public_id>/", views_progress.panel_progress, name="progress"),
    path("panels/<uuid:public_id>/remind/", views_progress.remind, name="remind"),
    path("ranking/", views_ranking.ranking, name="ranking"),
    path("ranking/tie-break/", views_ranking.tie_break, name="tie_break"),
    path("ranking/propose/", views_ranking.propose, name="propose"),
    path("ranking/export.<slug:file_format>", views_ranking.export, name="export"),
]
