from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from branches.models import OrganizationNode, ResidentialArea, ResidentialAreaYear, UserRole
from partyorg.admin import AuditedAdmin


@admin.register(OrganizationNode)
class OrganizationNodeAdmin(TreeAdmin):
    form = movenodeform_factory(OrganizationNode)
    list_display = ["name", "code", "kind", "sector", "dissolved_on"]
    search_fields = ["name", "code"]


class ResidentialAreaYearInline(admin.TabularInline):
    model = ResidentialAreaYear
    extra = 0


@admin.register(ResidentialArea)
class ResidentialAreaAdmin(AuditedAdmin):
    list_display = ["name", "code", "kind", "branch"]
    search_fields = ["name", "code"]
    inlines = [ResidentialAreaYearInline]


@admin.register(UserRole)
class UserRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "node"]
    autocomplete_fields = ["node"]
