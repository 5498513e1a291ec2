from django.urls import path

from branches.views import inspections, tree

app_name = "branches"
urlpatterns = [
    path("", tree.tree, name="tree"),
    path("<str:code>/", tree.node_detail, name="node_detail"),
    path("<str:code>/new/", tree.node_create, name="node_create"),
    path("<str:code>/edit/", tree.node_edit, name="node_edit"),
    path("<str:code>/move/", tree.node_move, name="node_move"),
    path("<str:code>/merge/", tree.node_merge, name="node_merge"),
]

# Inspections (issue 5)
urlpatterns += [
    path("<str:code>/inspections/", inspections.inspection_list, name="inspections"),
    path("<str:code>/inspections/new/", inspections.inspection_create, name="inspection_create"),
]
