"""The audit trail: every change to the sensitive records, from forms, imports and bulk
actions, with who and when; the audit page, scoped, filtered, paginated, read only."""

import datetime

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from admission.models import Candidate, DossierDocument
from branchwork.models import Attendance, Evaluation, Meeting, OrganizationEvaluation
from members import lifecycle, transfers
from members.enums import ExitKind, TransferKind, TransferState
from members.models import Member, Membership, Transfer
from office.audit import views as audit_views
from partyorg.models import ImportBatch
from tests.factories import form_data, make_member
from tests.factories_imports import member_row, xlsx_bytes
from tests.factories_security import inside_and_outside

pytestmark = pytest.mark.django_db

AUDIT = reverse("audit:index")
TODAY = timezone.localdate().strftime("%d/%m/%Y")


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def sides(world):
    return inside_and_outside(world)


@pytest.mark.parametrize(
    "model",
    [
        Member,
        Membership,
        Transfer,
        Evaluation,
        OrganizationEvaluation,
        Candidate,
        DossierDocument,
        Meeting,
        Attendance,
    ],
)
def test_every_sensitive_model_keeps_its_history(model):
    assert model._meta.simple_history_manager_attribute == "history"
    assert model.history.model.__name__ == f"Historical{model.__name__}"


def test_history_is_not_editable_in_the_admin(world, client, django_user_model, settings):
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED
    assert not [m for m in admin.site._registry if m.__name__.startswith("Historical")]
    member = make_member(world.branch_a, residence="Thôn 1")
    old = member.history.earliest()
    member.residence = "Thôn 2"
    member.save()
    root = django_user_model.objects.create_superuser("root", password="x-long-password-1")
    client.force_login(root)
    url = reverse("admin:members_member_simple_history", args=[member.pk, old.history_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {**form_data_from_admin(client, url), "_save": "1"})
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.residence == "Thôn 2"
    assert member.history.count() == 2


def form_data_from_admin(client, url):
    form = client.get(url).context["adminform"].form
    return {k: v for k, v in form_data(form).items() if v is not None}


def test_audit_page_is_read_only(world, as_user):
    client = as_user(world.officer)
    assert client.post(AUDIT).status_code == 405


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("officer", "Trong"),
        ("viewer", "Trong"),
        ("secretary", "Trong"),
        ("outsider", "Ngoài"),
        ("other_secretary", "Ngoài"),
    ],
)
def test_each_role_sees_the_changes_of_its_own_subtree(world, sides, as_user, role, sees):
    client = as_user(getattr(world, role))
    hidden = "Ngoài" if sees == "Trong" else "Trong"
    page = client.get(AUDIT).content.decode()
    assert f"Hoàng Văn {sees}" in page
    assert hidden not in page
    # The candidate's first changes are older than the first page of 50.
    candidates = client.get(AUDIT, {"kind": "candidate"}).content.decode()
    assert f"Lê Thị {sees}" in candidates
    assert hidden not in candidates


def test_secretary_sees_only_the_branch(world, as_user):
    make_member(world.branch_a, full_name="Phạm Văn Một")
    make_member(world.branch_b, full_name="Phạm Văn Hai")
    page = as_user(world.secretary).get(AUDIT).content.decode()
    assert "Phạm Văn Một" in page and "Phạm Văn Hai" not in page
    page = as_user(world.officer).get(AUDIT).content.decode()
    assert "Phạm Văn Một" in page and "Phạm Văn Hai" in page


def test_user_without_role_gets_nothing(world, client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="x-long-pw-1"))
    assert client.get(AUDIT).status_code == 404


def test_a_form_edit_shows_who_changed_which_fields(world, as_user):
    member = make_member(world.branch_a, full_name="Võ Văn Sửa")
    client = as_user(world.officer)
    url = reverse("members:edit", args=[member.member_number])
    data = form_data(client.get(url).context["form"])
    data["residence"] = "Tổ 5"
    assert client.post(url, data).status_code == 302
    response = as_user(world.viewer).get(AUDIT, {"kind": "member"})
    first = response.context["rows"][0]
    assert (first["name"], first["user"], first["history_type"]) == (
        "Võ Văn Sửa",
        world.officer,
        "~",
    )
    assert [str(name) for name in first["changed"]] == ["residence"]
    assert first["url"] == member.get_absolute_url()


def test_filters_by_record_user_and_dates(world, sides, as_user):
    client = as_user(world.officer)
    rows = client.get(AUDIT, {"kind": "meeting"}).context["rows"]
    assert rows and {r["kind"] for r in rows} == {"meeting"}
    rows = client.get(AUDIT, {"user": "officer"}).context["rows"]
    assert rows and {r["user"] for r in rows} == {world.officer}
    assert not client.get(AUDIT, {"user": "viewer"}).context["rows"]
    response = client.get(AUDIT, {"user": "nobody"})
    assert response.context["filters"].errors["user"] and not response.context["rows"]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert not client.get(AUDIT, {"since": tomorrow.strftime("%d/%m/%Y")}).context["rows"]
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert client.get(AUDIT, {"since": today, "until": today}).context["rows"]
    response = client.get(AUDIT, {"since": today, "until": "01/01/2020"})
    assert response.context["filters"].errors["until"] and not response.context["rows"]


@pytest.mark.parametrize("count", [1, 3])
def test_audit_page_query_count_does_not_grow(world, as_user, django_assert_max_num_queries, count):
    for i in range(count):
        member = make_member(world.branch_a, full_name=f"Đinh Văn {i}", by=world.officer)
        member.residence = "Tổ 9"
        member.save()
    client = as_user(world.officer)
    with django_assert_max_num_queries(12):
        response = client.get(AUDIT, {"since": TODAY})
    rows = [r for r in response.context["rows"] if r["kind"] in {"member", "membership"}]
    assert len(rows) == count * 3  # member created, membership, changed


def _walk(client, params, link, filters=None):
    """The rows of every page reached by following the `link` ("older" or "newer") links,
    with `filters` on every page."""
    pages = []
    filters = filters or {}
    while True:
        response = client.get(AUDIT, {**filters, **params})
        pages.append([(r["kind"], r["history_id"]) for r in response.context["rows"]])
        position = response.context[link]
        if position is None:
            return pages, response
        params = {"before" if link == "older" else "after": str(position)}


def test_pages_of_fifty_from_the_newest(world, as_user):
    client = as_user(world.officer)
    before = client.get(AUDIT).context["total"]  # the tree and the roles of the fixture
    for i in range(15):  # a member, a membership, admitted and converted events each
        make_member(world.branch_a, full_name=f"Bùi Văn {i}")
    first = client.get(AUDIT)
    assert len(first.context["rows"]) == 50 and first.context["total"] == before + 60
    assert f"{before + 60} changes" in first.content.decode()
    assert first.context["newer"] is None
    older = client.get(AUDIT, {"before": str(first.context["older"])})
    assert len(older.context["rows"]) == before + 10 and older.context["older"] is None
    back = client.get(AUDIT, {"after": str(older.context["newer"])})
    assert back.context["rows"] == first.context["rows"]
    garbled = client.get(AUDIT, {"before": "yesterday~member~1"})
    assert garbled.context["rows"] == first.context["rows"]


def test_pages_follow_one_order_when_changes_share_their_time(world, as_user, monkeypatch):
    """Bulk changes of several tables carry the same time, and history ids repeat across
    tables: paging on (time, id, record kind) neither skips nor repeats a row."""
    for i in range(7):
        make_member(world.branch_a, full_name=f"Đỗ Văn {i}")
    same_time = datetime.datetime(2025, 3, 1, 8, tzinfo=datetime.UTC)
    Member.history.update(history_date=same_time)
    Membership.history.update(history_date=same_time)
    monkeypatch.setattr(audit_views, "PAGE_SIZE", 4)
    client = as_user(world.officer)
    that_day = {"since": "01/03/2025", "until": "01/03/2025"}
    pages, last = _walk(client, {}, "older", that_day)
    everything = [row for page in pages for row in page]
    assert len(everything) == len(set(everything)) == 14
    assert [len(page) for page in pages] == [4, 4, 4, 2]
    back, _first = _walk(client, {"after": str(last.context["newer"])}, "newer", that_day)
    assert back == pages[-2::-1]


def test_a_province_sized_trail_is_counted_up_to_a_limit(world, as_user, monkeypatch):
    for i in range(4):
        make_member(world.branch_a, full_name=f"Tô Văn {i}")
    monkeypatch.setattr(audit_views, "COUNTED", 5)
    client = as_user(world.officer)
    response = client.get(AUDIT, {"since": TODAY})
    assert len(response.context["rows"]) > 8 and response.context["total"] > 5
    assert "More than 5 changes" in response.content.decode()
    response = client.get(AUDIT, {"kind": "member"})
    assert "4 changes" in response.content.decode()


def test_filters_by_organization_of_the_subtree(world, as_user):
    make_member(world.branch_a, full_name="Phạm Văn Một")
    make_member(world.branch_b, full_name="Phạm Văn Hai")
    client = as_user(world.officer)
    response = client.get(AUDIT, {"organization": world.branch_b.code})
    assert {r["name"] for r in response.context["rows"]} == {"Phạm Văn Hai", "Chi bộ thôn 2"}
    # The branch, its placement; the member, the membership, admitted and converted events.
    assert response.context["total"] == 6
    response = client.get(AUDIT, {"organization": world.other_branch.code})
    assert response.context["filters"].errors["organization"]
    assert response.context["rows"] == []
    secretary = as_user(world.secretary).get(AUDIT, {"organization": world.branch_b.code})
    assert secretary.context["filters"].errors["organization"]


def test_merging_branches_records_every_moved_member(world, as_user):
    members = [make_member(world.branch_b, full_name=f"Ngô Văn {i}") for i in range(3)]
    client = as_user(world.officer)
    response = client.post(
        reverse("organizations:node_merge", args=[world.branch_b.code]),
        {"into": world.branch_a.pk, "on": "01/02/2024", "document_number": "9-QĐ"},
    )
    assert response.status_code == 302, response.context["form"].errors
    for member in members:
        last = Member.objects.get(pk=member.pk).history.latest()
        assert (last.branch_id, last.history_user) == (world.branch_a.pk, world.officer)
        assert last.history_change_reason == "Organizations merged"
        ended = Membership.history.filter(member_id=member.pk, end_date__isnull=False).get()
        assert ended.history_user == world.officer
        assert Membership.history.filter(
            member_id=member.pk, branch_id=world.branch_a.pk, history_type="+"
        ).exists()
    rows = client.get(AUDIT, {"kind": "member"}).context["rows"]
    assert {r["name"] for r in rows if r["history_change_reason"] == "Organizations merged"} == {
        m.full_name for m in members
    }


def test_an_exit_records_the_ended_membership_and_cancelled_letter(world, sides):
    inside, _outside = sides
    transfer = inside.transfer
    lifecycle.record_exit(
        transfer.member,
        kind=ExitKind.LEFT,
        on=datetime.date(2025, 6, 1),
        document_number="3-QĐ",
        by=world.officer,
    )
    last = Transfer.objects.get(pk=transfer.pk).history.latest()
    assert (last.state, last.history_user) == (TransferState.CANCELLED, world.officer)
    ended = Membership.history.filter(member_id=transfer.member_id, history_type="~").latest()
    assert (ended.end_date, ended.history_user) == (datetime.date(2025, 6, 1), world.officer)


def test_an_import_shows_on_the_audit_page_with_its_name(world, as_user):
    client = as_user(world.officer)
    content = xlsx_bytes([member_row("10000001"), member_row("10000002")])
    client.post(
        reverse("imports:index"),
        {"kind": "members", "file": SimpleUploadedFile("dang-vien.xlsx", content)},
    )
    batch = ImportBatch.objects.latest("pk")
    client.post(reverse("imports:apply", args=[batch.pk]))
    rows = client.get(AUDIT, {"kind": "member"}).context["rows"]
    assert len(rows) == 2
    assert {r["history_change_reason"] for r in rows} == {batch.label}
    assert {r["user"] for r in rows} == {world.officer}
    assert batch.label in client.get(AUDIT).content.decode()


def test_minutes_and_candidate_changes_show_on_their_pages(world, sides, as_user):
    inside, _outside = sides
    client = as_user(world.officer)
    meeting = inside.meeting
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "officer" in page
    candidate = inside.candidate
    page = client.get(reverse("admission:detail", args=[candidate.pk])).content.decode()
    assert "officer" in page
    rows = client.get(AUDIT, {"kind": "attendance"}).context["rows"]
    assert rows and all(r["url"] == meeting.get_absolute_url() for r in rows)
    rows = client.get(AUDIT, {"kind": "document"}).context["rows"]
    pages = {c.get_absolute_url() for c in (candidate, inside.converted)}
    assert rows and {r["url"] for r in rows} == pages


def test_no_link_to_a_record_that_left_the_subtree(world, as_user):
    """The district keeps the history of a member transferred to another district, but
    the member's page is no longer its to open: the change is listed without a link."""
    leaving = make_member(world.branch_a, full_name="Phan Văn Đi")
    staying = make_member(world.branch_a, full_name="Phan Văn Ở")
    transfer = transfers.request_transfer(
        leaving,
        kind=TransferKind.OFFICIAL,
        to_branch=world.other_branch,
        letter_number="9-GGT",
        letter_date=timezone.localdate(),
    )
    transfers.accept_transfer(transfer, on=timezone.localdate(), by=world.outsider)
    page = as_user(world.officer).get(reverse("audit:index")).content.decode()
    assert "Phan Văn Đi" in page
    assert reverse("members:detail", args=[leaving.member_number]) not in page
    assert reverse("members:detail", args=[staying.member_number]) in page
