from django.contrib import admin

from branches.models import (
    NodePlacement,
    OrganizationNode,
    ResidentialArea,
    ResidentialAreaYear,
    UserRole,
)
from partyorg.admin import AuditedAdmin, ReadOnlyAdmin, ReadOnlyInline


class PlacementInline(ReadOnlyInline):
    model = NodePlacement
    fk_name = "node"
    fields = ["parent", "path", "valid_from", "valid_to"]


@admin.register(OrganizationNode)
class OrganizationNodeAdmin(ReadOnlyAdmin):
    """The tree changes through its pages (create, edit, move, merge), which keep the
    dated placements in step; treebeard's admin, which moves nodes by dragging, is not
    used."""

    list_display = ["name", "code", "kind", "sector", "dissolved_on"]
    search_fields = ["name", "code"]
    ordering = ["path"]
    inlines = [PlacementInline]


class ResidentialAreaYearInline(admin.TabularInline):
    model = ResidentialAreaYear
    extra = 0


@admin.register(ResidentialArea)
class ResidentialAreaAdmin(AuditedAdmin):
    list_display = ["name", "code", "kind", "branch"]
    search_fields = ["name", "code"]
    inlines = [ResidentialAreaYearInline]


@admin.register(UserRole)
class UserRoleAdmin(ReadOnlyAdmin):
    """Giving a role here would skip the check of who may give it: roles are only shown."""

    list_display = ["user", "role", "node", "started_on", "ended_on"]
