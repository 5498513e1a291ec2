from django.urls import path

from office.organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<str:code>/", views.node_detail, name="node_detail"),
    path("<str:code>/new/", views.node_create, name="node_create"),
    path("<str:code>/edit/", views.node_edit, name="node_edit"),
    path("<str:code>/move/", views.node_move, name="node_move"),
    path("<str:code>/merge/", views.node_merge, name="node_merge"),
]
