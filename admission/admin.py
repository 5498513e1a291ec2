from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from admission.models import AdmissionTarget, Candidate, DossierDocument, Introducer


class IntroducerInline(admin.TabularInline):
    model = Introducer
    extra = 0


class DossierDocumentInline(admin.TabularInline):
    model = DossierDocument
    extra = 0


@admin.register(Candidate)
class CandidateAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "branch", "stage", "identified_on"]
    list_filter = ["stage", "source"]
    search_fields = ["full_name", "name_folded"]
    inlines = [IntroducerInline, DossierDocumentInline]


@admin.register(AdmissionTarget)
class AdmissionTargetAdmin(SimpleHistoryAdmin):
    list_display = ["node", "year", "target"]
    list_filter = ["year"]
