from django.urls import path

from personal import views

app_name = "personal"

urlpatterns = [
    path("", views.record, name="record"),
    path("documents/<int:pk>/", views.document, name="document"),
]
