"""The city portal's list of public notices (公示) in the service hall, mounted by `core.urls` (an include by dotted
path, like the project's URLconf mounts every app): the name stays `core:city_service_notices`."""

from django.urls import path

from . import views_public

urlpatterns = [
    path("c/<slug:slug>/service/notices/", views_public.public_list, name="city_service_notices"),
]
