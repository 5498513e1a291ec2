"""A restructuring plan from a spreadsheet (a resolution's annex: which communes merge
into which, which districts are dissolved), one operation a row, through the import
engine: every row is checked, then the whole plan is rehearsed in a transaction that is
rolled back, so the preview shows the tree before and after, what each operation moves
and every error by row; applying performs the same steps for real, all or nothing, and
keeps them as RestructuringStep rows whose history names the import and who applied it.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.results import InvalidRow
from simple_history.utils import bulk_create_with_history

from admission.restructuring import merge_nodes
from branches import domain
from branches.enums import BRANCH_KINDS, NodeKind, Operation, Sector
from branches.models import OrganizationNode, ResidentialArea, RestructuringStep
from branches.queries import is_officer
from branches.resources import (
    KIND_ALIASES,
    KIND_WORDS,
    SECTOR_ALIASES,
    SECTOR_WORDS,
    ScopedResource,
    node_code_widget,
)
from branches.restructuring import active_children, dissolve_node, rename_node
from members.enums import MembershipKind
from members.models import Membership
from partyorg.imports.columns import ChoiceWidget, Column, DateWidget, TextWidget
from partyorg.imports.resources import SpreadsheetResource, add_error

OPERATION_WORDS = {
    Operation.CREATE: "Thành lập",
    Operation.RENAME: "Đổi tên",
    Operation.MOVE: "Chuyển",
    Operation.MERGE: "Hợp nhất",
    Operation.DISSOLVE: "Giải thể",
}
OPERATION_ALIASES = {
    "Sáp nhập": Operation.MERGE,
    "Tạo mới": Operation.CREATE,
    "Đổi loại": Operation.RENAME,
    "Kết thúc hoạt động": Operation.DISSOLVE,
}
# What each operation needs besides the date: the attributes of the row.
NEEDS = {
    Operation.CREATE: ("new_code", "name", "kind", "parent_code"),
    Operation.RENAME: ("old_codes",),
    Operation.MOVE: ("old_codes", "parent_code"),
    Operation.MERGE: ("old_codes", "new_code"),
    Operation.DISSOLVE: ("old_codes",),
}
TREE_LEVELS_SHOWN = 4
TREE_ROWS_SHOWN = 300


def _node(code: str) -> OrganizationNode:
    return OrganizationNode.objects.get(code=code)


def perform(step: RestructuringStep, *, by) -> None:
    """Carry out one step through the domain functions (ValidationError when it cannot)."""
    olds = [_node(code) for code in step.old_code_list]
    parent = _node(step.parent_code) if step.parent_code else None
    if step.operation == Operation.CREATE or (
        step.operation == Operation.MERGE
        and not OrganizationNode.objects.filter(code=step.new_code).exists()
    ):
        domain.create_node(
            parent=parent,
            code=step.new_code,
            name=step.name,
            kind=step.kind,
            sector=step.sector,
            established_on=step.on,
        )
    if step.operation == Operation.RENAME:
        rename_node(olds[0], on=step.on, name=step.name or None, kind=step.kind or None, by=by)
    elif step.operation == Operation.MOVE:
        for node in olds:
            domain.move_node(node, new_parent=parent, on=step.on, by=by)
    elif step.operation == Operation.MERGE:
        merge_nodes(
            olds,
            into=_node(step.new_code),
            on=step.on,
            document_number=step.document_number,
            by=by,
        )
    elif step.operation == Operation.DISSOLVE:
        for node in olds:
            targets = {c.pk: parent for c in active_children(node)} if parent else None
            dissolve_node(node, on=step.on, targets=targets, by=by)


@dataclass
class Moved:
    code: str
    name: str
    branches: int
    members: int
    areas: int


@dataclass
class Preview:
    before: list[dict]
    after: list[dict] = field(default_factory=list)
    steps: list[tuple[RestructuringStep, list[Moved], list[str]]] = field(default_factory=list)

    @property
    def errors(self) -> list[tuple[RestructuringStep, list[str]]]:
        return [(step, messages) for step, _moved, messages in self.steps if messages]


def tree_rows(root: OrganizationNode | None) -> list[dict]:
    """The active tree under `root` (every root for None), a few levels deep."""
    nodes = OrganizationNode.objects.open()
    top = 1
    if root is not None:
        nodes, top = nodes.filter(path__startswith=root.path), root.depth
    rows = nodes.filter(depth__lt=top + TREE_LEVELS_SHOWN).order_by("path")[:TREE_ROWS_SHOWN]
    return [
        {
            "indent": n.depth - top,
            "code": n.code,
            "name": n.name,
            "kind": n.get_kind_display(),
        }
        for n in rows
    ]


def _what_moves(step: RestructuringStep) -> list[Moved]:
    moved = []
    for node in OrganizationNode.objects.filter(code__in=step.old_code_list):
        below = OrganizationNode.objects.filter(path__startswith=node.path)
        branches = below.open().filter(kind__in=BRANCH_KINDS)
        moved.append(
            Moved(
                node.code,
                node.name,
                branches.count(),
                Membership.objects.open()
                .filter(branch__in=branches, kind=MembershipKind.HOME)
                .count(),
                ResidentialArea.objects.filter(branch__path__startswith=node.path).count(),
            )
        )
    return moved


def rehearse(steps: list[RestructuringStep], *, user, root) -> Preview:
    """Perform `steps` in order inside a transaction that is rolled back: the tree
    before and after, what each step moves, and each step's errors."""
    preview = Preview(before=tree_rows(root))
    with transaction.atomic():
        for step in steps:
            moved = _what_moves(step)
            messages = []
            try:
                with transaction.atomic():
                    perform(step, by=user)
            except ValidationError as error:
                messages = error.messages
            preview.steps.append((step, moved, messages))
        preview.after = tree_rows(root)
        transaction.set_rollback(True)
    return preview


class PlanResource(ScopedResource):
    operation = Column(
        "operation",
        "Thao tác",
        ChoiceWidget(Operation, OPERATION_WORDS, aliases=OPERATION_ALIASES, required=True),
        help=gettext_lazy(
            "Create, rename (or change kind), move, merge or dissolve. Rows are carried "
            "out in order; a split is done on the organization's page."
        ),
    )
    old_codes = Column(
        "old_codes",
        "Mã tổ chức cũ",
        TextWidget(max_length=500),
        help=gettext_lazy(
            "Codes of the organizations the row acts on, separated by commas (several for a merge)."
        ),
    )
    new_code = Column(
        "new_code",
        "Mã tổ chức mới",
        node_code_widget(required=False),
        help=gettext_lazy(
            "Code of the organization created, or merged into (created with the name, "
            "kind and parent of the row when it does not exist)."
        ),
    )
    name = Column(
        "name",
        "Tên tổ chức",
        TextWidget(max_length=200),
        help=gettext_lazy("Name of a new organization, or the new name."),
    )
    kind = Column(
        "kind",
        "Loại tổ chức",
        ChoiceWidget(NodeKind, KIND_WORDS, aliases=KIND_ALIASES),
        help=gettext_lazy("Kind of a new organization, or the new kind."),
    )
    sector = Column(
        "sector",
        "Khối",
        ChoiceWidget(Sector, SECTOR_WORDS, aliases=SECTOR_ALIASES),
        help=gettext_lazy("Sector of a new grassroots or commune-level organization."),
    )
    parent_code = Column(
        "parent_code",
        "Mã tổ chức cấp trên",
        node_code_widget(required=False),
        help=gettext_lazy(
            "Parent of a new or moved organization; for a dissolution, where its "
            "organizations go (default: the dissolved organization's parent)."
        ),
    )
    on = Column(
        "on",
        "Ngày hiệu lực",
        DateWidget(required=True),
        help=gettext_lazy("First day the change holds."),
    )
    document_number = Column(
        "document_number",
        "Số quyết định",
        TextWidget(max_length=50),
        help=gettext_lazy("Number of the decision."),
    )

    class Meta(SpreadsheetResource.Meta):
        model = RestructuringStep
        name = gettext_lazy("Restructuring plan")
        fields = [
            "operation",
            "old_codes",
            "new_code",
            "name",
            "kind",
            "sector",
            "parent_code",
            "on",
            "document_number",
        ]

    def prefetch(self, rows):
        codes = set()
        for row in rows:
            codes |= {c.strip().upper() for c in (self.cell(row, "old_codes") or "").split(",")}
            codes |= {self.cell(row, "new_code"), self.cell(row, "parent_code")}
        self.nodes = self.nodes_by_code(codes)
        self.planned = set()  # codes created by earlier rows

    def existing(self, row):
        return None

    def check_row(self, instance, row, errors, *, new):
        if self.user is not None and not is_officer(self.user):
            add_error(errors, "operation", _("Only an officer restructures organizations."))
            return
        instance.row = instance._import_row
        operation = instance.operation
        if not operation:
            return
        instance.old_codes = ", ".join(instance.old_code_list)
        for attribute in NEEDS[Operation(operation)]:
            if not getattr(instance, attribute):
                add_error(errors, attribute, _("This operation needs this column."))
        for code in instance.old_code_list:
            self._check_code(code, "old_codes", errors)
        if instance.parent_code:
            self._check_code(instance.parent_code, "parent_code", errors)
        creates = operation == Operation.CREATE or (
            operation == Operation.MERGE and instance.new_code not in self.nodes
        )
        if creates and instance.new_code:
            if instance.new_code in self.nodes or instance.new_code in self.planned:
                add_error(errors, "new_code", _("An organization with this code exists already."))
            for attribute in ("name", "kind", "parent_code"):
                if not getattr(instance, attribute):
                    add_error(errors, attribute, _("A new organization needs this column."))
            self.planned.add(instance.new_code)
        elif instance.new_code:
            self._check_code(instance.new_code, "new_code", errors)

    def _check_code(self, code, attribute, errors):
        if code in self.planned:
            return
        message = self.node_error(code, self.nodes.get(code))
        if message:
            add_error(errors, attribute, message)

    def after_import(self, dataset, result, **kwargs):
        """The rehearsal: with every row valid on its own, the steps are performed in
        order and rolled back; a step that fails gives its row's errors."""
        if result.has_validation_errors():
            return
        self.preview = rehearse(self.creates, user=self.user, root=self.root)
        for step, messages in self.preview.errors:
            result.invalid_rows.append(InvalidRow(step.row - 1, ValidationError(messages), {}))

    def write(self):
        for step in self.creates:
            perform(step, by=self.user)
            step.node = _node(step.new_code or step.old_code_list[0])
        bulk_create_with_history(
            self.creates,
            RestructuringStep,
            default_user=self.user,
            default_change_reason=self.label,
        )
