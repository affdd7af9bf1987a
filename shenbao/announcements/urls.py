from django.urls import path

from . import views, views_public

app_name = "announcements"

urlpatterns = [
    # The call administrator's (申报管理员) pages
    path("announcements/", views.announcement_list, name="list"),
    path("announcements/new/", views.announcement_create, name="create"),
    path("announcements/<uuid:public_id>/", views.announcement_detail, name="detail"),
    path("announcements/<uuid:public_id>/edit/", views.announcement_edit, name="edit"),
    path("announcements/<uuid:public_id>/step/", views.announcement_step, name="step"),
    path("announcements/<uuid:public_id>/attachments/", views.attachment_upload, name="upload"),
    path("announcements/attachments/<uuid:public_id>/", views.attachment_download, name="download"),
    path("announcements/attachments/<uuid:public_id>/remove/", views.attachment_remove, name="remove"),
    # A city's portal (public, no log-in)
    path("c/<slug:slug>/announcements/", views_public.public_list, name="public_list"),
    path("c/<slug:slug>/announcements/<uuid:public_id>/", views_public.public_detail, name="public_detail"),
    path("c/<slug:slug>/announcements/files/<uuid:public_id>/", views_public.public_attachment, name="public_file"),
]
