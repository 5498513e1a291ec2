from django.urls import path

from branches.views import tree

app_name = "branches"
urlpatterns = [
    path("", tree.tree, name="tree"),
    path("<str:code>/", tree.node_detail, name="node_detail"),
    path("<str:code>/new/", tree.node_create, name="node_create"),
    path("<str:code>/edit/", tree.node_edit, name="node_edit"),
    path("<str:code>/move/", tree.node_move, name="node_move"),
    path("<str:code>/merge/", tree.node_merge, name="node_merge"),
]
