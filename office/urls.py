"""Every page of the site. Each item of the main navigation is one URL namespace, which
is how a page knows its item (office/context_processors.py)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from office import accounts, holidays, home, offline, passwords, sign_in, two_factor
from personal import views as personal

urlpatterns = [
    path("", home.home, name="home"),
    path("service-worker.js", offline.service_worker, name="service_worker"),
    path("login/", sign_in.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/verify/", two_factor.verify, name="two_factor_verify"),
    path("account/password/", passwords.change_own, name="password_change"),
    path("account/users/", passwords.account_list, name="account_list"),
    path("account/users/new/", accounts.account_create, name="account_create"),
    path("account/users/<int:pk>/password/", passwords.account_password, name="account_password"),
    path("account/users/<int:pk>/role/", accounts.account_role, name="account_role"),
    path("account/two-factor/", two_factor.setup, name="two_factor_setup"),
    path("account/two-factor/off/", two_factor.disable, name="two_factor_disable"),
    path("account/reminders/", personal.reminder_settings, name="reminder_settings"),
    path("me/", include("personal.urls")),
    path("holidays/", holidays.holiday_list, name="holidays"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("organizations/", include("office.organizations.urls")),
    path("organizations/", include("branchwork.urls.meetings")),
    path("members/", include("members.urls")),
    # Transfer letters, badges, evaluations, dues, the removal rule and inspections, at
    # their paths under /members/ and /organizations/.
    path("", include("branchwork.urls.record_work")),
    path("admission/", include("admission.urls")),
    path("imports/", include("office.imports.urls")),
    path("reports/", include("reports.urls")),
    path("documents/", include("papers.urls")),
    path("audit/", include("office.audit.urls")),
    path("admin/", admin.site.urls),
]
