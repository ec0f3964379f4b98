from django.contrib.auth import views as auth_views
from django.urls import path

from cases import account_views
from cases.forms import LoginForm

urlpatterns = [
    path(
        "masuk/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("2fa/", account_views.otp_setup, name="otp_setup"),
    path("2fa/verifikasi/", account_views.otp_verify, name="otp_verify"),
    path("sandi/", auth_views.PasswordChangeView.as_view(success_url="/kasus/"), name="password_change"),
]
