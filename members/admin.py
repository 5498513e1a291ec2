from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from members.models import Member, Membership, Position, StatusEvent


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


class StatusEventInline(admin.TabularInline):
    model = StatusEvent
    extra = 0
    fk_name = "member"


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    list_display = ["member_number", "full_name", "status", "branch"]
    search_fields = ["member_number", "full_name", "name_folded"]
    list_filter = ["status", "gender"]
    inlines = [MembershipInline, StatusEventInline]


@admin.register(Position)
class PositionAdmin(SimpleHistoryAdmin):
    list_display = ["member", "role", "node", "residential_area", "start_date", "end_date"]
