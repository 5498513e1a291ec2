from django.contrib import admin

from admission.models import AdmissionTarget, Candidate, DossierDocument, Introducer
from partyorg.admin import ReadOnlyAdmin, ReadOnlyInline


class IntroducerInline(ReadOnlyInline):
    model = Introducer


class DossierDocumentInline(ReadOnlyInline):
    model = DossierDocument


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "branch", "stage", "identified_on"]
    list_filter = ["stage", "source"]
    search_fields = ["full_name", "name_folded"]
    inlines = [IntroducerInline, DossierDocumentInline]


@admin.register(AdmissionTarget)
class AdmissionTargetAdmin(ReadOnlyAdmin):
    """Targets are set on the admission targets page."""

    list_display = ["node", "year", "target"]
    list_filter = ["year"]
