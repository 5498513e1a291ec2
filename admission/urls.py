from django.urls import path

from admission.enums import VoteKind
from admission.views import board, candidates, delegations, documents, steps

app_name = "admission"
urlpatterns = [
    path("", board.pipeline, name="pipeline"),
    path("targets/", board.targets, name="targets"),
    path("delegations/<str:code>/", delegations.delegation_page, name="delegations"),
    path("candidates/", candidates.candidate_list, name="list"),
    path("candidates/new/", candidates.candidate_create, name="create"),
    path("candidates/<int:pk>/", candidates.candidate_detail, name="detail"),
    path("candidates/<int:pk>/edit/", candidates.candidate_edit, name="edit"),
    path(
        "candidates/<int:pk>/branch-resolution.pdf",
        documents.branch_resolution,
        name="branch_resolution",
    ),
    path(
        "candidates/<int:pk>/grassroots-resolution.pdf",
        documents.grassroots_resolution,
        name="grassroots_resolution",
    ),
    path(
        "candidates/<int:pk>/admission-decision.pdf",
        documents.decision,
        {"kind": VoteKind.ADMISSION},
        name="admission_decision",
    ),
    path(
        "candidates/<int:pk>/conversion-decision.pdf",
        documents.decision,
        {"kind": VoteKind.CONVERSION},
        name="conversion_decision",
    ),
    path("candidates/<int:pk>/checklist.pdf", documents.dossier_checklist, name="checklist"),
    path("candidates/<int:pk>/<slug:step>/", steps.candidate_step, name="step"),
]
