from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("<uuid:public_id>/print/", views.print_view, name="print"),
    path(
        "<uuid:public_id>/<slug:document>.pdf",
        views.application_document,
        {"file_format": "pdf"},
        name="application_pdf",
    ),
    path(
        "<uuid:public_id>/<slug:document>.docx",
        views.application_document,
        {"file_format": "docx"},
        name="application_docx",
    ),
    # Not ending in .pdf/.docx: polling the progress is not the expensive work the download limit counts.
    path(
        "<uuid:public_id>/<slug:document>/<slug:file_format>/progress/",
        views.rendering_progress,
        name="rendering_progress",
    ),
    path("<uuid:public_id>/<slug:document>/<slug:file_format>/retry/", views.rendering_retry, name="rendering_retry"),
]
