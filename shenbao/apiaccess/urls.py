from django.urls import path

from . import views

app_name = "apiaccess"

urlpatterns = [
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("<uuid:public_id>/revoke/", views.account_revoke, name="revoke"),
]
