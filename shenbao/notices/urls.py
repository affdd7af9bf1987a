from django.urls import path

from . import views, views_calendar, views_public

app_name = "notices"

urlpatterns = [
    # Public (no log-in): 公示 and 异议
    path("public/", views_public.public_list, name="public_list"),
    path("public/receipt/", views_public.objection_receipt, name="objection_receipt"),
    path("public/<uuid:public_id>/", views_public.public_detail, name="public_detail"),
    path("public/<uuid:public_id>/objection/", views_public.objection_form, name="object"),
    # Working-day calendar (申报管理员, 系统管理员)
    path("calendar/", views_calendar.calendar_overview, name="calendar"),
    path("calendar/day/", views_calendar.calendar_day, name="calendar_day"),
    path("calendar/day/remove/", views_calendar.calendar_day_remove, name="calendar_day_remove"),
    path("calendar/year/", views_calendar.calendar_year, name="calendar_year"),
    path("calendar/import/", views_calendar.calendar_import, name="calendar_import"),
    # Administration of notices and objections (申报管理员)
    path("", views.notice_list, name="list"),
    path("publish/", views.notice_publish, name="publish"),
    path("objections/", views.objection_list, name="objections"),
    path("objections/<uuid:public_id>/", views.objection_detail, name="objection_detail"),
    path("evidence/<uuid:public_id>/", views.evidence_download, name="evidence_download"),
    path("<uuid:public_id>/", views.notice_detail, name="detail"),
    # The 公示 for the bureau's own website (HTML fragment, DOCX)
    path("<uuid:public_id>/export.html", views.notice_export, {"fmt": "html"}, name="export_html"),
    path("<uuid:public_id>/export.docx", views.notice_export, {"fmt": "docx"}, name="export_docx"),
]
