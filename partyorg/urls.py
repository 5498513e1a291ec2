from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from partyorg import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("organizations/", include("branches.urls")),
    path("members/", include("members.urls")),
    path("admission/", include("admission.urls")),
    path("admin/", admin.site.urls),
]
