"""Import and export of posts and concurrent roles (Position) as spreadsheets.

A row is one term of one post: the member (by member number), the post, where it is held
(an organization's code for a party post, a village or residential group's code for a
concurrent role), from when, until when, and the appointing document. The natural key is
member, post, place and start date: a row already stored changes only its end date and
document, so the same file imported twice changes nothing the second time.
"""

import copy

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import ResidentialArea
from branches.resources import ScopedResource, node_code_widget
from members import positions
from members.enums import PARTY_POSITIONS, PositionRole
from members.import_rows import MemberRows
from members.models import MEMBER_NUMBER, Position
from partyorg.imports.columns import ChoiceWidget, Column, DateWidget, TextWidget
from partyorg.imports.resources import SpreadsheetResource, add_error, chunks

ROLE_WORDS = {
    PositionRole.SECRETARY: "Bí thư",
    PositionRole.DEPUTY_SECRETARY: "Phó Bí thư",
    PositionRole.COMMITTEE_MEMBER: "Cấp ủy viên",
    PositionRole.VILLAGE_HEAD: "Trưởng thôn, tổ trưởng tổ dân phố",
    PositionRole.FRONT_COMMITTEE_HEAD: "Trưởng ban công tác Mặt trận",
}
ROLE_ALIASES = {
    "Chi ủy viên": PositionRole.COMMITTEE_MEMBER,
    "Đảng ủy viên": PositionRole.COMMITTEE_MEMBER,
    "Ủy viên ban chấp hành": PositionRole.COMMITTEE_MEMBER,
    "Trưởng thôn": PositionRole.VILLAGE_HEAD,
    "Trưởng ấp": PositionRole.VILLAGE_HEAD,
    "Trưởng bản": PositionRole.VILLAGE_HEAD,
    "Tổ trưởng tổ dân phố": PositionRole.VILLAGE_HEAD,
    "Trưởng khu phố": PositionRole.VILLAGE_HEAD,
    "Trưởng ban CTMT": PositionRole.FRONT_COMMITTEE_HEAD,
}
# Rule errors of members.positions, by spreadsheet column.
FIELD_COLUMNS = {
    "node": "node_code",
    "residential_area": "area_code",
    "member": "member_number",
    "start_date": "start_date",
    "end_date": "end_date",
}


class PositionResource(MemberRows, ScopedResource):
    member_number = Column(
        "member_number",
        "Số lý lịch",
        TextWidget(max_length=20, required=True, validator=MEMBER_NUMBER),
        help=gettext_lazy("Member number of the holder, a member of your part of the tree."),
    )
    full_name = Column(
        "holder_name",
        "Họ và tên",
        TextWidget(max_length=120),
        help=gettext_lazy(
            "The holder's full name, to catch a mistyped member number; may be left empty."
        ),
    )
    role = Column(
        "role",
        "Chức vụ",
        ChoiceWidget(PositionRole, ROLE_WORDS, aliases=ROLE_ALIASES, required=True),
        help=gettext_lazy(
            "The post: a party post (secretary, deputy, committee member) or a concurrent "
            "role in a village or residential group."
        ),
    )
    node_code = Column(
        "node_code",
        "Mã tổ chức",
        node_code_widget(required=False),
        help=gettext_lazy("For a party post: code of the organization; empty for a role."),
    )
    area_code = Column(
        "area_code",
        "Mã thôn, tổ dân phố",
        TextWidget(max_length=32),
        help=gettext_lazy(
            "For a village head or head of the front work committee: code of the village "
            "or residential group; empty for a party post."
        ),
    )
    start_date = Column(
        "start_date",
        "Từ ngày",
        DateWidget(required=True),
        help=gettext_lazy("First day of the term."),
    )
    end_date = Column(
        "end_date",
        "Đến ngày",
        DateWidget(),
        help=gettext_lazy("First day out of the post; empty while it is held."),
    )
    document_number = Column(
        "document_number",
        "Số quyết định",
        TextWidget(max_length=50),
        help=gettext_lazy("Number of the appointing or approving document."),
    )

    examples = [
        ["0101-00012", "Nguyễn Văn An", "Bí thư", "X1-B1", "", "15/06/2020", "", "12-QĐ/ĐU"],
        ["0101-00013", "Trần Thị Bình", "Phó Bí thư", "X1-B1", "", "15/06/2020", "", ""],
        [
            "0101-00012",
            "Nguyễn Văn An",
            "Trưởng thôn, tổ trưởng tổ dân phố",
            "",
            "T01",
            "01/01/2019",
            "01/01/2024",
            "45/QĐ-UBND",
        ],
    ]

    class Meta(SpreadsheetResource.Meta):
        model = Position
        name = gettext_lazy("Positions and concurrent roles")
        fields = [
            "member_number",
            "full_name",
            "role",
            "node_code",
            "area_code",
            "start_date",
            "end_date",
            "document_number",
        ]

    def dehydrate_member_number(self, position):
        return position.member.member_number

    def dehydrate_full_name(self, position):
        return position.member.full_name

    def dehydrate_node_code(self, position):
        return position.node.code if position.node else ""

    def dehydrate_area_code(self, position):
        return position.residential_area.code if position.residential_area else ""

    @classmethod
    def exported(cls, nodes):
        """The posts held in `nodes` or in the areas their branches cover."""
        in_nodes = Position.objects.filter(node__in=nodes)
        in_areas = Position.objects.filter(residential_area__branch__in=nodes)
        return (
            (in_nodes | in_areas)
            .select_related("member", "node", "residential_area")
            .order_by("node__path", "residential_area__code", "role", "start_date", "pk")
        )

    # --- reading a file ------------------------------------------------------------------

    def _key(self, row) -> tuple:
        return tuple(
            self.cell(row, name)
            for name in ("member_number", "role", "node_code", "area_code", "start_date")
        )

    @staticmethod
    def _stored_key(position) -> tuple:
        return (
            position.member.member_number,
            position.role,
            position.node.code if position.node else "",
            position.residential_area.code if position.residential_area else "",
            position.start_date,
        )

    def prefetch(self, rows):
        self.members = self.members_by_number(rows)
        self.nodes = self.nodes_by_code(self.column_values(rows, "node_code"))
        codes = set(self.column_values(rows, "area_code")) - {None, ""}
        self.areas = {
            a.code: a
            for part in chunks(codes)
            for a in ResidentialArea.objects.filter(code__any=part).select_related("branch")
        }
        stored = Position.objects.filter(member__in=self.members.values()).select_related(
            "member", "node", "residential_area"
        )
        self.stored = {self._stored_key(p): p for p in stored}
        # Each stored post the file names, as the file will leave it: the rules compare
        # every row with these rather than with what the database holds now.
        self.in_file = {}
        for row in rows:
            position = self.stored.get(self._key(row))
            if position is not None:
                shadow = copy.copy(position)
                shadow.end_date = self.cell(row, "end_date")
                self.in_file[position.pk] = shadow
        self.planned = []
        self.seen = set()

    def existing(self, row):
        return self.stored.get(self._key(row))

    def check_row(self, instance, row, errors, *, new):
        key = self._key(row)
        if key in self.seen and None not in key:
            add_error(errors, "member_number", _("The same term appears twice in the file."))
        self.seen.add(key)
        member = self.member_of_row(instance, errors)
        if new:
            instance.member = member
            self._place(instance, errors)
        if errors or member is None:
            return
        also = [p for pk, p in self.in_file.items() if pk != instance.pk] + self.planned
        problems = positions.position_errors(instance, also=also, replaced=set(self.in_file))
        for field, messages in problems.items():
            for message in messages:
                add_error(errors, FIELD_COLUMNS.get(field, "member_number"), message)
        if new:
            self.planned.append(instance)

    def _place(self, instance, errors) -> None:
        node_code = getattr(instance, "node_code", "")
        area_code = getattr(instance, "area_code", "")
        if instance.role in PARTY_POSITIONS:
            if area_code:
                add_error(errors, "area_code", _("A party post names no village; leave it empty."))
            if not node_code:
                add_error(errors, "node_code", _("A party post needs the organization's code."))
                return
            node = self.nodes.get(node_code)
            message = self.node_error(node_code, node)
            if message:
                add_error(errors, "node_code", message)
            else:
                instance.node = node
        elif instance.role:
            if node_code:
                add_error(errors, "node_code", _("This role is held in a village; leave it empty."))
            if not area_code:
                add_error(errors, "area_code", _("This role needs the village's code."))
                return
            area = self.areas.get(area_code)
            if area is None or not self.in_scope(area.branch):
                add_error(
                    errors,
                    "area_code",
                    _(
                        "There is no village or residential group “%(code)s” in your part "
                        "of the tree."
                    )
                    % {"code": area_code},
                )
            else:
                instance.residential_area = area

    def write(self):
        positions.save_positions([*self.updates, *self.creates], by=self.user)
