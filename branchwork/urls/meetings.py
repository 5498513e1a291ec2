"""The Meetings section: a branch's minutes, under the branch's page."""

from django.urls import path

from branchwork.views import meetings

app_name = "meetings"
urlpatterns = [
    path("<str:code>/meetings/", meetings.meeting_list, name="list"),
    path("<str:code>/meetings/new/", meetings.meeting_create, name="create"),
    path("<str:code>/meetings/<int:pk>/", meetings.meeting_detail, name="detail"),
    path("<str:code>/meetings/<int:pk>/edit/", meetings.meeting_edit, name="edit"),
    path("<str:code>/meetings/<int:pk>/finalize/", meetings.meeting_finalize, name="finalize"),
    path("<str:code>/meetings/<int:pk>/pdf/", meetings.meeting_pdf, name="pdf"),
    path(
        "<str:code>/meetings/<int:pk>/versions/<int:history_id>/",
        meetings.meeting_version,
        name="version",
    ),
]
