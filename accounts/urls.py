from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="accounts-home"),
    path("accounts/login/", views.LoginView.as_view(), name="accounts-login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="accounts-logout"),
]
