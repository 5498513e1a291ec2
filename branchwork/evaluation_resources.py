"""Import and export of members' annual evaluations (đánh giá, xếp loại đảng viên) for any
year back to 2018, each year under its own rule (partyorg.rules: 132-QĐ/TW for
2018–2022, then 124 and 366).

Natural key: the member and the year. The rows of one branch and year are checked
together as the evaluation sheet checks them (levels against scores, who is not
classified, the quota of "excellent") and saved through branchwork.evaluations, so the
file gives a branch's whole year as the sheet does.
"""

from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import NodePlacement
from branches.resources import ScopedResource, node_code_widget
from branchwork import evaluations
from branchwork.enums import EvaluationLevel, NotClassifiedReason
from branchwork.models import Evaluation, OrganizationEvaluation
from members.import_rows import MemberRows
from members.models import MEMBER_NUMBER
from partyorg.dated import covers
from partyorg.imports.columns import (
    ChoiceWidget,
    Column,
    DecimalWidget,
    IntegerWidget,
    TextWidget,
    YesWidget,
)
from partyorg.imports.resources import SpreadsheetResource, add_error, chunks
from partyorg.rules import RuleKind, versions

LEVEL_WORDS = {
    EvaluationLevel.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    EvaluationLevel.GOOD: "Hoàn thành tốt nhiệm vụ",
    EvaluationLevel.COMPLETED: "Hoàn thành nhiệm vụ",
    EvaluationLevel.NOT_COMPLETED: "Không hoàn thành nhiệm vụ",
}
LEVEL_ALIASES = {
    "Xuất sắc": EvaluationLevel.EXCELLENT,
    "HTXSNV": EvaluationLevel.EXCELLENT,
    "Tốt": EvaluationLevel.GOOD,
    "HTTNV": EvaluationLevel.GOOD,
    "HTNV": EvaluationLevel.COMPLETED,
    "Không hoàn thành": EvaluationLevel.NOT_COMPLETED,
    "KHTNV": EvaluationLevel.NOT_COMPLETED,
}
NOT_CLASSIFIED_WORDS = {
    NotClassifiedReason.EXEMPTED: "Miễn sinh hoạt",
    NotClassifiedReason.SUSPENDED: "Đình chỉ sinh hoạt",
    NotClassifiedReason.NEW_MEMBER: "Mới kết nạp",
    NotClassifiedReason.OTHER: "Lý do khác",
}
FIRST_YEAR = versions(RuleKind.EVALUATION)[0].in_force_from.year


def year_column():
    return Column(
        "year",
        "Năm",
        IntegerWidget(required=True, minimum=FIRST_YEAR, maximum=9999),
        help=gettext_lazy("Year evaluated, from 2018; the rule of that year applies."),
    )


def score_column():
    return Column(
        "score",
        "Điểm",
        DecimalWidget(places=1),
        help=gettext_lazy(
            "The 100-point score, under a rule that has one (366-QĐ/TW); empty otherwise."
        ),
    )


def excellent_conditions_column():
    return Column(
        "excellent_conditions",
        "Đủ điều kiện xuất sắc",
        YesWidget(),
        help=gettext_lazy(
            "Under 366-QĐ/TW: every task on time, at least 30% beyond requirements, no discipline."
        ),
    )


def level_column():
    return Column(
        "level",
        "Xếp loại",
        ChoiceWidget(EvaluationLevel, LEVEL_WORDS, aliases=LEVEL_ALIASES),
        help=gettext_lazy("The level; empty when a score gives it or when not classified."),
    )


def not_classified_column(help):
    return Column(
        "not_classified",
        "Không xếp loại",
        ChoiceWidget(NotClassifiedReason, NOT_CLASSIFIED_WORDS),
        help=help,
    )


def decision_number_column():
    return Column(
        "decision_number",
        "Số quyết định",
        TextWidget(max_length=50),
        help=gettext_lazy("Number of the decision that approved the results."),
    )


class EvaluationSheetRows:
    """Rows of evaluations checked and saved as the year's sheet is, a group at a time:
    a kind puts its checked rows in self.groups[(organization, year)] and says who each
    row evaluates (row_target), whom the rule leaves unclassified (exclusion) and how a
    group is saved (save_group)."""

    def row_target(self, instance):
        raise NotImplementedError

    def exclusion(self, rule, instance, year) -> str:
        return ""

    def save_group(self, node, year, rows, decision_number) -> None:
        raise NotImplementedError

    def set_rule(self, instance, year) -> None:
        """The rule of the year on the row, and the level its score gives when the row
        gives none (kept, so a re-import of the same file finds the record unchanged)."""
        rule = evaluations.rule_for_year(year)
        instance.regulation = rule.regulation.number
        if instance.score is not None and not instance.level and not instance.not_classified:
            instance.level = evaluations.level_for_score(
                rule, instance.score, conditions_met=instance.excellent_conditions
            )

    def _rows(self, year, instances):
        rule = evaluations.rule_for_year(year)
        rows = [
            evaluations.Row(
                target=self.row_target(instance),
                self_assessment=instance.self_assessment,
                appraisal=instance.appraisal,
                score=instance.score,
                excellent_conditions=instance.excellent_conditions,
                level=instance.level,
                not_classified=instance.not_classified,
                version=instance.version if instance.pk else None,
                required_exclusion=self.exclusion(rule, instance, year),
            )
            for instance in instances
        ]
        return rule, rows

    @staticmethod
    def _decision_numbers(instances) -> set[str]:
        return {instance.decision_number for instance in instances} - {""}

    def check_file(self):
        problems = []
        for (_node, year), instances in self.groups.items():
            numbers = self._decision_numbers(instances)
            if len(numbers) > 1:
                message = _(
                    "One decision approves a year's evaluations: the rows give %(numbers)s."
                )
                problems.append(
                    (
                        instances[0]._import_row,
                        self.header_of("decision_number"),
                        message % {"numbers": ", ".join(sorted(numbers))},
                    )
                )
            rule, rows = self._rows(year, instances)
            quota = evaluations.check_rows(rule, rows)
            for instance, row in zip(instances, rows, strict=True):
                for message in row.errors:
                    problems.append((instance._import_row, self.header_of("level"), message))
            row_errors = sum(len(row.errors) for row in rows)
            for message in quota[row_errors:]:
                problems.append((instances[0]._import_row, self.header_of("level"), message))
        return problems

    def write(self):
        changed = {id(instance) for instance in [*self.creates, *self.updates]}
        for (node, year), instances in self.groups.items():
            if not any(id(instance) in changed for instance in instances):
                continue
            numbers = self._decision_numbers(instances)
            _rule, rows = self._rows(year, instances)
            self.save_group(node, year, rows, numbers.pop() if len(numbers) == 1 else "")


class EvaluationResource(EvaluationSheetRows, MemberRows, ScopedResource):
    year = year_column()
    member_number = Column(
        "member_number",
        "Số lý lịch",
        TextWidget(max_length=20, required=True, validator=MEMBER_NUMBER),
        help=gettext_lazy("Member number of the member evaluated."),
    )
    full_name = Column(
        "holder_name",
        "Họ và tên",
        TextWidget(max_length=120),
        help=gettext_lazy("The member's full name, to catch a mistyped number; may be empty."),
    )
    branch_code = Column(
        "branch_code",
        "Mã chi bộ",
        node_code_widget(required=True),
        help=gettext_lazy("Code of the branch the member was in at the end of that year."),
    )
    score = score_column()
    excellent_conditions = excellent_conditions_column()
    level = level_column()
    not_classified = not_classified_column(
        gettext_lazy("Why the member was not classified; empty when classified.")
    )
    decision_number = decision_number_column()

    examples = [
        ["2020", "0101-00012", "Nguyễn Văn An", "X1-B1", "", "", "Hoàn thành tốt nhiệm vụ", "", ""],
        ["2024", "0101-00012", "Nguyễn Văn An", "X1-B1", "86", "", "", "", "15-QĐ/ĐU"],
        ["2024", "0101-00013", "Trần Thị Bình", "X1-B1", "", "", "", "Miễn sinh hoạt", ""],
    ]

    class Meta(SpreadsheetResource.Meta):
        model = Evaluation
        name = gettext_lazy("Member evaluations")
        fields = [
            "year",
            "member_number",
            "full_name",
            "branch_code",
            "score",
            "excellent_conditions",
            "level",
            "not_classified",
            "decision_number",
        ]

    def dehydrate_member_number(self, evaluation):
        return evaluation.member.member_number

    def dehydrate_full_name(self, evaluation):
        return evaluation.member.full_name

    def dehydrate_branch_code(self, evaluation):
        return evaluation.branch.code

    @classmethod
    def exported(cls, nodes):
        found = Evaluation.objects.filter(branch__in=nodes).select_related("member", "branch")
        return found.order_by("-year", "branch__path", "member__sort_key")

    def _key(self, row):
        return self.cell(row, "member_number"), self.cell(row, "year")

    def prefetch(self, rows):
        self.members = self.members_by_number(rows)
        self.nodes = self.nodes_by_code(self.column_values(rows, "branch_code"))
        self.stored = {}
        for part in chunks([m.pk for m in self.members.values()]):
            for record in Evaluation.objects.filter(member__any=part).select_related("member"):
                self.stored[(record.member.member_number, record.year)] = record
        self.evaluated = {}  # (branch, year) -> ids of the members it evaluates
        self.groups = defaultdict(list)
        self.seen = set()
        self.this_year = timezone.localdate().year

    def existing(self, row):
        return self.stored.get(self._key(row))

    def _evaluated(self, branch, year):
        if (branch.pk, year) not in self.evaluated:
            members = evaluations.members_to_evaluate(branch, year)
            self.evaluated[branch.pk, year] = {m.pk: m for m in members}
        return self.evaluated[branch.pk, year]

    def check_row(self, instance, row, errors, *, new):
        key = self._key(row)
        if key in self.seen and None not in key:
            add_error(errors, "year", _("The same member and year appear twice."))
        self.seen.add(key)
        year = getattr(instance, "year", None)
        if year and year > self.this_year and "year" not in errors:
            add_error(errors, "year", _("This year is in the future."))
        member = self.member_of_row(instance, errors)
        code = getattr(instance, "branch_code", None)
        branch = self.nodes.get(code) if code else None
        if code:
            message = self.node_error(code, branch)
            if message is None and not branch.is_branch:
                message = _("“%(code)s” is not a branch.") % {"code": code}
            if message:
                add_error(errors, "branch_code", message)
                branch = None
        if errors or member is None or branch is None or not year:
            return
        evaluated = self._evaluated(branch, year)
        if member.pk not in evaluated:
            add_error(
                errors,
                "branch_code",
                _("At the end of %(year)s the member was not in %(name)s.")
                % {"year": year, "name": branch.name},
            )
            return
        if not new and instance.branch_id != branch.pk:
            add_error(
                errors,
                "branch_code",
                _("This evaluation was made by another branch; correct it on its sheet."),
            )
            return
        instance.member = evaluated[member.pk]
        instance.branch = branch
        self.set_rule(instance, year)
        self.groups[branch, year].append(instance)

    def row_target(self, instance):
        return instance.member

    def exclusion(self, rule, instance, year) -> str:
        return evaluations.required_exclusion(rule, instance.member, year)

    def save_group(self, branch, year, rows, decision_number):
        evaluations.save_member_year(
            branch=branch, year=year, rows=rows, decision_number=decision_number, by=self.user
        )


class OrganizationEvaluationResource(EvaluationSheetRows, ScopedResource):
    """Organizations' annual evaluations for any year back to 2018, under the rule of that
    year. Natural key: the organization and the year. The rows of one year for the
    organizations under one committee are checked and saved together, as the
    committee's evaluation sheet (branchwork.evaluations.save_organization_year)."""

    node_code = Column(
        "node_code",
        "Mã tổ chức",
        node_code_widget(required=True),
        help=gettext_lazy(
            "Code of the organization evaluated; it is evaluated by the committee directly "
            "above it."
        ),
    )
    year = year_column()
    score = score_column()
    excellent_conditions = excellent_conditions_column()
    level = level_column()
    not_classified = not_classified_column(
        gettext_lazy("Why the organization was not classified; empty when classified.")
    )
    decision_number = decision_number_column()

    examples = [
        ["X1-B1", "2019", "", "", "Hoàn thành xuất sắc nhiệm vụ", "", "21-QĐ/ĐU"],
        ["X1-B2", "2019", "", "", "Hoàn thành tốt nhiệm vụ", "", "21-QĐ/ĐU"],
        ["X1-B1", "2025", "91", "Có", "", "", "30-QĐ/ĐU"],
    ]

    class Meta(SpreadsheetResource.Meta):
        model = OrganizationEvaluation
        name = gettext_lazy("Organization evaluations")
        fields = [
            "node_code",
            "year",
            "score",
            "excellent_conditions",
            "level",
            "not_classified",
            "decision_number",
        ]

    def dehydrate_node_code(self, evaluation):
        return evaluation.node.code

    @classmethod
    def exported(cls, nodes):
        found = OrganizationEvaluation.objects.filter(node__in=nodes).select_related("node")
        return found.order_by("-year", "node__path")

    def _key(self, row):
        return self.cell(row, "node_code"), self.cell(row, "year")

    def prefetch(self, rows):
        self.nodes = self.nodes_by_code(self.column_values(rows, "node_code"))
        # Where each organization stood over time: its committee of a year is the one
        # above it at the year's end, not today's.
        self.placements = defaultdict(list)
        for part in chunks([n.pk for n in self.nodes.values()]):
            for placement in NodePlacement.objects.filter(node__in=part).select_related("parent"):
                self.placements[placement.node_id].append(placement)
        self.stored = {}
        for part in chunks([n.pk for n in self.nodes.values()]):
            found = OrganizationEvaluation.objects.filter(node__in=part).select_related("node")
            self.stored |= {(record.node.code, record.year): record for record in found}
        self.groups = defaultdict(list)
        self.seen = set()
        self.this_year = timezone.localdate().year

    def existing(self, row):
        return self.stored.get(self._key(row))

    def row_target(self, instance):
        return instance.node

    def check_row(self, instance, row, errors, *, new):
        key = self._key(row)
        if key in self.seen and None not in key:
            add_error(errors, "year", _("The same organization and year appear twice."))
        self.seen.add(key)
        year = getattr(instance, "year", None)
        if year and year > self.this_year and "year" not in errors:
            add_error(errors, "year", _("This year is in the future."))
        code = getattr(instance, "node_code", None)
        node = self.nodes.get(code) if code else None
        message = self.node_error(code, node) if code else None
        if message:
            add_error(errors, "node_code", message)
        if errors or node is None or not year:
            return
        placement = self.placement_at(node, year)
        if placement is None:
            message = _("At the end of %(year)s the organization %(name)s did not exist.")
            add_error(errors, "node_code", message % {"year": year, "name": node.name})
            return
        parent = placement.parent
        if parent is None or not self.in_scope(parent):
            message = _("“%(code)s” is evaluated by a committee outside your part of the tree.")
            add_error(errors, "node_code", message % {"code": code})
            return
        instance.node = node
        self.set_rule(instance, year)
        self.groups[parent, year].append(instance)

    def placement_at(self, node, year: int):
        """Where `node` stood at the end of `year` (its `parent` is the committee that
        evaluated it), None if it did not exist then: evaluations.organizations_to_evaluate
        in memory."""
        end = evaluations.year_end(year)
        for placement in self.placements[node.pk]:
            if covers(placement.valid_from, placement.valid_to, end):
                return placement
        return None

    def save_group(self, parent, year, rows, decision_number):
        evaluations.save_organization_year(
            node=parent, year=year, rows=rows, decision_number=decision_number, by=self.user
        )
