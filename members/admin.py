from django.contrib import admin

from members.models import Member, Membership, Position, StatusEvent
from partyorg.admin import ReadOnlyAdmin, ReadOnlyInline


class MembershipInline(ReadOnlyInline):
    model = Membership


class StatusEventInline(ReadOnlyInline):
    model = StatusEvent
    fk_name = "member"


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ["member_number", "full_name", "status", "branch"]
    search_fields = ["member_number", "full_name", "name_folded"]
    list_filter = ["status", "gender"]
    inlines = [MembershipInline, StatusEventInline]


@admin.register(Position)
class PositionAdmin(ReadOnlyAdmin):
    list_display = ["member", "role", "node", "residential_area", "start_date", "end_date"]
