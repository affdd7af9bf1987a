from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("", views.award, name="award"),
    path("designations/<uuid:public_id>.pdf", views.designation_pdf, name="designation_pdf"),
    path("plaques/<uuid:public_id>.pdf", views.plaque_pdf, name="plaque_pdf"),
]
