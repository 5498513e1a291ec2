from django.urls import path

from branches.views import inspections, meetings, tree

app_name = "branches"
urlpatterns = [
    path("", tree.tree, name="tree"),
    path("<str:code>/", tree.node_detail, name="node_detail"),
    path("<str:code>/new/", tree.node_create, name="node_create"),
    path("<str:code>/edit/", tree.node_edit, name="node_edit"),
    path("<str:code>/move/", tree.node_move, name="node_move"),
    path("<str:code>/merge/", tree.node_merge, name="node_merge"),
    path("<str:code>/meetings/", meetings.meeting_list, name="meetings"),
    path("<str:code>/meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("<str:code>/meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("<str:code>/meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path(
        "<str:code>/meetings/<int:pk>/finalize/",
        meetings.meeting_finalize,
        name="meeting_finalize",
    ),
    path("<str:code>/meetings/<int:pk>/pdf/", meetings.meeting_pdf, name="meeting_pdf"),
    path(
        "<str:code>/meetings/<int:pk>/versions/<int:history_id>/",
        meetings.meeting_version,
        name="meeting_version",
    ),
]

# Inspections (issue 5)
urlpatterns += [
    path("<str:code>/inspections/", inspections.inspection_list, name="inspections"),
    path("<str:code>/inspections/new/", inspections.inspection_create, name="inspection_create"),
]
