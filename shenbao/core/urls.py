from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("c/<slug:slug>/", views.city_portal, name="city_portal"),
    path("statistics/", views.province_statistics, name="province_statistics"),
]
