from django.urls import include, path

from . import activation_views, admin_roles_views, invitations_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/done/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/complete/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("profile/", views.profile, name="profile"),
    path("email/", views.email_change, name="email_change"),
    path("email/confirm/<str:token>/", views.email_change_confirm, name="email_change_confirm"),
    path("", include("shenbao.organisations.registration_urls")),
    path("invitations/", invitations_views.invite, name="invite"),
    path("invitations/<uuid:public_id>/revoke/", invitations_views.revoke_invitation, name="revoke_invitation"),
    path("invitations/<str:token>/", invitations_views.accept_invitation, name="accept_invitation"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<uuid:public_id>/roles/", views.user_roles, name="user_roles"),
    path("users/<uuid:public_id>/activation/", activation_views.resend_activation, name="resend_activation"),
    path("activate/<str:token>/", activation_views.activate, name="activate"),
    path("admin-roles/", admin_roles_views.admin_role_changes, name="admin_roles"),
    path(
        "admin-roles/<uuid:public_id>/confirm/", admin_roles_views.confirm_admin_role_change, name="admin_role_confirm"
    ),
    path("admin-roles/<uuid:public_id>/reject/", admin_roles_views.reject_admin_role_change, name="admin_role_reject"),
]
