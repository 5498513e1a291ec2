from django.contrib import admin

from members.models import Member, Membership, Position, StatusEvent
from partyorg.admin import AuditedAdmin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


class StatusEventInline(admin.TabularInline):
    model = StatusEvent
    extra = 0
    fk_name = "member"


@admin.register(Member)
class MemberAdmin(AuditedAdmin):
    list_display = ["member_number", "full_name", "status", "branch"]
    search_fields = ["member_number", "full_name", "name_folded"]
    list_filter = ["status", "gender"]
    inlines = [MembershipInline, StatusEventInline]


@admin.register(Position)
class PositionAdmin(AuditedAdmin):
    list_display = ["member", "role", "node", "residential_area", "start_date", "end_date"]
