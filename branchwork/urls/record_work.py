"""The Record work section: the member lifecycle (transfer letters, badges, evaluations,
dues, the removal rule) and inspections. Its pages keep the paths they had under
/members/ and /organizations/, so this module is included at the root."""

from django.urls import path

from branchwork.views import badges, dues, evaluations, inspections, overview, removal
from members.views import transfers

app_name = "record_work"
urlpatterns = [
    path("members/lifecycle/overview/", overview.overview, name="overview"),
    path("members/lifecycle/transfers/", transfers.transfer_list, name="transfers"),
    path("members/lifecycle/receive/", transfers.transfer_receive, name="transfer_receive"),
    path("members/transfers/<int:pk>/", transfers.transfer_detail, name="transfer_detail"),
    path(
        "members/transfers/<int:pk>/letter.pdf", transfers.transfer_letter, name="transfer_letter"
    ),
    path("members/transfers/<int:pk>/accept/", transfers.transfer_accept, name="transfer_accept"),
    path("members/transfers/<int:pk>/reject/", transfers.transfer_reject, name="transfer_reject"),
    path("members/transfers/<int:pk>/cancel/", transfers.transfer_cancel, name="transfer_cancel"),
    path("members/transfers/<int:pk>/end/", transfers.transfer_end, name="transfer_end"),
    path("members/lifecycle/badges/", badges.badge_list, name="badges"),
    path("members/lifecycle/badges-print/", badges.badge_print, name="badges_print"),
    path("members/lifecycle/badges-award/", badges.badge_award, name="badges_award"),
    path(
        "members/evaluations/<str:code>/<int:year>/",
        evaluations.evaluation_members,
        name="evaluation_members",
    ),
    path(
        "members/evaluations/<str:code>/<int:year>/organizations/",
        evaluations.evaluation_organizations,
        name="evaluation_organizations",
    ),
    path("members/dues/<str:code>/<int:year>/<int:month>/", dues.dues_sheet, name="dues_sheet"),
    path("members/lifecycle/removal/", removal.removal_list, name="removal"),
    path("organizations/<str:code>/inspections/", inspections.inspection_list, name="inspections"),
    path(
        "organizations/<str:code>/inspections/new/",
        inspections.inspection_create,
        name="inspection_create",
    ),
]
