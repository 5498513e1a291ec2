from django.urls import path

from members.views import records

app_name = "members"
urlpatterns = [
    path("", records.member_list, name="list"),
    path("new/", records.member_create, name="create"),
    path("<str:number>/", records.member_detail, name="detail"),
    path("<str:number>/edit/", records.member_edit, name="edit"),
    path("<str:number>/transfer/", records.member_transfer, name="transfer"),
]
