from django.urls import path

from . import views, views_materials, views_paper, views_reuse, views_search

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("views/", views_search.save_view, name="save_view"),
    path("views/<uuid:public_id>/delete/", views_search.delete_view, name="delete_view"),
    path("start/<slug:call_slug>/", views.application_start, name="start"),
    path("start/<slug:call_slug>/copy/", views_reuse.application_copy, name="copy"),
    path("<uuid:public_id>/", views.application_detail, name="detail"),
    path("<uuid:public_id>/sections/<slug:key>/", views.application_section, name="section"),
    path("<uuid:public_id>/copied/", views_reuse.application_copy_report, name="copy_report"),
    path("<uuid:public_id>/sections/<slug:key>/tables/<slug:table>.xlsx", views_reuse.table_xlsx, name="table_xlsx"),
    path(
        "<uuid:public_id>/sections/<slug:key>/tables/<slug:table>/import/",
        views_reuse.table_import,
        name="table_import",
    ),
    path("<uuid:public_id>/submit/", views.application_submit, name="submit"),
    path("<uuid:public_id>/transition/<slug:name>/", views.application_transition, name="transition"),
    path("<uuid:public_id>/versions/<int:sequence>/", views.application_version, name="version"),
    path("<uuid:public_id>/materials/", views_materials.materials, name="materials"),
    path("<uuid:public_id>/paper-copies/", views_paper.paper_receipt, name="paper_receipt"),
    path("<uuid:public_id>/signed-scan/", views_paper.signed_scan_upload, name="signed_scan_upload"),
    path("signed-scans/<uuid:scan_public_id>/", views_paper.signed_scan_download, name="signed_scan_download"),
    path("materials/<uuid:material_public_id>/download/", views_materials.material_download, name="material_download"),
]
