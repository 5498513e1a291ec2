"""Import of member events during a period (biến động đảng viên): transfers, exemption
and its end, removals, expulsions, departures, deaths, readmission, one event a row.

Each row goes through the domain function the member's page uses (members.lifecycle,
members.transfers), in the file's order. The check rehearses them all in a transaction
that is rolled back, so every error is reported by row before anything is written;
applying performs the same calls, all or nothing. A row whose event is already recorded
(same member, kind and date) is left alone: the same file imported twice changes
nothing. Arrivals are imported with the member file and its "in this branch since".
"""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches import competence
from branches.competence import Step
from branches.resources import ScopedResource, node_code_widget
from members import lifecycle, transfers
from members.enums import EventKind, ExitKind, TransferKind
from members.import_rows import MemberRows
from members.models import MEMBER_NUMBER, Member, StatusEvent
from partyorg.imports.columns import ChoiceWidget, Column, DateWidget, TextWidget
from partyorg.imports.resources import (
    RehearsedResource,
    SpreadsheetResource,
    add_error,
    chunks,
)


class ImportedEvent(models.TextChoices):
    TRANSFERRED = EventKind.TRANSFERRED.value, EventKind.TRANSFERRED.label
    TRANSFERRED_OUT = EventKind.TRANSFERRED_OUT.value, EventKind.TRANSFERRED_OUT.label
    EXEMPTED = EventKind.EXEMPTED.value, EventKind.EXEMPTED.label
    RESUMED = EventKind.RESUMED.value, EventKind.RESUMED.label
    REMOVED = EventKind.REMOVED.value, EventKind.REMOVED.label
    EXPELLED = EventKind.EXPELLED.value, EventKind.EXPELLED.label
    LEFT = EventKind.LEFT.value, EventKind.LEFT.label
    DECEASED = EventKind.DECEASED.value, EventKind.DECEASED.label
    READMITTED = EventKind.READMITTED.value, EventKind.READMITTED.label


EVENT_WORDS = {
    ImportedEvent.TRANSFERRED: "Chuyển sinh hoạt",
    ImportedEvent.TRANSFERRED_OUT: "Chuyển đi ngoài hệ thống",
    ImportedEvent.EXEMPTED: "Miễn sinh hoạt",
    ImportedEvent.RESUMED: "Trở lại sinh hoạt",
    ImportedEvent.REMOVED: "Xóa tên",
    ImportedEvent.EXPELLED: "Khai trừ",
    ImportedEvent.LEFT: "Ra khỏi Đảng",
    ImportedEvent.DECEASED: "Từ trần",
    ImportedEvent.READMITTED: "Kết nạp lại",
}
EVENT_ALIASES = {
    "Chuyển đến chi bộ": ImportedEvent.TRANSFERRED,
    "Chuyển đi": ImportedEvent.TRANSFERRED_OUT,
    "Miễn công tác và sinh hoạt đảng": ImportedEvent.EXEMPTED,
    "Đã mất": ImportedEvent.DECEASED,
    "Xin ra khỏi Đảng": ImportedEvent.LEFT,
}
EXITS = {
    ImportedEvent.REMOVED: ExitKind.REMOVED,
    ImportedEvent.EXPELLED: ExitKind.EXPELLED,
    ImportedEvent.LEFT: ExitKind.LEFT,
    ImportedEvent.DECEASED: ExitKind.DECEASED,
}
STEPS = {
    ImportedEvent.EXEMPTED: Step.EXEMPTION,
    ImportedEvent.RESUMED: Step.EXEMPTION,
    ImportedEvent.REMOVED: Step.DISCIPLINE_EXIT,
    ImportedEvent.EXPELLED: Step.DISCIPLINE_EXIT,
    ImportedEvent.LEFT: Step.DISCIPLINE_EXIT,
    ImportedEvent.DECEASED: Step.DEATH,
    ImportedEvent.READMITTED: Step.READMISSION,
}
# The spreadsheet column of each field the domain names.
FIELD_COLUMNS = {
    "on": "date",
    "letter_date": "date",
    "document_number": "document_number",
    "letter_number": "document_number",
    "to_branch": "branch_code",
    "branch": "branch_code",
    "to_outside": "to_outside",
}


class EventResource(MemberRows, RehearsedResource, ScopedResource):
    field_columns = FIELD_COLUMNS
    general_column = "event"

    member_number = Column(
        "member_number",
        "Số lý lịch",
        TextWidget(max_length=20, required=True, validator=MEMBER_NUMBER),
        help=gettext_lazy("Member number of the member, in your part of the tree."),
    )
    full_name = Column(
        "holder_name",
        "Họ và tên",
        TextWidget(max_length=120),
        help=gettext_lazy("The member's full name, to catch a mistyped number; may be empty."),
    )
    event = Column(
        "event",
        "Biến động",
        ChoiceWidget(ImportedEvent, EVENT_WORDS, aliases=EVENT_ALIASES, required=True),
        help=gettext_lazy("What happened. Rows are carried out in the file's order."),
    )
    date = Column(
        "date",
        "Ngày",
        DateWidget(required=True),
        help=gettext_lazy("The day it took effect (for a transfer, the day it was accepted)."),
    )
    document_number = Column(
        "document_number",
        "Số văn bản",
        TextWidget(max_length=50, required=True),
        help=gettext_lazy("Number of the decision, or of the transfer letter."),
    )
    branch_code = Column(
        "branch_code",
        "Mã chi bộ đến",
        node_code_widget(required=False),
        help=gettext_lazy("For a transfer or a readmission: the branch the member goes to."),
    )
    to_outside = Column(
        "to_outside",
        "Nơi chuyển đến",
        TextWidget(max_length=200),
        help=gettext_lazy("For a transfer out of the system: the organization receiving it."),
    )
    note = Column("note", "Ghi chú", TextWidget(max_length=500), help=gettext_lazy("Note."))

    examples = [
        [
            "0101-00012",
            "Nguyễn Văn An",
            "Chuyển sinh hoạt",
            "10/03/2022",
            "15-GGT",
            "X1-B2",
            "",
            "",
        ],
        ["0101-00013", "Trần Thị Bình", "Miễn sinh hoạt", "01/07/2021", "03-QĐ/CB", "", "", ""],
        ["0101-00014", "Lê Văn Cường", "Từ trần", "12/12/2023", "05-TB/CB", "", "", ""],
    ]

    class Meta(SpreadsheetResource.Meta):
        model = StatusEvent
        name = gettext_lazy("Member events")
        fields = [
            "member_number",
            "full_name",
            "event",
            "date",
            "document_number",
            "branch_code",
            "to_outside",
            "note",
        ]

    def dehydrate_member_number(self, event):
        return event.member.member_number

    def dehydrate_full_name(self, event):
        return event.member.full_name

    def dehydrate_event(self, event):
        return EVENT_WORDS[ImportedEvent(event.kind)]

    def dehydrate_branch_code(self, event):
        return event.to_branch.code if event.to_branch_id else ""

    def dehydrate_to_outside(self, event):
        return event.note if event.kind == ImportedEvent.TRANSFERRED_OUT else ""

    def dehydrate_note(self, event):
        return "" if event.kind == ImportedEvent.TRANSFERRED_OUT else event.note

    @classmethod
    def exported(cls, nodes):
        """The subtree's events of the kinds this file carries, oldest first, so the file
        imported elsewhere replays them in order: those of its members, and those that
        brought a member in or took one out."""
        found = StatusEvent.objects.filter(kind__in=ImportedEvent.values).filter(
            models.Q(member__branch__in=nodes)
            | models.Q(from_branch__in=nodes)
            | models.Q(to_branch__in=nodes)
        )
        found = found.select_related("member", "to_branch")
        return found.order_by("date", "recorded_at", "pk")

    def prefetch(self, rows):
        self.members = self.members_by_number(rows)
        self.nodes = self.nodes_by_code(self.column_values(rows, "branch_code"))
        self.stored = {}
        for part in chunks([m.pk for m in self.members.values()]):
            events = StatusEvent.objects.filter(member__any=part, kind__in=ImportedEvent.values)
            for event in events.select_related("member"):
                self.stored[event.member.member_number, event.kind, event.date] = event

    def existing(self, row):
        key = (self.cell(row, "member_number"), self.cell(row, "event"), self.cell(row, "date"))
        return self.stored.get(key)

    def snapshot_fields(self):
        # A recorded event is matched by member, kind and date; what else the row says
        # is not rewritten.
        return []

    def check_row(self, instance, row, errors, *, new):
        member = self.member_of_row(instance, errors)
        if not new or member is None:
            return
        event = getattr(instance, "event", "")
        code = getattr(instance, "branch_code", "")
        needs_branch = event in {ImportedEvent.TRANSFERRED, ImportedEvent.READMITTED}
        instance.to_node = None
        if needs_branch and not code:
            add_error(errors, "branch_code", _("This event needs the branch the member goes to."))
        elif code and not needs_branch:
            add_error(errors, "branch_code", _("This event names no branch; leave it empty."))
        elif code:
            node = self.nodes.get(code)
            message = self.node_error(code, node)
            if message:
                add_error(errors, "branch_code", message)
            instance.to_node = node
        outside = getattr(instance, "to_outside", "")
        if event == ImportedEvent.TRANSFERRED_OUT and not outside:
            add_error(errors, "to_outside", _("Name the organization the member goes to."))
        elif outside and event != ImportedEvent.TRANSFERRED_OUT:
            add_error(errors, "to_outside", _("Only a transfer out names it; leave it empty."))
        if errors or not event:
            return
        instance.member = member
        step = STEPS.get(event) or competence.transfer_step(
            member.branch, instance.to_node, official=True
        )
        if self.user is None:  # the command run by the administrator
            instance.found = competence.Competence(allowed=True, body=None, on_behalf=False)
        else:
            instance.found = competence.competence(self.user, step, member.branch)
        if not instance.found.allowed:
            body = instance.found.body
            add_error(
                errors,
                "event",
                _("%(step)s is decided by %(body)s; your role does not record it.")
                % {"step": Step(step).label, "body": body.name if body else ""},
            )
            return
        self.planned.append(instance)

    def perform(self, instance) -> None:
        member, event, on = Member.objects.get(pk=instance.member.pk), instance.event, instance.date
        common = {"document_number": instance.document_number, "by": self.user}
        with competence.recording(instance.found):
            if event == ImportedEvent.EXEMPTED:
                lifecycle.exempt(member, on=on, note=instance.note, **common)
            elif event == ImportedEvent.RESUMED:
                lifecycle.resume(member, on=on, note=instance.note, **common)
            elif event in EXITS:
                lifecycle.record_exit(
                    member, kind=EXITS[event], on=on, note=instance.note, **common
                )
            elif event == ImportedEvent.READMITTED:
                lifecycle.readmit(
                    member, branch=instance.to_node, on=on, note=instance.note, **common
                )
            else:
                letter = transfers.request_transfer(
                    member,
                    kind=TransferKind.OFFICIAL,
                    letter_number=instance.document_number,
                    letter_date=on,
                    to_branch=instance.to_node,
                    to_outside=instance.to_outside,
                    reason=instance.note,
                    by=self.user,
                )
                if instance.to_node is not None:
                    transfers.accept_transfer(letter, on=on, by=self.user)
