from django.urls import path

from . import views

app_name = "calls"

urlpatterns = [
    path("", views.call_list, name="list"),
    path("<slug:slug>/", views.call_detail, name="detail"),
    path("<slug:slug>/attachments/<slug:code>/", views.call_attachment, name="attachment"),
]
