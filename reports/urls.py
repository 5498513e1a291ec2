from django.urls import path

from reports.views import dashboard, figures, files

app_name = "reports"
urlpatterns = [
    path("", dashboard.index, name="index"),
    # Before "<code>/<year>/" so that "files" is never read as an organization code.
    path("files/<int:pk>/", files.file_status, name="file"),
    path("files/<int:pk>/download/", files.file_download, name="file_download"),
    path("files/<int:pk>/retry/", files.file_retry, name="file_retry"),
    path("files/<int:pk>/cancel/", files.file_cancel, name="file_cancel"),
    path("<str:code>/<int:year>/", dashboard.dashboard, name="dashboard"),
    path("<str:code>/<int:year>/report.<str:fmt>", files.report_file, name="report_file"),
    path("<str:code>/<int:year>/generate/", files.generate, name="generate"),
    path(
        "<str:code>/<int:year>/members/<str:figure>/",
        figures.figure_members,
        name="figure_members",
    ),
]
