from django.urls import path

from . import views, views_editor, views_extensions

app_name = "calls"

urlpatterns = [
    path("", views.call_list, name="list"),
    # The call editor (技能办); before "<slug>/" so its paths are never read as a call's slug.
    path("editor/", views_editor.editor_list, name="editor_list"),
    path("editor/<slug:slug>/", views_editor.editor_detail, name="editor_detail"),
    path("editor/<slug:slug>/copy/", views_editor.editor_copy, name="editor_copy"),
    path("editor/<slug:slug>/sections/<slug:section>/", views_editor.editor_section, name="editor_section"),
    path("editor/<slug:slug>/types/<slug:code>/", views_editor.editor_project_type, name="editor_project_type"),
    path(
        "editor/<slug:slug>/types/<slug:code>/remove/",
        views_editor.editor_project_type_remove,
        name="editor_project_type_remove",
    ),
    path(
        "editor/<slug:slug>/attachments/upload/",
        views_editor.editor_attachment_upload,
        name="editor_attachment_upload",
    ),
    path("editor/<slug:slug>/preview/", views_editor.editor_preview, name="editor_preview"),
    path("editor/<slug:slug>/publish/", views_editor.editor_publish, name="editor_publish"),
    path("editor/<slug:slug>/export/", views_editor.editor_export, name="editor_export"),
    path("editor/<slug:slug>/extensions/", views_extensions.extension_list, name="extension_list"),
    path(
        "editor/<slug:slug>/extensions/<uuid:public_id>/revoke/",
        views_extensions.extension_revoke,
        name="extension_revoke",
    ),
    path("<slug:slug>/", views.call_detail, name="detail"),
    path("<slug:slug>/attachments/<slug:code>/", views.call_attachment, name="attachment"),
]
