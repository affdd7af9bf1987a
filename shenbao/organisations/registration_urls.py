"""Self-registration of an applicant unit (单位注册), mounted under `accounts/` by `accounts.urls` (an include by
dotted path, like the project's URLconf mounts every app): the names stay `accounts:register` …"""

from django.urls import path

from . import registration_views

urlpatterns = [
    path("register/", registration_views.register, name="register"),
    path("register/credit-code/", registration_views.check_credit_code_fragment, name="check_credit_code"),
    path("register/confirm/<str:token>/", registration_views.register_confirm, name="register_confirm"),
]
