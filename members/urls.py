from django.urls import path

from members.views import exits, positions, records, transfers

app_name = "members"
urlpatterns = [
    path("", records.member_list, name="list"),
    # Organization codes are upper case: "positions/<code>/" is never a member's step.
    path("positions/<str:code>/", positions.node_positions, name="positions"),
    path("positions/<str:code>/<int:pk>/end/", positions.end_position, name="end_position"),
    path("new/", records.member_create, name="create"),
    path("<str:number>/", records.member_detail, name="detail"),
    path("<str:number>/edit/", records.member_edit, name="edit"),
]

# Member lifecycle (issue 5). The record work pages (branchwork/urls/record_work.py)
# share this prefix: each of their paths has a second segment other than those of a
# member here, so none is caught by "<str:number>/".
urlpatterns += [
    path("<str:number>/exempt/", exits.member_exempt, name="exempt"),
    path("<str:number>/resume/", exits.member_resume, name="resume"),
    path("<str:number>/exit/", exits.member_exit, name="exit"),
    path("<str:number>/readmit/", exits.member_readmit, name="readmit"),
    path("<str:number>/transfer-letter/", transfers.transfer_new, name="transfer_new"),
]
