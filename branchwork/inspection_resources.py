"""Import and export of inspections (kiểm tra) as spreadsheets: one inspection a row, of
an organization or of a member, recorded through branchwork.inspections.

An inspection has no number of its own: a row is the same inspection as a stored one
when the inspecting organization, the day, what was inspected and the subject agree, and
is then left alone, so the same file imported twice changes nothing.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.resources import ScopedResource, node_code_widget
from branchwork.inspections import record_inspection
from branchwork.models import Inspection
from members.models import MEMBER_NUMBER, Member
from partyorg.imports.columns import Column, DateWidget, TextWidget
from partyorg.imports.resources import (
    RehearsedResource,
    SpreadsheetResource,
    add_error,
    chunks,
)

FIELD_COLUMNS = {
    "date": "date",
    "subject": "subject",
    "inspected_node": "inspected_code",
    "inspected_member": "member_number",
}


class InspectionResource(RehearsedResource, ScopedResource):
    field_columns = FIELD_COLUMNS
    general_column = "inspecting_code"

    inspecting_code = Column(
        "inspecting_code",
        "Mã tổ chức kiểm tra",
        node_code_widget(required=True),
        help=gettext_lazy("Code of the branch or committee that inspected."),
    )
    date = Column(
        "date", "Ngày", DateWidget(required=True), help=gettext_lazy("Day of the conclusion.")
    )
    inspected_code = Column(
        "inspected_code",
        "Mã tổ chức được kiểm tra",
        node_code_widget(required=False),
        help=gettext_lazy("Code of the organization inspected; empty for a member."),
    )
    member_number = Column(
        "member_number",
        "Số lý lịch đảng viên được kiểm tra",
        TextWidget(max_length=20, validator=MEMBER_NUMBER),
        help=gettext_lazy("Member number of the member inspected; empty for an organization."),
    )
    subject = Column(
        "subject",
        "Nội dung kiểm tra",
        TextWidget(max_length=300, required=True),
        help=gettext_lazy("What was inspected."),
    )
    conclusion = Column(
        "conclusion", "Kết luận", TextWidget(max_length=2000), help=gettext_lazy("The conclusion.")
    )
    document_number = Column(
        "document_number",
        "Số văn bản",
        TextWidget(max_length=50),
        help=gettext_lazy("Number of the conclusion or report."),
    )

    examples = [
        [
            "X1",
            "20/11/2021",
            "X1-B1",
            "",
            "Việc thực hiện Điều lệ Đảng",
            "Thực hiện tốt",
            "08-TB/ĐU",
        ],
        ["X1-B1", "15/10/2022", "", "0101-00012", "Việc chấp hành nghị quyết", "", ""],
    ]

    class Meta(SpreadsheetResource.Meta):
        model = Inspection
        name = gettext_lazy("Inspections")
        fields = [
            "inspecting_code",
            "date",
            "inspected_code",
            "member_number",
            "subject",
            "conclusion",
            "document_number",
        ]

    def dehydrate_inspecting_code(self, inspection):
        return inspection.inspecting_node.code

    def dehydrate_inspected_code(self, inspection):
        return inspection.inspected_node.code if inspection.inspected_node else ""

    def dehydrate_member_number(self, inspection):
        member = inspection.inspected_member
        return member.member_number if member else ""

    @classmethod
    def exported(cls, nodes):
        found = Inspection.objects.filter(inspecting_node__in=nodes).select_related(
            "inspecting_node", "inspected_node", "inspected_member"
        )
        return found.order_by("-date", "inspecting_node__path", "pk")

    @staticmethod
    def _stored_key(inspection):
        return (
            inspection.inspecting_node.code,
            inspection.date,
            inspection.inspected_node.code if inspection.inspected_node else "",
            inspection.inspected_member.member_number if inspection.inspected_member else "",
            inspection.subject,
        )

    def _key(self, row):
        names = ("inspecting_code", "date", "inspected_code", "member_number", "subject")
        return tuple(self.cell(row, name) or "" for name in names)

    def prefetch(self, rows):
        codes = [*self.column_values(rows, "inspecting_code")]
        codes += self.column_values(rows, "inspected_code")
        self.nodes = self.nodes_by_code(codes)
        numbers = set(self.column_values(rows, "member_number")) - {None, ""}
        self.members = {}
        for part in chunks(numbers):
            found = Member.objects.filter(member_number__any=part).select_related("branch")
            self.members |= {m.member_number: m for m in found}
        inspecting = [n.pk for n in self.nodes.values()]
        stored = Inspection.objects.filter(inspecting_node__in=inspecting).select_related(
            "inspecting_node", "inspected_node", "inspected_member"
        )
        self.stored = {self._stored_key(i): i for i in stored}
        self.seen = set()

    def existing(self, row):
        return self.stored.get(self._key(row))

    def snapshot_fields(self):
        # A stored inspection is matched, not rewritten: it has no update in the domain.
        return []

    def check_row(self, instance, row, errors, *, new):
        key = self._key(row)
        if key in self.seen:
            add_error(errors, "subject", _("The same inspection appears twice in the file."))
        self.seen.add(key)
        if not new:
            return
        for attribute, target in (("inspecting_code", "node"), ("inspected_code", "inspected")):
            code = getattr(instance, attribute, "")
            node = self.nodes.get(code) if code else None
            message = self.node_error(code, node) if code else None
            if message:
                add_error(errors, attribute, message)
            setattr(instance, f"_{target}", None if message else node)
        number = getattr(instance, "member_number", "")
        member = self.members.get(number) if number else None
        if number and (member is None or not self.in_scope(member.branch)):
            message = _("There is no member with number “%(number)s” in your part of the tree.")
            add_error(errors, "member_number", message % {"number": number})
        if number and getattr(instance, "inspected_code", ""):
            add_error(errors, "member_number", _("Name the organization or the member, not both."))
        instance._member = member
        if not errors:
            self.planned.append(instance)

    def perform(self, instance):
        record_inspection(
            inspecting_node=instance._node,
            date=instance.date,
            subject=instance.subject,
            inspected_node=instance._inspected,
            inspected_member=instance._member,
            conclusion=instance.conclusion,
            document_number=instance.document_number,
            by=self.user,
        )
