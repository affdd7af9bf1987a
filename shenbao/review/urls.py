from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("", views.first_review_queue, name="first_review_queue"),
    path("batch/", views.first_review_batch, name="first_review_batch"),
    path("summary/", views.first_review_summary, name="first_review_summary"),
    path("recheck/", views.recheck_queue, name="recheck_queue"),
    path("recheck/<uuid:public_id>/", views.recheck_detail, name="recheck"),
    path("<uuid:public_id>/", views.first_review_detail, name="first_review"),
    path("<uuid:public_id>/seal/", views.first_review_seal, name="first_review_seal"),
    path("seals/<uuid:seal_public_id>/", views.seal_download, name="seal_download"),
]
