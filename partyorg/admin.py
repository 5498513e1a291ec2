from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from partyorg.locking import Stale, Versioned, VersionField, check_version, show_conflict
from partyorg.models import Holiday


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"


class VersionedAdminForm(forms.ModelForm):
    """The admin's change form of a versioned record, refused like every other form when
    someone saved the record after it was opened. The admin validates and saves in one
    transaction, so the row locked here stays locked until the save. (The field is not
    named `version`: a model form may not name the model's non-editable field.)"""

    opened_version = VersionField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            try:
                # A page without its version is out of date: 0 is never a record's version.
                check_version(self.instance, cleaned.get("opened_version") or 0)
            except Stale as stale:
                show_conflict(self, stale, field="opened_version")
        return cleaned


class AuditedAdmin(SimpleHistoryAdmin):
    """Shows a record's history in the admin, read only: an old version can be looked at,
    never saved back over the record (the audit trail is only written by real changes).
    Versioned records are locked optimistically, as on their own pages."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        if issubclass(self.model, Versioned):
            kwargs.setdefault("form", VersionedAdminForm)
        return super().get_form(request, obj, change, **kwargs)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
