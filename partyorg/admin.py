"""Django admin, kept from bypassing the domain and the audit trail.

Records of people, events, roles, targets and the tree change only through the domain
functions (which keep dated rows in step and write who and when): here they are shown
with their history, read only, and can never be deleted. Reference tables that have no
page of their own (holidays, residential areas) stay editable here; their history
records every change, which the audit page shows.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from partyorg.models import Holiday


class AuditedAdmin(SimpleHistoryAdmin):
    """Shows a record's history in the admin, read only: an old version can be looked at,
    never saved back over the record (the audit trail is only written by real changes)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdmin(AuditedAdmin):
    """A record kept through the domain functions: listed and shown with its history,
    never added, changed or deleted here (no delete action either)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """Dated rows of a record (memberships, events, placements), shown, never edited."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Holiday)
class HolidayAdmin(AuditedAdmin):
    list_display = ["date", "name", "working_day"]
    date_hierarchy = "date"


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class AccountAdmin(UserAdmin):
    """Accounts are deactivated, not deleted: a deleted account would leave the audit
    trail's changes without their author."""

    def has_delete_permission(self, request, obj=None):
        return False
