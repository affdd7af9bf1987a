from django.urls import path

from . import otp_views, views

app_name = "security"

urlpatterns = [
    path("otp/enrol/", otp_views.enrol, name="otp_enrol"),
    path("otp/verify/", otp_views.verify, name="otp_verify"),
    path("policy/", views.policy, name="policy"),
    path("lockouts/", views.lockouts, name="lockouts"),
    path("lockouts/unlock/", views.unlock, name="unlock"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/<uuid:public_id>/terminate/", views.terminate_session, name="terminate_session"),
    path("second-factor/", views.second_factor_users, name="second_factor_users"),
    path("second-factor/<uuid:public_id>/reset/", views.reset_second_factor, name="reset_second_factor"),
]
