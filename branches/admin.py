from django.contrib import admin
from django.utils.translation import gettext

from branches.domain import cover_areas
from branches.models import (
    AreaCoverage,
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


class CoverageInline(ReadOnlyInline):
    model = AreaCoverage
    fields = ["branch", "valid_from", "valid_to"]


@admin.register(ResidentialArea)
class ResidentialAreaAdmin(AuditedAdmin):
    """The covering branch is chosen here only for a new area, covered from the branch's
    establishment; a change of branch is dated (the area import, a restructuring)."""

    list_display = ["name", "code", "kind", "branch"]
    search_fields = ["name", "code"]
    inlines = [CoverageInline, ResidentialAreaYearInline]

    def get_readonly_fields(self, request, obj=None):
        return ["branch"] if obj else []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            cover_areas(
                [(obj, obj.branch, obj.branch.established_on)],
                by=request.user,
                reason=gettext("Residential area added"),
            )


@admin.register(UserRole)
class UserRoleAdmin(ReadOnlyAdmin):
    """Giving a role here would skip the check of who may give it: roles are only shown."""

    list_display = ["user", "role", "node", "started_on", "ended_on"]
