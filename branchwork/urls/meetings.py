"""The Meetings section: a branch's minutes, under the branch's page."""

from django.urls import path

from branchwork.views import meetings, notices

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
    path("<str:code>/meetings/documents/", notices.notice_list, name="notices"),
    path("<str:code>/meetings/documents/new/", notices.notice_publish, name="notice_publish"),
    path("<str:code>/meetings/documents/<int:pk>/", notices.notice_detail, name="notice"),
    path("<str:code>/meetings/documents/<int:pk>/edit/", notices.notice_edit, name="notice_edit"),
    path(
        "<str:code>/meetings/documents/files/<int:pk>/",
        notices.notice_file,
        name="notice_file",
    ),
    path(
        "<str:code>/meetings/documents/files/<int:pk>/withdraw/",
        notices.notice_withdraw,
        name="notice_withdraw",
    ),
]
