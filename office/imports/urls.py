from django.urls import path

from office.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("templates/<str:kind>.xlsx", views.template, name="template"),
    path("export/members/", views.export_members, name="export_members"),
    path("export/<str:export_kind>.xlsx", views.export, name="export"),
    path("export/<str:export_kind>/prepare/", views.prepare_export, name="prepare_export"),
    path("exports/<int:pk>/", views.prepared_export, name="prepared_export"),
    path(
        "exports/<int:pk>/download/",
        views.prepared_export_download,
        name="prepared_export_download",
    ),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/apply/", views.apply, name="apply"),
    path("<int:pk>/plan/", views.plan_preview, name="plan_preview"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
]
