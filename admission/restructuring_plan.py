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
from simple_history.utils import bulk_create_with_history

from admission.restructuring import merge_nodes, split_node
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
from members.models import Member, Membership
from members.restructuring import Assignment
from partyorg.imports.columns import ChoiceWidget, Column, DateWidget, TextWidget
from partyorg.imports.resources import RefusedRows, SpreadsheetResource, add_error

OPERATION_WORDS = {
    Operation.CREATE: "Thành lập",
    Operation.RENAME: "Đổi tên",
    Operation.MOVE: "Chuyển",
    Operation.MERGE: "Hợp nhất",
    Operation.DISSOLVE: "Giải thể",
    Operation.SPLIT: "Tách",
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
    Operation.SPLIT: ("old_codes", "new_code"),
}
GROUPED = {Operation.SPLIT, Operation.DISSOLVE}
TREE_LEVELS_SHOWN = 4
TREE_ROWS_SHOWN = 300


def _node(code: str) -> OrganizationNode:
    return OrganizationNode.objects.get(code=code)


@dataclass
class Moved:
    code: str
    name: str
    branches: int
    members: int
    areas: int
    names: list[str] = field(default_factory=list)  # a split's parts, one by one


def _grouped(step: RestructuringStep) -> bool:
    """Whether the row is one of a split's or a dissolution's rows: the rows with the same
    operation, organization and date make one operation, each row a receiving
    organization with the parts it receives (the row without parts receives the rest)."""
    return step.operation in GROUPED and len(step.old_code_list) == 1


def _group_key(step: RestructuringStep) -> tuple:
    return (step.operation, step.old_code_list[0], step.on)


@dataclass
class Share:
    """What one row of a split or dissolution sends to its receiving organization."""

    step: RestructuringStep
    children: list[OrganizationNode] = field(default_factory=list)
    members: dict[int, str] = field(default_factory=dict)
    areas: list[ResidentialArea] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _receiver(step: RestructuringStep) -> str:
    """The code of the organization a grouped row's parts go to ("" for a dissolution's
    rest without a parent column: the dissolved organization's parent)."""
    return step.new_code if step.operation == Operation.SPLIT else step.parent_code


class PlanRun:
    """Carries out a plan's steps in order through the domain functions; a split's or
    dissolution's rows are read together at the first of them and carried out at the
    last (each earlier row only creates its receiving organization)."""

    def __init__(self, steps: list[RestructuringStep], *, by):
        self.by = by
        self.groups: dict[tuple, list[RestructuringStep]] = {}
        for step in steps:
            if _grouped(step):
                self.groups.setdefault(_group_key(step), []).append(step)
        self.shares: dict[int, Share] = {}  # by row

    def moves(self, step: RestructuringStep) -> list[Moved]:
        """What the step moves, read before it is carried out."""
        if not _grouped(step):
            return _what_moves(step)
        share = self._share(step)
        children = [_moved(child) for child in share.children]
        return [
            Moved(
                _receiver(step) or "—",
                _receiver_name(step),
                sum(m.branches for m in children),
                sum(m.members for m in children) + len(share.members),
                sum(m.areas for m in children) + len(share.areas),
                names=[c.name for c in share.children]
                + sorted(share.members.values())
                + [a.name for a in share.areas],
            )
        ]

    def _share(self, step: RestructuringStep) -> Share:
        if step.row not in self.shares:
            group = self.groups[_group_key(step)]
            self.shares |= {s.step.row: s for s in _shares(group)}
        return self.shares[step.row]

    def perform(self, step: RestructuringStep) -> None:
        """Carry out one step (ValidationError when it cannot)."""
        by = self.by
        olds = [_node(code) for code in step.old_code_list]
        parent = _node(step.parent_code) if step.parent_code else None
        if step.operation == Operation.CREATE or (
            step.operation in {Operation.MERGE, Operation.SPLIT}
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
        if _grouped(step):
            self._perform_grouped(step, olds[0])
        elif step.operation == Operation.RENAME:
            rename_node(olds[0], on=step.on, name=step.name or None, kind=step.kind or None, by=by)
        elif step.operation == Operation.MOVE:
            domain.move_nodes([(node, parent) for node in olds], on=step.on, by=by)
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

    def _perform_grouped(self, step: RestructuringStep, node: OrganizationNode) -> None:
        share = self._share(step)
        if share.errors:
            raise ValidationError(share.errors)
        group = self.groups[_group_key(step)]
        if step is not group[-1]:
            return
        failed = [s.row for s in group if self.shares[s.row].errors]
        if failed:
            raise ValidationError(
                _("Not carried out: row %(rows)s of the same operation has errors.")
                % {"rows": ", ".join(map(str, failed))}
            )
        rest = next((s for s in group if not s.part_list), None)
        plan = Assignment(default=_node(_receiver(rest)) if rest and _receiver(rest) else None)
        for member in group:
            if not member.part_list:
                continue
            target, part = _node(_receiver(member)), self.shares[member.row]
            plan.children |= {child.pk: target for child in part.children}
            plan.members |= dict.fromkeys(part.members, target)
            plan.areas |= {area.pk: target for area in part.areas}
        if step.operation == Operation.SPLIT:
            split_node(
                node, plan=plan, on=step.on, document_number=step.document_number, by=self.by
            )
        else:
            targets = {c.pk: plan.default for c in active_children(node) if plan.default}
            dissolve_node(node, on=step.on, targets=targets | plan.children, by=self.by)


def _receiver_name(step: RestructuringStep) -> str:
    code = _receiver(step)
    if not code:
        return _("The organization above")
    existing = OrganizationNode.objects.filter(code=code).values_list("name", flat=True)
    return existing.first() or step.name


def _shares(group: list[RestructuringStep]) -> list[Share]:
    """Each row's parts, read against the organization as it stands now; every part named
    once at most, one row at most without parts (receiving the rest)."""
    node = _node(group[0].old_code_list[0])
    shares = [Share(step) for step in group]
    children = {c.code.upper(): c for c in active_children(node)}
    members, areas = {}, {}
    if group[0].operation == Operation.SPLIT and node.is_branch:
        homes = Membership.objects.open().filter(branch=node, kind=MembershipKind.HOME)
        members = {
            number.upper(): (pk, name)
            for pk, number, name in Member.objects.filter(
                pk__in=homes.values("member_id")
            ).values_list("pk", "member_number", "full_name")
        }
    if group[0].operation == Operation.SPLIT:
        areas = {a.code.upper(): a for a in ResidentialArea.objects.filter(branch=node)}
    named: dict[str, int] = {}
    rest = None
    for share in shares:
        step = share.step
        if not step.part_list:
            if rest is not None:
                share.errors.append(
                    _("Row %(row)s already receives the rest: name the parts of this row.")
                    % {"row": rest.step.row}
                )
            rest = rest or share
        for code in step.part_list:
            if code in named:
                share.errors.append(
                    _("“%(code)s” is named on row %(row)s already.")
                    % {"code": code, "row": named[code]}
                )
            elif code in children:
                share.children.append(children[code])
            elif code in members:
                pk, name = members[code]
                share.members[pk] = name
            elif code in areas:
                share.areas.append(areas[code])
            else:
                share.errors.append(
                    _(
                        "“%(code)s” is neither an organization below “%(name)s” nor one of "
                        "its members or residential areas."
                    )
                    % {"code": code, "name": node.name}
                )
            named.setdefault(code, step.row)
    if rest is not None:
        taken = {pk for s in shares for pk in s.members}
        rest.children = [c for code, c in children.items() if code not in named]
        rest.members = {pk: name for pk, name in members.values() if pk not in taken}
        rest.areas = [a for code, a in areas.items() if code not in named]
    return shares


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


def _moved(node: OrganizationNode) -> Moved:
    """The active branches, their members and the residential areas of `node`'s subtree."""
    below = OrganizationNode.objects.filter(path__startswith=node.path)
    branches = below.open().filter(kind__in=BRANCH_KINDS)
    return Moved(
        node.code,
        node.name,
        branches.count(),
        Membership.objects.open().filter(branch__in=branches, kind=MembershipKind.HOME).count(),
        ResidentialArea.objects.filter(branch__path__startswith=node.path).count(),
    )


def _what_moves(step: RestructuringStep) -> list[Moved]:
    return [_moved(node) for node in OrganizationNode.objects.filter(code__in=step.old_code_list)]


def rehearse(steps: list[RestructuringStep], *, user, root) -> Preview:
    """Perform `steps` in order inside a transaction that is rolled back: the tree
    before and after, what each step moves, and each step's errors."""
    preview = Preview(before=tree_rows(root))
    run = PlanRun(steps, by=user)
    with transaction.atomic():
        for step in steps:
            moved = run.moves(step)
            messages = []
            try:
                with transaction.atomic():
                    run.perform(step)
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
            "Create, rename (or change kind), move, merge, split or dissolve. Rows are "
            "carried out in order; a split takes one row per receiving organization."
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
    parts = Column(
        "parts",
        "Thành phần chuyển sang",
        TextWidget(max_length=5000),
        help=gettext_lazy(
            "For a split or a dissolution, one row per receiving organization (the new "
            "code, or the parent code for a dissolution): the codes of the organizations "
            "below, the member numbers and the residential-area codes it receives, "
            "separated by commas. The row left empty receives everything not named."
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
            "parts",
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
        instance.parts = ", ".join(instance.part_list)
        for attribute in NEEDS[Operation(operation)]:
            if not getattr(instance, attribute):
                add_error(errors, attribute, _("This operation needs this column."))
        for code in instance.old_code_list:
            self._check_code(code, "old_codes", errors)
        if instance.parent_code:
            self._check_code(instance.parent_code, "parent_code", errors)
        if operation in GROUPED:
            self._check_grouped(instance, errors)
        creates = operation == Operation.CREATE or (
            operation == Operation.MERGE and instance.new_code not in self.nodes
        )
        creates |= operation == Operation.SPLIT and not (
            instance.new_code in self.nodes or instance.new_code in self.planned
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

    def _check_grouped(self, instance, errors):
        several = len(instance.old_code_list) > 1
        if several and (instance.operation == Operation.SPLIT or instance.part_list):
            add_error(errors, "old_codes", _("Name one organization on this row."))
        dissolving = instance.operation == Operation.DISSOLVE
        if dissolving and instance.part_list and not instance.parent_code:
            add_error(errors, "parent_code", _("Name the organization that receives the parts."))

    def _check_code(self, code, attribute, errors):
        if code in self.planned:
            return
        message = self.node_error(code, self.nodes.get(code))
        if message:
            add_error(errors, attribute, message)

    def check_file(self):
        """The rehearsal: with every row valid on its own, the steps are performed in
        order and rolled back; a step that fails gives its row's errors. Not before
        write(), which performs the same steps and refuses the plan at the first that
        fails."""
        if self.applying:
            return []
        self.preview = rehearse(self.creates, user=self.user, root=self.root)
        return [
            (step.row, "", message)
            for step, messages in self.preview.errors
            for message in messages
        ]

    def write(self):
        run = PlanRun(self.creates, by=self.user)
        for step in self.creates:
            try:
                run.perform(step)
            except ValidationError as error:
                problems = [(step.row, "", message) for message in error.messages]
                raise RefusedRows(problems) from error
            step.node = _node(step.new_code or step.old_code_list[0])
        bulk_create_with_history(
            self.creates,
            RestructuringStep,
            default_user=self.user,
            default_change_reason=self.label,
        )
