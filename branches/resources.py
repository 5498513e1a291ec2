"""Import of the organization tree and of residential areas from spreadsheets.

Natural keys: the node code and the area code. New nodes are created through
branches.domain.create_node (so each gets its dated placement), parents before children.
"""

import copy
from collections import Counter

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from branches import domain, restructuring
from branches.enums import SECTOR_KINDS, AreaKind, NodeKind, Sector
from branches.models import (
    NODE_CODE,
    AreaCoverage,
    OrganizationNode,
    ResidentialArea,
    ResidentialAreaYear,
    normalize_node_code,
)
from branches.queries import scope_root
from partyorg.bulk import update_objects
from partyorg.dated import covers
from partyorg.imports.columns import ChoiceWidget, Column, DateWidget, IntegerWidget, TextWidget
from partyorg.imports.resources import SpreadsheetResource, add_error, chunks

KIND_WORDS = {
    NodeKind.PROVINCE_COMMITTEE: "Đảng bộ tỉnh",
    NodeKind.DISTRICT_COMMITTEE: "Đảng bộ huyện",
    NodeKind.COMMUNE_COMMITTEE: "Đảng bộ xã, phường",
    NodeKind.GRASSROOTS_COMMITTEE: "Đảng bộ cơ sở",
    NodeKind.GRASSROOTS_BRANCH: "Chi bộ cơ sở",
    NodeKind.PARTIAL_COMMITTEE: "Đảng bộ bộ phận",
    NodeKind.BRANCH: "Chi bộ",
    NodeKind.PARTY_CELL: "Tổ đảng",
}
KIND_ALIASES = {
    "Tỉnh ủy": NodeKind.PROVINCE_COMMITTEE,
    "Thành ủy": NodeKind.PROVINCE_COMMITTEE,
    "Đảng bộ thành phố": NodeKind.PROVINCE_COMMITTEE,
    "Huyện ủy": NodeKind.DISTRICT_COMMITTEE,
    "Quận ủy": NodeKind.DISTRICT_COMMITTEE,
    "Thị ủy": NodeKind.DISTRICT_COMMITTEE,
    "Đảng bộ xã": NodeKind.COMMUNE_COMMITTEE,
    "Đảng bộ phường": NodeKind.COMMUNE_COMMITTEE,
    "Đảng ủy xã": NodeKind.COMMUNE_COMMITTEE,
    "Đảng ủy phường": NodeKind.COMMUNE_COMMITTEE,
    "Chi bộ trực thuộc": NodeKind.BRANCH,
}
SECTOR_WORDS = {
    Sector.COMMUNE: "Xã, phường, thị trấn",
    Sector.SPECIAL_ZONE: "Đặc khu",
    Sector.AGENCY: "Cơ quan",
    Sector.ENTERPRISE: "Doanh nghiệp",
    Sector.SCHOOL: "Trường học",
    Sector.ARMED_FORCES: "Lực lượng vũ trang",
    Sector.OTHER: "Khác",
}
SECTOR_ALIASES = {"Xã": Sector.COMMUNE, "Phường": Sector.COMMUNE, "Quân đội": Sector.ARMED_FORCES}
AREA_KIND_WORDS = {AreaKind.VILLAGE: "Thôn", AreaKind.RESIDENTIAL_GROUP: "Tổ dân phố"}
AREA_KIND_ALIASES = {
    "Ấp": AreaKind.VILLAGE,
    "Bản": AreaKind.VILLAGE,
    "Làng": AreaKind.VILLAGE,
    "Buôn": AreaKind.VILLAGE,
    "Khu phố": AreaKind.RESIDENTIAL_GROUP,
    "Khóm": AreaKind.RESIDENTIAL_GROUP,
}
# Placement problems from branches.domain.check_placement, by spreadsheet column.
PLACEMENT_KEYS = {"parent": "parent_code", "kind": "kind", "sector": "sector"}
# Changed on the organization's page, through restructuring, never by an import.
UNCHANGEABLE = ("kind", "established_on", "dissolved_on")


def node_code_widget(*, required: bool) -> TextWidget:
    """A cell holding an organization code: read in upper case, as codes are stored."""
    return TextWidget(
        max_length=32, required=required, normalize=normalize_node_code, validator=NODE_CODE
    )


class ScopedResource(SpreadsheetResource):
    """A kind whose rows name organizations by code: the importing user may name only
    those of their subtree (superusers, and a resource made without a user, any)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        user = self.user
        self.root = scope_root(user) if user is not None and not user.is_superuser else None

    def in_scope(self, node: OrganizationNode) -> bool:
        if self.user is None or self.user.is_superuser:
            return True
        return self.root is not None and node.path.startswith(self.root.path)

    def nodes_by_code(self, codes) -> dict[str, OrganizationNode]:
        found = {}
        for part in chunks({c for c in codes if c}):
            found |= {n.code: n for n in OrganizationNode.objects.filter(code__any=part)}
        return found

    def node_error(self, code, node, *, what=None):
        """The message for a code that cannot be used, or None."""
        if node is None:
            return _("There is no organization with code “%(code)s”.") % {"code": code}
        if not self.in_scope(node):
            return _("The organization “%(code)s” is outside your part of the tree.") % {
                "code": code
            }
        return None


class NodeResource(ScopedResource):
    code = Column(
        "code",
        "Mã tổ chức",
        node_code_widget(required=True),
        help=gettext_lazy(
            "Stable code of the organization; identifies it. Letters A–Z, digits, dots "
            "and hyphens; read in upper case."
        ),
    )
    name = Column(
        "name",
        "Tên tổ chức",
        TextWidget(max_length=200, required=True),
        help=gettext_lazy("Full name, e.g. “Chi bộ thôn 1”."),
    )
    kind = Column(
        "kind",
        "Loại tổ chức",
        ChoiceWidget(NodeKind, KIND_WORDS, aliases=KIND_ALIASES, required=True),
        help=gettext_lazy("Kind of organization; it must fit under the parent's kind."),
    )
    sector = Column(
        "sector",
        "Khối",
        ChoiceWidget(Sector, SECTOR_WORDS, aliases=SECTOR_ALIASES),
        help=gettext_lazy("Sector, required for grassroots and commune-level organizations."),
    )
    parent_code = Column(
        "parent_code",
        "Mã tổ chức cấp trên",
        node_code_widget(required=False),
        help=gettext_lazy(
            "Code of the parent organization: in your part of the tree or on an earlier "
            "row of the file."
        ),
    )
    place_name = Column(
        "place_name",
        "Địa danh",
        TextWidget(max_length=100),
        help=gettext_lazy("Place printed before the date on documents, e.g. “Nam Đông”."),
    )
    established_on = Column(
        "established_on",
        "Ngày thành lập",
        DateWidget(required=True),
        help=gettext_lazy("Date the organization was established."),
    )
    valid_from = Column(
        "valid_from",
        "Tên, loại có hiệu lực từ ngày",
        DateWidget(),
        help=gettext_lazy(
            "For an existing organization: the day a new name or kind took effect, kept "
            "as a dated rename (reports of earlier days show the old one). Empty: the "
            "name is corrected."
        ),
    )
    dissolved_on = Column(
        "dissolved_on",
        "Ngày giải thể",
        DateWidget(),
        help=gettext_lazy(
            "Empty for an active organization; dissolving and merging are done on the "
            "organization's page."
        ),
    )

    unique_in_file = ("code",)

    class Meta(SpreadsheetResource.Meta):
        model = OrganizationNode
        name = gettext_lazy("Party organizations")
        fields = [
            "code",
            "name",
            "kind",
            "sector",
            "parent_code",
            "place_name",
            "established_on",
            "valid_from",
            "dissolved_on",
        ]

    def prefetch(self, rows):
        self.pending = {}
        codes = {self.cell(r, "code") for r in rows} | {self.cell(r, "parent_code") for r in rows}
        self.nodes = self.nodes_by_code(codes)
        parent_paths = {n.path[: -OrganizationNode.steplen] for n in self.nodes.values()}
        self.original = {
            code: {name: getattr(n, name) for name in UNCHANGEABLE}
            for code, n in self.nodes.items()
        }
        self.code_at = dict(
            OrganizationNode.objects.filter(path__in=parent_paths).values_list("path", "code")
        )

    def existing(self, row):
        return self.nodes.get(self.cell(row, "code"))

    def stored_parent_code(self, node) -> str:
        return self.code_at.get(node.path[: -OrganizationNode.steplen], "")

    def check_row(self, instance, row, errors, *, new):
        if not new and not self.in_scope(instance):
            errors.clear()
            add_error(errors, "code", self.node_error(instance.code, instance))
            return
        parent_code = getattr(instance, "parent_code", "")
        parent = self.pending.get(parent_code) or self.nodes.get(parent_code)
        if (
            instance.kind == NodeKind.COMMUNE_COMMITTEE
            and parent is not None
            and parent.kind == NodeKind.DISTRICT_COMMITTEE
        ):
            # Before the 2025 reform a "Đảng bộ xã" under a district was a grassroots
            # committee of the commune sector.
            instance.kind = NodeKind.GRASSROOTS_COMMITTEE
            instance.sector = instance.sector or Sector.COMMUNE
        if instance.kind not in SECTOR_KINDS:
            instance.sector = ""
        if not new:
            self._check_unchangeable(instance, parent_code, errors)
            return
        if instance.dissolved_on:
            add_error(
                errors,
                "dissolved_on",
                _("A new organization cannot be dissolved; dissolve it on its page."),
            )
        parent = None
        if parent_code:
            parent = self.pending.get(parent_code) or self.nodes.get(parent_code)
            message = None if parent_code in self.pending else self.node_error(parent_code, parent)
            if message:
                add_error(errors, "parent_code", message)
                return
        elif self.root is not None:
            add_error(errors, "parent_code", _("Give the code of the parent organization."))
            return
        if "kind" not in errors:
            try:
                domain.check_placement(kind=instance.kind, parent=parent, sector=instance.sector)
            except ValidationError as error:
                for key, messages in error.message_dict.items():
                    for message in messages:
                        add_error(errors, PLACEMENT_KEYS.get(key, "kind"), message)
        if parent and instance.established_on and instance.established_on < parent.established_on:
            add_error(errors, "established_on", _("The parent organization was established later."))
        if not errors:
            instance.parent_node = parent
            self.pending[instance.code] = instance

    def _check_unchangeable(self, node, parent_code, errors):
        if parent_code and parent_code != self.stored_parent_code(node):
            add_error(
                errors,
                "parent_code",
                _("Moving an organization is done on its page (restructuring)."),
            )
        original = self.original[node.code]
        # A dated rename may change the kind too; the rename's own checks run at write.
        valid_from = getattr(node, "valid_from", None)
        dated = valid_from is not None
        if dated and valid_from < node.established_on:
            add_error(
                errors, "valid_from", _("The date is before the organization's present name began.")
            )
        for name, value in original.items():
            if dated and name == "kind":
                continue
            if getattr(node, name) != value and name not in errors:
                add_error(errors, name, _("This cannot be changed by an import; use the page."))

    def write(self):
        created = {}
        for node in self.creates:
            parent = node.parent_node
            if parent is not None and parent.pk is None:
                parent = created[parent.code]
            created[node.code] = domain.create_node(
                parent=parent,
                code=node.code,
                name=node.name,
                kind=node.kind,
                established_on=node.established_on,
                sector=node.sector,
                place_name=node.place_name,
            )
        for node in self.updates:
            valid_from = getattr(node, "valid_from", None)
            stored = OrganizationNode.objects.get(pk=node.pk)
            if valid_from and (node.name, node.kind) != (stored.name, stored.kind):
                restructuring.rename_node(
                    stored, on=valid_from, name=node.name, kind=node.kind, by=self.user
                )
        bulk_update_with_history(
            self.updates,
            OrganizationNode,
            ["name", "sector", "place_name"],
            default_user=self.user,
            default_change_reason=self.label,
        )


class AreaResource(ScopedResource):
    code = Column(
        "code",
        "Mã thôn, tổ dân phố",
        TextWidget(max_length=32, required=True),
        help=gettext_lazy("Stable code of the residential area; identifies it."),
    )
    name = Column(
        "name",
        "Tên thôn, tổ dân phố",
        TextWidget(max_length=200, required=True),
        help=gettext_lazy("Name, e.g. “Thôn 1”."),
    )
    kind = Column(
        "kind",
        "Loại",
        ChoiceWidget(AreaKind, AREA_KIND_WORDS, aliases=AREA_KIND_ALIASES, required=True),
        help=gettext_lazy("Village or residential group."),
    )
    branch_code = Column(
        "branch_code",
        "Mã chi bộ",
        node_code_widget(required=True),
        help=gettext_lazy("Code of the branch that covers the area, in your part of the tree."),
    )
    covered_since = Column(
        "covered_since",
        "Phụ trách từ ngày",
        DateWidget(),
        help=gettext_lazy(
            "Day from which the branch covers the area. For a new area, empty means since "
            "the branch was established; for an area that passes to another branch, the day "
            "of the change (required). The rows of one area give the same branch and day."
        ),
    )
    year = Column(
        "figures_year",
        "Năm",
        IntegerWidget(minimum=1945, maximum=2100),
        help=gettext_lazy(
            "Year of the figures; one row per area and year. Empty when there are no figures."
        ),
    )
    households = Column(
        "figures_households",
        "Số hộ",
        IntegerWidget(),
        help=gettext_lazy("Number of households in that year."),
    )
    population = Column(
        "figures_population",
        "Số nhân khẩu",
        IntegerWidget(),
        help=gettext_lazy("Population in that year; at least the number of households."),
    )

    class Meta(SpreadsheetResource.Meta):
        model = ResidentialArea
        name = gettext_lazy("Residential areas")
        fields = [
            "code",
            "name",
            "kind",
            "branch_code",
            "covered_since",
            "year",
            "households",
            "population",
        ]

    @classmethod
    def exported(cls, nodes):
        """The areas the branches of `nodes` cover today, one row per year of figures (one
        row without figures for an area that has none), with the open coverage's day."""
        areas = (
            ResidentialArea.objects.filter(branch__in=nodes)
            .select_related("branch")
            .prefetch_related("years")
            .annotate(
                covered_since=Subquery(
                    AreaCoverage.objects.open().filter(area=OuterRef("pk")).values("valid_from")[:1]
                )
            )
            .order_by("branch__path", "code")
        )
        rows = []
        for area in areas:
            for figures in sorted(area.years.all(), key=lambda f: f.year) or [None]:
                row = copy.copy(area)
                if figures is not None:
                    row.figures_year = figures.year
                    row.figures_households = figures.households
                    row.figures_population = figures.population
                rows.append(row)
        return rows

    def dehydrate_branch_code(self, area):
        return area.branch.code

    def prefetch(self, rows):
        codes = {self.cell(r, "code") for r in rows} - {None, ""}
        self.areas = {}
        for part in chunks(codes):
            self.areas |= {
                a.code: a
                for a in ResidentialArea.objects.filter(code__any=part).select_related("branch")
            }
        self.nodes = self.nodes_by_code(self.cell(r, "branch_code") for r in rows)
        self.figures = {
            (f.area.code, f.year): f
            for f in ResidentialAreaYear.objects.filter(
                area__in=self.areas.values()
            ).select_related("area")
        }
        self.coverages = {}  # area id -> its coverages, earliest first
        for coverage in AreaCoverage.objects.filter(area__in=self.areas.values()).order_by(
            "valid_from", "pk"
        ):
            self.coverages.setdefault(coverage.area_id, []).append(coverage)
        keys = [(self.cell(r, "code"), self.cell(r, "figures_year")) for r in rows]
        self.key_count = Counter(keys)
        self.changed_figures = {}
        self.first_of_area = {}  # area code -> (branch, day) of its first row
        self.covering = {}  # area code -> (branch, day) its coverage opens
        self.corrected = {}  # area code -> (open coverage, the day it starts from now on)
        self.this_year = timezone.localdate().year

    def existing(self, row):
        return self.areas.get(self.cell(row, "code"))

    def snapshot(self, instance):
        return (
            *super().snapshot(instance),
            getattr(instance, "_figures_changed", False),
            getattr(instance, "_coverage_changed", False),
        )

    def check_row(self, instance, row, errors, *, new):
        instance._figures_changed = instance._coverage_changed = False
        if instance.pk and not self.in_scope(instance.branch):
            errors.clear()
            add_error(errors, "code", self.node_error(instance.branch.code, instance.branch))
            return
        code = getattr(instance, "branch_code", None)
        if code:
            node = self.nodes.get(code)
            message = self.node_error(code, node)
            if message is None and not node.is_branch:
                message = _("“%(code)s” is not a branch.") % {"code": code}
            if message:
                add_error(errors, "branch_code", message)
            else:
                instance.branch = node
                self._check_coverage(instance, errors)
        self._check_figures(instance, errors)

    def _check_coverage(self, area, errors):
        """The day the row's branch covers the area from: a new coverage when the area
        is new or passes to another branch, the start of the only one corrected."""
        since = getattr(area, "covered_since", None)
        branch = area.branch
        if self.first_of_area.setdefault(area.code, (branch, since)) != (branch, since):
            add_error(
                errors, "covered_since", _("The rows of this area give different branches or days.")
            )
            return
        coverages = self.coverages.get(area.pk, [])
        current = coverages[-1] if coverages and coverages[-1].valid_to is None else None
        if current is not None and current.branch_id == branch.pk:
            if since is None or since == current.valid_from:
                return
            if len(coverages) > 1:
                add_error(
                    errors,
                    "covered_since",
                    _(
                        "The branch took the area over on %(date)s from another branch; "
                        "that day is not changed by an import."
                    )
                    % {"date": current.valid_from.strftime("%d/%m/%Y")},
                )
                return
        elif current is not None:
            if since is None:
                add_error(
                    errors,
                    "covered_since",
                    _("Give the day from which the new branch covers the area."),
                )
                return
            if since <= current.valid_from:
                add_error(
                    errors,
                    "covered_since",
                    _("%(name)s has covered the area since %(date)s: give a later day.")
                    % {
                        "name": current.branch.name,
                        "date": current.valid_from.strftime("%d/%m/%Y"),
                    },
                )
                return
        day = since or branch.established_on
        if not covers(branch.established_on, branch.dissolved_on, day):
            add_error(
                errors,
                "covered_since",
                _("%(name)s did not exist on %(date)s.")
                % {"name": branch.name, "date": day.strftime("%d/%m/%Y")},
            )
            return
        if day > timezone.localdate():
            add_error(errors, "covered_since", _("This date is in the future."))
            return
        area._coverage_changed = True
        if current is not None and current.branch_id == branch.pk:
            self.corrected[area.code] = (current, day)
        else:
            self.covering[area.code] = (branch, day)

    def _check_figures(self, area, errors):
        year = getattr(area, "figures_year", None)
        households = getattr(area, "figures_households", None)
        population = getattr(area, "figures_population", None)
        if self.key_count.get((area.code, year), 1) > 1:
            add_error(errors, "figures_year", _("This area and year appear twice in the file."))
        if year is None:
            if households is not None or population is not None:
                add_error(errors, "figures_year", _("Give the year of the figures."))
            return
        if year > self.this_year:
            add_error(errors, "figures_year", _("This year is in the future."))
        for name, value in (("figures_households", households), ("figures_population", population)):
            if value is None:
                add_error(errors, name, _("This column must not be empty when a year is given."))
        if households is not None and population is not None and population < households:
            add_error(
                errors, "figures_population", _("The population is smaller than the households.")
            )
        stored = self.figures.get((area.code, year))
        if stored is None or (stored.households, stored.population) != (households, population):
            area._figures_changed = True
            self.changed_figures[(area.code, year)] = (households, population)

    def write(self):
        # Rows of one new area for several years: the first row's area is created.
        creates = list({area.code: area for area in reversed(self.creates)}.values())
        updates = list({area.code: area for area in self.updates}.values())
        history = {"default_user": self.user, "default_change_reason": self.label}
        bulk_create_with_history(creates, ResidentialArea, **history)
        bulk_update_with_history(updates, ResidentialArea, ["name", "kind", "branch"], **history)
        by_code = {area.code: area for area in [*creates, *updates]} | self.areas
        domain.cover_areas(
            [(by_code[code], branch, day) for code, (branch, day) in self.covering.items()],
            by=self.user,
            reason=self.label,
        )
        for coverage, day in self.corrected.values():
            coverage.valid_from = day
        update_objects(
            [coverage for coverage, _day in self.corrected.values()],
            AreaCoverage,
            ["valid_from"],
            by=self.user,
            reason=self.label,
        )
        stored = [self.figures[key] for key in self.changed_figures if key in self.figures]
        for figure in stored:
            figure.households, figure.population = self.changed_figures[
                (figure.area.code, figure.year)
            ]
        bulk_update_with_history(
            stored, ResidentialAreaYear, ["households", "population"], **history
        )
        bulk_create_with_history(
            [
                ResidentialAreaYear(
                    area=by_code[code], year=year, households=households, population=population
                )
                for (code, year), (households, population) in self.changed_figures.items()
                if (code, year) not in self.figures
            ],
            ResidentialAreaYear,
            **history,
        )
