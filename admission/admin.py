from django.contrib import admin

from admission.models import AdmissionTarget, Candidate, DossierDocument, Introducer
from partyorg.admin import AuditedAdmin


class IntroducerInline(admin.TabularInline):
    model = Introducer
    extra = 0


class DossierDocumentInline(admin.TabularInline):
    model = DossierDocument
    extra = 0


@admin.register(Candidate)
class CandidateAdmin(AuditedAdmin):
    list_display = ["full_name", "branch", "stage", "identified_on"]
    list_filter = ["stage", "source"]
    search_fields = ["full_name", "name_folded"]
    inlines = [IntroducerInline, DossierDocumentInline]


@admin.register(AdmissionTarget)
class AdmissionTargetAdmin(AuditedAdmin):
    list_display = ["node", "year", "target"]
    list_filter = ["year"]
