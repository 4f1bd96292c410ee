from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .auth import two_step_views
from .auth import views as sign_in_views
from .forms import PasswordResetForm, SetPasswordForm

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("accounts/preferences/", views.preferences, name="preferences"),
    path("accounts/login/", sign_in_views.SignInView.as_view(), name="login"),
    path("accounts/login/code/", two_step_views.enter_code, name="two-step-code"),
    path("accounts/two-step/", two_step_views.overview, name="two-step"),
    path("accounts/two-step/set-up/", two_step_views.set_up, name="two-step-set-up"),
    path(
        "accounts/two-step/recovery-codes/",
        two_step_views.recovery_codes,
        name="two-step-recovery-codes",
    ),
    path("accounts/two-step/turn-off/", two_step_views.turn_off, name="two-step-turn-off"),
    # Single sign-on (404 unless OIDC_RP_CLIENT_ID is set). Register
    # https://<host>/oidc/callback/ as the redirect URI with the identity provider.
    path(
        "oidc/authenticate/", sign_in_views.StartSignIn.as_view(), name="oidc_authentication_init"
    ),
    path(
        "oidc/callback/", sign_in_views.FinishSignIn.as_view(), name="oidc_authentication_callback"
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=SetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
