from django.urls import path

from papers.views import annual, documents, minutes, register, sheets

app_name = "papers"
urlpatterns = [
    path("<int:pk>.pdf", register.document_pdf, name="pdf"),
    path("<int:pk>/", documents.document_detail, name="document"),
    path("scans/<int:pk>/", documents.scan_download, name="scan"),
    path("<str:code>/register/<int:year>/", register.register, name="register"),
    path(
        "<str:code>/meetings/<int:pk>/attendance-sheet.pdf",
        sheets.attendance_sheet,
        name="attendance_sheet",
    ),
    path("<str:code>/meetings/<int:pk>/number/", minutes.number_minutes, name="number_minutes"),
    path("<str:code>/meetings/<int:pk>/minutes.pdf", minutes.minutes_pdf, name="minutes_pdf"),
    path("members/<str:number>/record.pdf", sheets.member_record, name="member_record"),
    path("<str:code>/reports/<int:year>/", annual.annual_report, name="annual_report"),
    path("<str:code>/reports/<int:year>/draft.pdf", register.draft_pdf, name="draft_pdf"),
    path(
        "<str:code>/reports/<int:year>/assessment/",
        annual.save_assessment,
        name="save_assessment",
    ),
    path("<str:code>/reports/<int:year>/issue/", annual.issue_report, name="issue_report"),
]
