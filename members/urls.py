from django.urls import path

from members.views import badges, dues, evaluations, exits, lifecycle, records, removal, transfers

app_name = "members"
urlpatterns = [
    path("", records.member_list, name="list"),
    path("new/", records.member_create, name="create"),
    path("<str:number>/", records.member_detail, name="detail"),
    path("<str:number>/edit/", records.member_edit, name="edit"),
    path("<str:number>/transfer/", records.member_transfer, name="transfer"),
]

# Member lifecycle (issue 5). Every path has a second segment other than those of a
# member above, so none is caught by "<str:number>/".
urlpatterns += [
    path("<str:number>/exempt/", exits.member_exempt, name="exempt"),
    path("<str:number>/resume/", exits.member_resume, name="resume"),
    path("<str:number>/exit/", exits.member_exit, name="exit"),
    path("<str:number>/readmit/", exits.member_readmit, name="readmit"),
    path("<str:number>/transfer-letter/", transfers.transfer_new, name="transfer_new"),
    path("lifecycle/overview/", lifecycle.overview, name="lifecycle"),
    path("lifecycle/transfers/", transfers.transfer_list, name="transfers"),
    path("lifecycle/receive/", transfers.transfer_receive, name="transfer_receive"),
    path("transfers/<int:pk>/", transfers.transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/accept/", transfers.transfer_accept, name="transfer_accept"),
    path("transfers/<int:pk>/reject/", transfers.transfer_reject, name="transfer_reject"),
    path("transfers/<int:pk>/cancel/", transfers.transfer_cancel, name="transfer_cancel"),
    path("transfers/<int:pk>/end/", transfers.transfer_end, name="transfer_end"),
    path("lifecycle/badges/", badges.badge_list, name="badges"),
    path("lifecycle/badges-print/", badges.badge_print, name="badges_print"),
    path("lifecycle/badges-award/", badges.badge_award, name="badges_award"),
    path(
        "evaluations/<str:code>/<int:year>/",
        evaluations.evaluation_members,
        name="evaluation_members",
    ),
    path(
        "evaluations/<str:code>/<int:year>/organizations/",
        evaluations.evaluation_organizations,
        name="evaluation_organizations",
    ),
    path("dues/<str:code>/<int:year>/<int:month>/", dues.dues_sheet, name="dues_sheet"),
    path("lifecycle/removal/", removal.removal_list, name="removal"),
]
