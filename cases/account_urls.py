from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from cases import account_views

urlpatterns = [
    path("masuk/", account_views.LoginView.as_view(), name="login"),
    path("sesi/", account_views.session_keepalive, name="session_keepalive"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("2fa/", account_views.otp_setup, name="otp_setup"),
    path("2fa/verifikasi/", account_views.otp_verify, name="otp_verify"),
    path(
        "sandi/", auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("cases:inbox")), name="password_change"
    ),
]
