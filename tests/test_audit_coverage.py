"""Every history table on the audit page; restructuring of the tree and exports recorded
with who and when."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone
from simple_history.models import registered_models

from admission.models import AdmissionTarget
from branches import domain, queries
from branches.enums import NodeKind
from branches.models import NodePlacement, ResidentialAreaYear, UserRole
from branchwork import dues
from branchwork.models import MeetingGuest
from members import lifecycle
from members.models import StatusEvent
from office.audit.kinds import DESCRIPTIONS, KINDS, build_kinds, history_models
from partyorg.enums import ExportKind
from partyorg.models import DeletedUpload, ExportRecord, Holiday
from reports.period import subtree_nodes
from tests.factories import make_area, make_member, make_node
from tests.factories_security import inside_and_outside

pytestmark = pytest.mark.django_db

AUDIT = reverse("audit:index")
D = datetime.date
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_every_model_with_a_history_is_a_kind_of_the_audit_page(world, as_user):
    choices = as_user(world.officer).get(AUDIT).context["filters"].fields["kind"].choices
    offered = {key for key, _label in choices if key}
    models = {kind.model: key for key, kind in KINDS.items()}
    for model in registered_models.values():
        assert model in models, f"{model._meta.label} keeps a history but is not on the page"
        assert models[model] in offered


@pytest.mark.parametrize(
    "model",
    [StatusEvent, UserRole, Holiday, NodePlacement, ResidentialAreaYear, ExportRecord],
)
def test_evented_and_reference_models_keep_a_history(model):
    assert model in registered_models.values()


def test_a_model_given_a_history_without_a_description_stops_the_start():
    with pytest.raises(ImproperlyConfigured, match=r"members\.StatusEvent"):
        build_kinds([k for k in DESCRIPTIONS if k.model is not StatusEvent], history_models())
    with pytest.raises(ImproperlyConfigured, match=r"partyorg\.Holiday"):
        build_kinds(DESCRIPTIONS, [m for m in history_models() if m is not Holiday])


def _more_records(world):
    """Records of the kinds the shared fixture does not make, inside and outside."""
    for branch, word in ((world.branch_a, "Trong"), (world.other_branch, "Ngoài")):
        member = branch.members.first()
        _rule, rows = dues.sheet(branch, TODAY.year, 1)
        for row in rows:
            row.income = 6_000_000
        dues.save_sheet(branch=branch, year=TODAY.year, month=1, rows=rows)
        lifecycle.exempt(member, on=D(TODAY.year, 1, 5), document_number=f"5-{word}")
        meeting = branch.meetings.first()
        MeetingGuest.objects.create(meeting=meeting, name=f"Khách {word}", title="UV")
        AdmissionTarget.objects.create(node=branch, year=TODAY.year, target=3)
        area = make_area(branch, name=f"Thôn {word}")
        ResidentialAreaYear.objects.create(area=area, year=2024, households=10, population=40)


def test_each_kind_shows_only_the_changes_of_the_users_subtree(world, as_user):
    inside_and_outside(world)
    _more_records(world)
    seen = set()
    for user, hidden in ((world.officer, "Ngoài"), (world.outsider, "Trong")):
        client = as_user(user)
        for key in KINDS:
            response = client.get(AUDIT, {"kind": key})
            assert response.status_code == 200
            rows = response.context["rows"]
            assert not [r for r in rows if hidden in r["name"] or hidden in r["place"]], key
            assert hidden not in response.content.decode(), key
            if user == world.officer:
                seen |= {key for r in rows}
    assert {
        "member",
        "membership",
        "status_event",
        "transfer",
        "dues",
        "candidate",
        "document",
        "introducer",
        "branch_vote",
        "admission_target",
        "meeting",
        "attendance",
        "meeting_guest",
        "inspection",
        "node",
        "placement",
        "area",
        "area_year",
        "user_role",
    } <= seen


def test_a_move_through_the_page_records_who_moved_it_and_when(world, as_user):
    target = make_node(world.district, NodeKind.GRASSROOTS_COMMITTEE, "Đảng bộ xã mới", code="X9")
    client = as_user(world.officer)
    response = client.post(
        reverse("organizations:node_move", args=[world.branch_b.code]),
        {"new_parent": target.pk, "on": "01/02/2025"},
    )
    assert response.status_code == 302
    closed = NodePlacement.history.get(node_id=world.branch_b.pk, history_type="~")
    opened = NodePlacement.history.get(node_id=world.branch_b.pk, parent_id=target.pk)
    assert (closed.valid_to, closed.history_user) == (D(2025, 2, 1), world.officer)
    assert (opened.valid_from, opened.history_user) == (D(2025, 2, 1), world.officer)
    assert opened.history_change_reason == "Organization moved"
    rows = as_user(world.viewer).get(AUDIT, {"kind": "placement"}).context["rows"]
    moved = [r for r in rows if r["user"] == world.officer]
    assert {(r["history_type"], r["place"]) for r in moved} == {
        ("~", "Đảng bộ xã"),
        ("+", "Đảng bộ xã mới"),
    }
    assert all(r["name"] == "Chi bộ thôn 2" and r["url"] for r in moved)


def test_a_second_move_on_the_same_day_keeps_both_placements(world):
    first = make_node(world.district, NodeKind.GRASSROOTS_COMMITTEE, "Xã A", code="XA")
    second = make_node(world.district, NodeKind.GRASSROOTS_COMMITTEE, "Xã B", code="XB")
    day = D(2025, 2, 1)
    domain.move_node(world.branch_b, new_parent=first, on=day, by=world.officer)
    domain.move_node(world.branch_b, new_parent=second, on=day, by=world.officer)
    placements = list(world.branch_b.placements.order_by("id"))
    assert [(p.parent, p.valid_from, p.valid_to) for p in placements] == [
        (world.commune, D(2015, 1, 1), day),
        (first, day, day),
        (second, day, None),
    ]
    assert not NodePlacement.history.filter(history_type="-").exists()
    # The placement between the moves covers no day of any subtree.
    assert world.branch_b.pk not in set(queries.subtree_as_of("XA", day))
    assert world.branch_b.pk in set(queries.subtree_as_of("XB", day))
    assert world.branch_b.pk not in subtree_nodes(first, D(2025, 1, 1), D(2025, 12, 31))
    assert world.branch_b.pk in subtree_nodes(second, D(2025, 1, 1), D(2025, 12, 31))


def test_a_merge_through_the_page_records_who_dissolved_the_node(world, as_user):
    client = as_user(world.officer)
    response = client.post(
        reverse("organizations:node_merge", args=[world.branch_b.code]),
        {"into": world.branch_a.pk, "on": "01/02/2025", "document_number": "9-QĐ"},
    )
    assert response.status_code == 302
    dissolved = world.branch_b.history.latest()
    assert (dissolved.dissolved_on, dissolved.history_user) == (D(2025, 2, 1), world.officer)
    assert dissolved.history_change_reason == "Organizations merged"
    closed = NodePlacement.history.get(node_id=world.branch_b.pk, history_type="~")
    assert (closed.valid_to, closed.history_user) == (D(2025, 2, 1), world.officer)
    rows = client.get(AUDIT, {"kind": "node"}).context["rows"]
    assert rows[0]["name"] == "Chi bộ thôn 2" and rows[0]["user"] == world.officer
    assert {str(name) for name in rows[0]["changed"]} == {"dissolved on", "merged into"}


def test_a_rename_shows_who_changed_the_name(world, as_user):
    client = as_user(world.officer)
    url = reverse("organizations:node_rename", args=[world.branch_a.code])
    data = {"name": "Chi bộ thôn Một", "kind": "branch", "on": "01/01/2024"}
    assert client.post(url, data).status_code == 302
    row = client.get(AUDIT, {"kind": "node"}).context["rows"][0]
    assert (row["name"], row["user"], row["history_type"]) == (
        "Chi bộ thôn Một",
        world.officer,
        "~",
    )
    assert [str(name) for name in row["changed"]] == ["name"]


def test_a_member_export_is_recorded_and_shown(world, as_user):
    for i in range(3):
        make_member(world.branch_a, full_name=f"Trần Văn {i}")
    make_member(world.other_branch, full_name="Trần Văn Ngoài")
    client = as_user(world.secretary)
    response = client.get(reverse("imports:export_members"), {"format": "csv", "q": "tran"})
    assert response.status_code == 200
    record = ExportRecord.objects.get()
    assert (record.user, record.kind, record.rows) == (world.secretary, ExportKind.MEMBERS, 3)
    assert record.filters == {"format": "csv", "q": "tran"}
    assert record.history.get().history_user == world.secretary
    for viewer in (world.secretary, world.officer):
        rows = as_user(viewer).get(AUDIT, {"kind": "export"}).context["rows"]
        assert [(r["name"], r["user"], str(r["verb"])) for r in rows] == [
            ("Member list", world.secretary, "Exported")
        ]
        assert rows[0]["note"] == "3 rows · format: csv · q: tran"
    assert not as_user(world.outsider).get(AUDIT, {"kind": "export"}).context["rows"]


def test_an_exports_row_count_is_written_with_the_languages_grouping(world, as_user, settings):
    ExportRecord.objects.create(user=world.officer, kind=ExportKind.ATTENDANCE, rows=483785)
    client = as_user(world.officer)
    [row] = client.get(AUDIT, {"kind": "export"}).context["rows"]
    assert row["note"] == "483,785 rows"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    [row] = client.get(AUDIT, {"kind": "export"}).context["rows"]
    assert row["note"] == "483.785 dòng"


def test_report_downloads_are_recorded(world, as_user):
    inside, _outside = inside_and_outside(world)
    client = as_user(world.officer)
    year = inside.report.year
    url = reverse("reports:report_file", args=[world.branch_a.code, year, "xlsx"])
    assert client.get(url).status_code == 200
    download = reverse("reports:file_download", args=[inside.report.pk])
    assert client.get(download).status_code == 200
    records = list(ExportRecord.objects.order_by("id").values_list("kind", "filters", "rows"))
    code = world.branch_a.code
    assert records == [
        (ExportKind.ANNUAL_REPORT, {"code": code, "year": year, "fmt": "xlsx"}, None),
        (ExportKind.ANNUAL_REPORT, {"pk": inside.report.pk, "code": code, "year": year}, None),
    ]
    rows = client.get(AUDIT, {"kind": "export"}).context["rows"]
    assert [r["name"] for r in rows] == ["Annual report", "Annual report"]


def test_the_badge_list_pdf_is_recorded(world, as_user):
    make_member(
        world.branch_a,
        admission_decision_date=D(1995, 3, 1),
        admission_date=D(1995, 3, 15),
        official_date=D(1996, 3, 15),
    )
    client = as_user(world.officer)
    response = client.get(
        reverse("record_work:badges_print"),
        {"node": world.district.code, "date": "2025-09-02", "format": "pdf"},
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    record = ExportRecord.objects.get()
    assert (record.kind, record.rows, record.filters["node"]) == (
        ExportKind.BADGE_LIST,
        1,
        world.district.code,
    )


def test_a_deleted_upload_is_shown_as_done_by_the_system(world, as_user):
    inside, _outside = inside_and_outside(world)
    DeletedUpload.objects.create(
        stored_file="imports/old.xlsx",
        batch=inside.batch,
        uploaded_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
    )
    response = as_user(world.viewer).get(AUDIT, {"kind": "deleted_upload"})
    [row] = response.context["rows"]
    assert (row["name"], row["user"], row["note"]) == (
        inside.batch.file_name,
        None,
        f"import #{inside.batch.pk}",
    )
    page = response.content.decode()
    assert "System" in page and "Deleted after the retention period" in page
    assert not as_user(world.outsider).get(AUDIT, {"kind": "deleted_upload"}).context["rows"]
