"""One object of every kind inside the district of the `world` fixture (branch_a) and one
outside it (other_district), built through the domain functions.

Everything outside carries the word "Ngoài" in its name, everything inside "Trong", so a
page can be searched for anything it should not show.
"""

import dataclasses
import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from branches import competence
from branches.enums import NodeKind, RoleKind
from branchwork import notices
from branchwork.inspections import record_inspection
from members import positions, transfers
from members.enums import PositionRole, TransferKind
from papers import domain as papers
from papers.enums import DocumentType
from papers.models import Document, ScannedCopy
from partyorg.enums import ExportKind, ImportKind, ImportStatus, PreparedExportStatus
from partyorg.models import ImportBatch, PreparedExport
from reports.enums import ReportFormat, ReportStatus
from reports.models import GeneratedReport
from tests.factories import make_member, make_node, make_user
from tests.factories_admission import convert, make_candidate, make_officials, walk
from tests.factories_meetings import record

LAST_YEAR = timezone.localdate().year - 1
MEETING_DAY = datetime.date(LAST_YEAR, 3, 10)


@dataclasses.dataclass
class Objects:
    """The objects of one side (inside or outside) that URLs are filled with."""

    branch: object  # a branch
    committee: object  # a committee above `branch` (not a branch)
    member: object
    meeting: object
    candidate: object
    converted: object  # a file taken to official membership: its committees' papers
    superior: object  # the committee above the grassroots organization of `branch`
    transfer: object
    batch: object
    export: object  # a prepared export, done, of the same user as `batch`
    inspection: object
    position: object  # a committee post of `member` in `branch`
    report: object  # a prepared annual report file
    paper: object  # a draft of the branch's annual report (papers.Document)
    filed: object  # an issued document of the branch
    scan: object  # a scanned copy of `filed`
    account: object  # a user holding a role in `branch`
    notice: object  # documents shared before a meeting of `branch`
    notice_file: object  # a file of `notice`
    marker: str  # a word in the name of each object of this side

    @property
    def meeting_history_id(self) -> int:
        return self.meeting.history.earliest().history_id


def _side(branch, committee, superior, receiving_branch, word: str, by, importer) -> Objects:
    officials = make_officials(branch, count=3)
    member = make_member(branch, full_name=f"Hoàng Văn {word}")
    moving = make_member(branch, full_name=f"Đỗ Thị {word} Chuyển")
    meeting = record(branch, MEETING_DAY, topic=f"Chuyên đề {word}", by=by)
    candidate = walk(
        make_candidate(branch, full_name=f"Lê Thị {word}", by=by),
        "branch_resolved",
        officials=officials,
        by=by,
    )
    converted = convert(
        walk(
            make_candidate(branch, full_name=f"Phan Thị {word}", by=by),
            "probation",
            officials=officials,
            by=by,
        ),
        by=by,
    )
    # The letter is issued by the app (numbered from its issuing committee's register,
    # signed by that committee's secretary), so that it prints.
    letter_day = datetime.date(LAST_YEAR, 5, 2)
    step = competence.transfer_step(branch, receiving_branch, official=True)
    positions.appoint(
        officials[0],
        PositionRole.SECRETARY,
        node=competence.deciding_body(step, branch, letter_day),
        start=datetime.date(LAST_YEAR, 1, 1),
        by=by,
    )
    transfer = transfers.request_transfer(
        moving,
        kind=TransferKind.OFFICIAL,
        letter_number="",
        letter_date=letter_day,
        to_branch=receiving_branch,
        by=by,
    )
    batch = ImportBatch.objects.create(
        kind=ImportKind.MEMBERS,
        file_name=f"dang-vien-{word}.xlsx",
        stored_file="imports/none.xlsx",
        user=importer,
        status=ImportStatus.FAILED,
    )
    export = PreparedExport.objects.create(
        user=importer,
        kind=ExportKind.POSITIONS,
        status=PreparedExportStatus.DONE,
        rows=0,
        file=ContentFile(b"PK", name=f"chuc-vu-{word}.xlsx"),
    )
    inspection = record_inspection(
        inspecting_node=committee,
        inspected_node=branch,
        date=datetime.date(LAST_YEAR, 6, 1),
        subject=f"Kiểm tra {word}",
        by=by,
    )
    report = GeneratedReport.objects.create(
        node=branch,
        year=LAST_YEAR,
        format=ReportFormat.XLSX,
        status=ReportStatus.DONE,
        requested_by=by,
        file=ContentFile(b"PK", name=f"bao-cao-{word}.xlsx"),
    )
    paper = Document.objects.create(
        node=branch,
        doc_type=DocumentType.REPORT,
        report_year=LAST_YEAR,
        summary=f"Báo cáo {word}",
        created_by=by,
    )
    filed = papers.issue(
        Document(
            node=branch, doc_type=DocumentType.LETTER, summary=f"Công văn {word}", created_by=by
        ),
        on=datetime.date(LAST_YEAR, 7, 1),
        signer=None,
        by=by,
    )
    scan = ScannedCopy.objects.create(
        document=filed,
        file=ContentFile(b"%PDF-1.7", name=f"ban-ky-{word}.pdf"),
        content_type="application/pdf",
        size=8,
        uploaded_by=by,
    )
    position = positions.appoint(
        member,
        PositionRole.COMMITTEE_MEMBER,
        node=branch,
        start=datetime.date(LAST_YEAR, 1, 1),
        by=by,
    )
    account = make_user(
        branch, RoleKind.SECRETARY, username=f"pho-bi-thu-{branch.code}", first_name=word
    )
    notice = notices.publish(
        branch,
        meeting_date=MEETING_DAY,
        agenda=f"Chương trình {word}",
        files=[ContentFile(b"%PDF-1.7", name=f"tai-lieu-{word}.pdf")],
        by=by,
    )
    return Objects(
        branch=branch,
        committee=committee,
        member=member,
        meeting=meeting,
        candidate=candidate,
        converted=converted,
        superior=superior,
        transfer=transfer,
        batch=batch,
        export=export,
        inspection=inspection,
        position=position,
        report=report,
        paper=paper,
        filed=filed,
        scan=scan,
        account=account,
        notice=notice,
        notice_file=notice.files.get(),
        marker=word,
    )


def inside_and_outside(world) -> tuple[Objects, Objects]:
    """(inside, outside): inside lives in branch_a (its committee: the commune) with a
    transfer to branch_b; outside in other_branch with a transfer to a second branch of
    the other district. The officer imported the inside batch, the outsider the other."""
    world.other_branch_2 = make_node(
        world.other_district, NodeKind.GRASSROOTS_BRANCH, "Chi bộ Ngoài 2", code="H2-CB2"
    )
    inside = _side(
        world.branch_a,
        world.commune,
        world.district,
        world.branch_b,
        "Trong",
        world.officer,
        world.officer,
    )
    outside = _side(
        world.other_branch,
        world.other_district,
        world.other_district,
        world.other_branch_2,
        "Ngoài",
        world.outsider,
        world.outsider,
    )
    return inside, outside
