from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("new/<str:kind>/", views.request_job, name="request"),
    path("<uuid:public_id>/", views.job_detail, name="detail"),
    path("<uuid:public_id>/progress/", views.job_progress, name="progress"),
    path("<uuid:public_id>/download/", views.job_download, name="download"),
]
