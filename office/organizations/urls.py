from django.urls import path

from office.organizations import restructure, views

app_name = "organizations"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<str:code>/", views.node_detail, name="node_detail"),
    path("<str:code>/new/", views.node_create, name="node_create"),
    path("<str:code>/edit/", views.node_edit, name="node_edit"),
    path("<str:code>/move/", restructure.node_move, name="node_move"),
    path("<str:code>/merge/", restructure.node_merge, name="node_merge"),
    path("<str:code>/rename/", restructure.node_rename, name="node_rename"),
    path("<str:code>/dissolve/", restructure.node_dissolve, name="node_dissolve"),
    path("<str:code>/split/", restructure.node_split, name="node_split"),
]
