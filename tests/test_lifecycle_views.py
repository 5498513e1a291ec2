"""The lifecycle pages as users reach them: scope, write permission, bad input, queries."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from branches import domain as tree
from branches.enums import NodeKind, RoleKind
from branchwork import badges
from branchwork.enums import EvaluationLevel
from branchwork.models import BadgeAward, Dues, Evaluation, Inspection, OrganizationEvaluation
from branchwork.views import badges as badge_views
from branchwork.views import removal as removal_views
from members import lifecycle, transfers
from members.enums import ExitKind, MembershipKind, MemberStatus, TransferKind, TransferState
from members.models import Member, Transfer
from tests.factories import make_member, make_node, make_user
from tests.factories_lifecycle import dated_member, unpaid_dues

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = timezone.localdate()


@pytest.fixture
def member(world):
    return dated_member(world.branch_a, D(1995, 9, 2), full_name="Nguyễn Văn An")


def _pending(world, member):
    return transfers.request_transfer(
        member,
        kind=TransferKind.OFFICIAL,
        to_branch=world.branch_b,
        letter_number="12-GGT",
        letter_date=TODAY - datetime.timedelta(days=3),
    )


def member_urls(member):
    n = member.member_number
    return [
        reverse("members:exempt", args=[n]),
        reverse("members:resume", args=[n]),
        reverse("members:exit", args=[n]),
        reverse("members:readmit", args=[n]),
        reverse("members:transfer_new", args=[n]),
    ]


def node_urls(world, node=None):
    branch = node or world.branch_a
    return [
        reverse("record_work:evaluation_members", args=[branch.code, TODAY.year - 1]),
        reverse("record_work:dues_sheet", args=[branch.code, TODAY.year, TODAY.month]),
        reverse("record_work:inspections", args=[branch.code]),
        reverse("record_work:inspection_create", args=[branch.code]),
        reverse("record_work:badges") + f"?node={branch.code}",
        reverse("record_work:removal") + f"?node={branch.code}",
        reverse("record_work:overview") + f"?node={branch.code}",
    ]


# --- anonymous, outsider, viewer -------------------------------------------------------


def test_anonymous_is_sent_to_login_everywhere(world, client, member):
    transfer = _pending(world, member)
    urls = [
        *member_urls(member),
        *node_urls(world),
        reverse("record_work:transfers"),
        reverse("record_work:transfer_receive"),
        transfer.get_absolute_url(),
        reverse("record_work:evaluation_organizations", args=[world.commune.code, TODAY.year - 1]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    for name in ["transfer_accept", "transfer_reject", "transfer_cancel", "transfer_end"]:
        response = client.post(reverse(f"record_work:{name}", args=[transfer.pk]))
        assert response.status_code == 302
    assert client.post(reverse("record_work:badges_award")).status_code == 302


def test_outsider_gets_404(world, as_user, member):
    transfer = _pending(world, member)
    client = as_user(world.outsider)
    urls = [
        *member_urls(member),
        *node_urls(world),
        transfer.get_absolute_url(),
        reverse("record_work:evaluation_organizations", args=[world.commune.code, TODAY.year - 1]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    for name in ["transfer_accept", "transfer_reject", "transfer_cancel", "transfer_end"]:
        response = client.post(reverse(f"record_work:{name}", args=[transfer.pk]), {"on": TODAY})
        assert response.status_code == 404
    assert Transfer.objects.get().state == TransferState.PENDING


def test_viewer_reads_but_gets_403_on_writes(world, as_user, member):
    transfer = _pending(world, member)
    client = as_user(world.viewer)
    for url in [
        *node_urls(world)[:3],
        transfer.get_absolute_url(),
        reverse("record_work:transfers"),
    ]:
        assert client.get(url).status_code == 200, url
    for url in [*member_urls(member), reverse("record_work:transfer_receive"), node_urls(world)[3]]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"on": TODAY, "document_number": "1"}).status_code == 403, url
    for url in node_urls(world)[:2]:
        assert client.post(url, {}).status_code == 403, url
    for name in ["transfer_accept", "transfer_reject", "transfer_cancel", "transfer_end"]:
        response = client.post(
            reverse(f"record_work:{name}", args=[transfer.pk]), {"on": TODAY, "answer": "x"}
        )
        assert response.status_code == 403
    response = client.post(
        reverse("record_work:badges_award"),
        {
            "node": world.branch_a.code,
            "date": "2025-09-02",
            "decision_number": "1",
            "member": member.pk,
        },
    )
    assert response.status_code == 403
    assert Transfer.objects.get().state == TransferState.PENDING
    assert Member.objects.get(pk=member.pk).status == MemberStatus.OFFICIAL
    assert not BadgeAward.objects.exists()


def test_get_on_post_only_views_is_405(world, as_user, member):
    transfer = _pending(world, member)
    client = as_user(world.officer)
    for name in ["transfer_accept", "transfer_reject", "transfer_cancel", "transfer_end"]:
        assert client.get(reverse(f"record_work:{name}", args=[transfer.pk])).status_code == 405
    assert client.get(reverse("record_work:badges_award")).status_code == 405


# --- exits, exemption, readmission --------------------------------------------------------


def test_exit_through_the_page_keeps_the_history(world, as_user, member):
    url = reverse("members:exit", args=[member.member_number])
    # A removal is decided above the branch: its secretary is not offered it.
    secretary = as_user(world.secretary)
    response = secretary.post(
        url, {"kind": "removed", "on": "02/01/2026", "document_number": "15-QĐ/ĐU"}
    )
    assert response.status_code == 200 and "kind" in response.context["form"].errors
    assert [kind for kind, _label in response.context["form"].fields["kind"].choices] == [
        "deceased"
    ]
    member.refresh_from_db()
    assert member.status != MemberStatus.REMOVED
    client = as_user(world.officer)
    response = client.post(
        url, {"kind": "removed", "on": "02/01/2026", "document_number": "15-QĐ/ĐU"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == MemberStatus.REMOVED
    page = client.get(member.get_absolute_url())
    content = page.content.decode()
    assert "15-QĐ/ĐU" in content
    assert "Readmit" in content or "Kết nạp lại" in content or "readmit" in content
    assert member.events.count() == 3


def test_bad_exit_input_changes_nothing_and_says_why(world, as_user, member):
    client = as_user(world.officer)
    url = reverse("members:exit", args=[member.member_number])
    future = (TODAY + datetime.timedelta(days=5)).strftime("%d/%m/%Y")
    response = client.post(url, {"kind": "removed", "on": future, "document_number": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors
    response = client.post(url, {"kind": "nonsense", "on": "02/01/2026", "document_number": "1"})
    assert "kind" in response.context["form"].errors
    member.refresh_from_db()
    assert member.status == MemberStatus.OFFICIAL
    assert member.events.count() == 2


def test_exempt_and_readmit_pages(world, as_user, member):
    client = as_user(world.officer)
    n = member.member_number
    data = {"on": "02/01/2026", "document_number": "3-QĐ/CB"}
    assert client.post(reverse("members:exempt", args=[n]), data).status_code == 302
    assert Member.objects.get(pk=member.pk).status == MemberStatus.EXEMPTED
    data["on"] = "05/01/2026"
    assert client.post(reverse("members:resume", args=[n]), data).status_code == 302
    data |= {"kind": "left", "on": "10/01/2026"}
    assert client.post(reverse("members:exit", args=[n]), data).status_code == 302
    data |= {"branch": world.branch_b.pk, "on": "15/01/2026"}
    assert client.post(reverse("members:readmit", args=[n]), data).status_code == 302
    member.refresh_from_db()
    assert (member.status, member.branch) == (MemberStatus.OFFICIAL, world.branch_b)
    # Readmission is allowed once.
    data |= {"on": "20/01/2026"}
    client.post(reverse("members:exit", args=[n]), data)
    data |= {"on": "25/01/2026"}
    response = client.post(reverse("members:readmit", args=[n]), data)
    assert response.status_code == 200
    assert (
        "once" in str(response.context["form"].non_field_errors())
        or response.context["form"].non_field_errors()
    )
    assert Member.objects.get(pk=member.pk).status == MemberStatus.LEFT


# --- transfers ------------------------------------------------------------------------------


def test_transfer_letter_inbox_and_acceptance(world, as_user, member):
    sender = as_user(world.officer)  # an official transfer out of the district is decided above
    letter_date = (TODAY - datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    response = sender.post(
        reverse("members:transfer_new", args=[member.member_number]),
        {
            "kind": "official",
            "to_branch": world.other_branch.code,
            "letter_number": "7-GGT",
            "letter_date": letter_date,
        },
    )
    transfer = Transfer.objects.get()
    assert response.status_code == 302
    assert transfer.state == TransferState.PENDING
    # The sender cannot accept for the receiving branch.
    assert (
        sender.post(
            reverse("record_work:transfer_accept", args=[transfer.pk]), {"on": letter_date}
        ).status_code
        == 403
    )
    receiver = as_user(world.other_secretary)
    inbox = receiver.get(reverse("record_work:transfers"))
    assert [t.pk for t in inbox.context["inbox"]] == [transfer.pk]
    # The receiver sees the member's transfer, not the member's record.
    assert receiver.get(transfer.get_absolute_url()).status_code == 200
    response = receiver.post(
        reverse("record_work:transfer_accept", args=[transfer.pk]), {"on": letter_date}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.branch == world.other_branch
    assert Transfer.objects.get().state == TransferState.ACCEPTED


def test_the_member_page_leads_only_to_the_letter_and_one_letter_at_a_time(world, as_user, member):
    client = as_user(world.officer)
    number = member.member_number
    page = client.get(member.get_absolute_url()).content.decode()
    assert reverse("members:transfer_new", args=[number]) in page
    assert f"/{number}/transfer/" not in page
    assert client.get(f"/members/{number}/transfer/").status_code == 404
    pending = _pending(world, member)
    response = client.post(
        reverse("members:transfer_new", args=[number]),
        {
            "kind": "official",
            "to_branch": world.other_branch.code,
            "letter_number": "8-GGT",
            "letter_date": TODAY.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert list(Transfer.objects.all()) == [pending]
    member.refresh_from_db()
    assert member.branch == world.branch_a


def test_a_transfer_letter_takes_the_branch_code_in_either_case(world, as_user, member):
    response = as_user(world.officer).post(
        reverse("members:transfer_new", args=[member.member_number]),
        {
            "kind": "temporary",
            "to_branch": f" {world.branch_b.code.lower()} ",
            "planned_until": "01/06/2026",
            "letter_number": "8-GGT",
            "letter_date": "05/01/2026",
        },
    )
    assert response.status_code == 302
    assert Transfer.objects.get().to_branch == world.branch_b


def test_bad_transfer_letter_changes_nothing(world, as_user, member):
    client = as_user(world.officer)
    url = reverse("members:transfer_new", args=[member.member_number])
    base = {"kind": "temporary", "letter_number": "1", "letter_date": "05/01/2026"}
    for extra in [
        {"to_branch": "NO-SUCH"},
        {"to_branch": world.branch_b.code},  # temporary without an end date
        {"to_branch": world.branch_b.code, "planned_until": "01/02/2026"},
        {
            "to_branch": world.branch_b.code,
            "to_outside": "Tỉnh khác",
            "planned_until": "01/06/2026",
        },
    ]:
        response = client.post(url, base | extra)
        assert response.status_code == 200
        assert response.context["form"].errors
    assert not Transfer.objects.exists()


def test_temporary_transfer_page_flow_leaves_host_total(world, as_user, member):
    dated_member(world.branch_b, D(2010, 1, 1))
    transfer = transfers.request_transfer(
        member,
        kind=TransferKind.TEMPORARY,
        to_branch=world.branch_b,
        letter_number="1",
        letter_date=TODAY - datetime.timedelta(days=10),
        planned_until=TODAY + datetime.timedelta(days=150),
    )
    client = as_user(world.officer)
    client.post(reverse("record_work:transfer_accept", args=[transfer.pk]), {"on": TODAY})
    page = client.get(world.branch_b.get_absolute_url())
    assert page.context["counts"]["members"] == 1
    assert set(member.memberships.open().values_list("branch", "kind")) == {
        (world.branch_a.pk, MembershipKind.HOME),
        (world.branch_b.pk, MembershipKind.TEMPORARY),
    }


def test_receive_from_outside(world, as_user):
    client = as_user(world.officer)
    response = client.post(
        reverse("record_work:transfer_receive"),
        {
            "member_number": "77000001",
            "full_name": "Phan Thị Mai",
            "gender": "female",
            "date_of_birth": "01/02/1985",
            "ethnicity": "kinh",
            "religion": "none",
            "general_education": "upper_secondary",
            "qualification": "bachelor",
            "political_theory": "elementary",
            "occupation": "teacher",
            "admission_decision_date": "01/03/2010",
            "admission_date": "15/03/2010",
            "official_date": "15/03/2011",
            "branch": world.branch_a.pk,
            "from_outside": "Đảng bộ tỉnh Quảng Trị",
            "letter_number": "40-GGT/TU",
            "letter_date": "02/03/2026",
            "on": "10/03/2026",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    member = Member.objects.get(member_number="77000001")
    assert member.branch == world.branch_a
    assert member.events.filter(kind="transferred_in").exists()


# --- badges ---------------------------------------------------------------------------------


def test_badge_page_lists_and_records(world, as_user, member):
    dated_member(world.branch_a, D(1995, 9, 3), full_name="Trần Văn Bình")
    client = as_user(world.officer)
    response = client.get(
        reverse("record_work:badges"), {"node": world.district.code, "date": "2025-09-02"}
    )
    assert [c.member.full_name for c in response.context["due"]] == ["Nguyễn Văn An"]
    assert [c.member.full_name for c in response.context["early"]] == ["Trần Văn Bình"]
    printed = client.get(
        reverse("record_work:badges_print"), {"node": world.district.code, "date": "2025-09-02"}
    )
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in printed.content.decode()
    assert "Nguyễn Văn An" in printed.content.decode()
    pdf = client.get(
        reverse("record_work:badges_print"),
        {"node": world.district.code, "date": "2025-09-02", "format": "pdf"},
    )
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Nguyễn Văn An" in text and "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    response = client.post(
        reverse("record_work:badges_award"),
        {
            "node": world.district.code,
            "date": "2025-09-02",
            "decision_number": "",
            "member": member.pk,
        },
    )
    assert not BadgeAward.objects.exists()
    response = client.post(
        reverse("record_work:badges_award"),
        {
            "node": world.district.code,
            "date": "2025-09-02",
            "decision_number": "55-QĐ/TU",
            "member": member.pk,
        },
    )
    assert response.status_code == 302
    assert BadgeAward.objects.get().years == 30


# --- evaluations ----------------------------------------------------------------------------


def _sheet_data(members, levels, decision="10-QĐ/ĐU"):
    data = {"sheet-decision_number": decision}
    for m, level in zip(members, levels, strict=True):
        data[f"r{m.pk}-level"] = level
        data[f"r{m.pk}-self_assessment"] = level
    return data


@pytest.mark.parametrize(("excellent", "saved"), [(2, True), (3, False)])
def test_evaluation_quota_at_its_edge_under_124(world, as_user, excellent, saved):
    branch = make_node(world.commune, NodeKind.BRANCH, "Chi bộ 12")
    members = [make_member(branch) for _ in range(10 + excellent)]
    levels = [EvaluationLevel.GOOD] * 10 + [EvaluationLevel.EXCELLENT] * excellent
    url = reverse("record_work:evaluation_members", args=[branch.code, 2024])
    response = as_user(world.officer).post(url, _sheet_data(members, levels))
    if saved:
        assert response.status_code == 302
        assert Evaluation.objects.filter(level="excellent").count() == 2
        assert Evaluation.objects.get(member=members[0]).regulation == "124-QĐ/TW"
    else:
        assert response.status_code == 200
        assert any("124-QĐ/TW" in p for p in response.context["problems"])
        assert not Evaluation.objects.exists()


def test_evaluation_exclusions_and_366_scores(world, as_user):
    branch = make_node(world.commune, NodeKind.BRANCH, "Chi bộ 13")
    regular = make_member(branch, full_name="Lê Văn Cường")
    newcomer = dated_member(branch, D(2025, 9, 1), full_name="Mới Vào Đảng", official_date=None)
    url = reverse("record_work:evaluation_members", args=[branch.code, 2025])
    client = as_user(world.officer)
    page = client.get(url)
    assert {line["target"].pk: line["required"] for line in page.context["lines"]} == {
        regular.pk: "",
        newcomer.pk: "new_member",
    }
    bad = {
        f"r{regular.pk}-score": "92",
        f"r{regular.pk}-level": "excellent",  # without the conditions of Art. 11
        f"r{newcomer.pk}-score": "80",
        "sheet-decision_number": "",
    }
    response = client.post(url, bad)
    assert response.status_code == 200
    problems = response.context["problems"]
    assert len(problems) == 3  # the conditions, the newcomer, and the quota (1 excellent)
    assert "30%" in problems[0] and "Mới Vào Đảng" in problems[1] and "366-QĐ/TW" in problems[2]
    assert not Evaluation.objects.exists()
    # A score of 92 may be rated good, and a score may have one decimal.
    good = {f"r{regular.pk}-score": "92.5", f"r{regular.pk}-level": "good"}
    assert client.post(url, good | {"sheet-decision_number": ""}).status_code == 302
    saved = Evaluation.objects.get(member=regular)
    assert (saved.level, saved.score, saved.regulation) == ("good", Decimal("92.5"), "366-QĐ/TW")
    assert Evaluation.objects.get(member=newcomer).not_classified == "new_member"


def test_organization_evaluations(world, as_user):
    client = as_user(world.officer)
    url = reverse("record_work:evaluation_organizations", args=[world.commune.code, 2024])
    data = {
        f"r{world.branch_a.pk}-level": "good",
        f"r{world.branch_b.pk}-level": "completed",
    }
    assert client.post(url, data).status_code == 302
    assert OrganizationEvaluation.objects.count() == 2


def test_a_past_years_organization_sheet_lists_the_organizations_below_then(world, as_user):
    """The commune moved from district H1 to H2 on 01/07/2025: H1 evaluated it for 2024,
    H2 for 2025; each year's summary counts the members of the subtree of that year. The
    commune has moved on from H1's officer, so only an officer above both sees and sets
    its 2024 evaluation on H1's sheet."""
    member = make_member(world.branch_a)
    Evaluation.objects.create(
        member=member, branch=world.branch_a, year=2024, level="good", regulation="366-QĐ/TW"
    )
    tree.move_node(world.commune, new_parent=world.other_district, on=D(2025, 7, 1))

    def sheet(user, code, year):
        url = reverse("record_work:evaluation_organizations", args=[code, year])
        return as_user(user).get(url).context

    province_officer = make_user(world.province, RoleKind.OFFICER, username="tinh")
    h1_2024 = sheet(province_officer, "H1", 2024)
    assert [line["target"].code for line in h1_2024["lines"]] == ["X1"]
    assert h1_2024["summary"]["good"] == 1
    moved_on = sheet(world.officer, "H1", 2024)
    assert [line["target"].code for line in moved_on["lines"]] == []
    assert [line["target"].code for line in sheet(world.officer, "H1", 2025)["lines"]] == []
    h2_2024 = sheet(world.outsider, "H2", 2024)
    assert [line["target"].code for line in h2_2024["lines"]] == ["H2-CB"]
    assert h2_2024["summary"]["good"] == 0
    h2_2025 = sheet(world.outsider, "H2", 2025)
    assert sorted(line["target"].code for line in h2_2025["lines"]) == ["H2-CB", "X1"]

    url = reverse("record_work:evaluation_organizations", args=["H1", 2024])
    posted = as_user(province_officer).post(url, {f"r{world.commune.pk}-level": "good"})
    assert posted.status_code == 302
    assert OrganizationEvaluation.objects.get(node=world.commune, year=2024).level == "good"


# --- dues -----------------------------------------------------------------------------------


def test_dues_sheet_saves_and_rejects_bad_rows(world, as_user):
    teacher = make_member(world.branch_a, occupation="teacher")
    student = make_member(world.branch_a, occupation="student")
    client = as_user(world.secretary)
    url = reverse("record_work:dues_sheet", args=[world.branch_a.code, 2026, 3])
    page = client.get(url)
    assert [line["row"].basis for line in page.context["lines"]] == ["salary", "student"]
    bad = {
        f"m{teacher.pk}-basis": "salary",
        f"m{student.pk}-basis": "student",
        f"m{student.pk}-paid_on": "05/03/2026",
    }
    response = client.post(url, bad)
    assert response.status_code == 200
    assert response.context["problems"]
    assert not Dues.objects.exists()
    good = bad | {f"m{teacher.pk}-income": "7000000", f"m{teacher.pk}-extra": "10000"}
    assert client.post(url, good).status_code == 302
    assert dict(Dues.objects.values_list("member_id", "amount_due")) == {
        teacher.pk: 70_000,
        student.pk: 5_000,
    }
    assert Dues.objects.get(member=teacher).paid_on is None


# --- removal list and inspections ----------------------------------------------------------


def test_removal_list_shows_members_with_three_unpaid_months(world, as_user):
    late = make_member(world.branch_a, full_name="Đỗ Văn Chậm")
    unpaid_dues(late, TODAY.year, [1, 2, 3])
    response = as_user(world.officer).get(
        reverse("record_work:removal"), {"node": world.district.code, "year": TODAY.year}
    )
    assert [c.member.full_name for c in response.context["page"]] == ["Đỗ Văn Chậm"]


def test_removal_list_is_paged_and_counts_every_member(world, as_user, monkeypatch):
    monkeypatch.setattr(removal_views, "PAGE_SIZE", 2)
    late = [make_member(world.branch_a, full_name=f"Đỗ Văn Chậm {i}") for i in range(3)]
    for member in late:
        unpaid_dues(member, TODAY.year, [1, 2, 3])
    client = as_user(world.officer)
    query = {"node": world.district.code, "year": TODAY.year}
    first = client.get(reverse("record_work:removal"), query)
    assert first.context["page"].paginator.count == 3
    assert [c.member for c in first.context["page"]] == late[:2]
    assert "page=2" in first.content.decode()
    second = client.get(reverse("record_work:removal"), query | {"page": 2})
    assert [c.member for c in second.context["page"]] == late[2:]
    assert [(c.unpaid_months, c.absent_months) for c in second.context["page"]] == [(3, 0)]


def test_inspection_is_recorded_and_counted_against_the_target(world, as_user):
    member = make_member(world.branch_a)
    client = as_user(world.secretary)
    url = reverse("record_work:inspection_create", args=[world.branch_a.code])
    bad = {
        "date": TODAY.strftime("%d/%m/%Y"),
        "inspecting_node": world.branch_a.code,
        "subject": "Đảng phí",
        "inspected_member": "00000000",
    }
    response = client.post(url, bad)
    assert response.status_code == 200 and response.context["form"].errors
    assert not Inspection.objects.exists()
    ok = bad | {"inspected_member": member.member_number}
    assert client.post(url, ok).status_code == 302
    page = client.get(reverse("record_work:inspections", args=[world.branch_a.code]))
    row = page.context["page"][0]
    assert (row.done, row.target) == (1, 1)


def _badge_lists(world, count):
    """`count` members due on 2/9/2025, `count` + 1 within the early window (one of them
    back after a removal)."""
    for n in range(count):
        dated_member(world.branch_a, D(1995, 8, 1 + n))
        dated_member(world.branch_b, D(1996, 8, 1 + n))
    gap = dated_member(world.branch_a, D(1990, 1, 1), full_name="Có Khoảng Trống")
    lifecycle.record_exit(gap, kind=ExitKind.REMOVED, on=D(2000, 1, 1), document_number="1")
    lifecycle.readmit(gap, branch=world.branch_a, on=D(2006, 1, 1), document_number="2")


BADGE_PAGE = {"date": "2025-09-02"}


def test_badges_ticked_on_the_vietnamese_page_reach_members_numbered_past_999(world, as_user):
    """The ticks carry plain ids: "12.345" (the Vietnamese thousands separator) was dropped
    as no id, and the award left out every member whose id passes 999, saying nothing."""
    member = dated_member(world.branch_a, D(1995, 9, 2), full_name="Nguyễn Văn An", id=12345)
    client = as_user(world.officer)
    client.cookies["django_language"] = "vi"
    day = {"node": world.district.code, "date": "2025-09-02"}
    page = client.get(reverse("record_work:badges"), day).content.decode()
    ticked = re.findall(r'name="member" value="([^"]+)"', page)
    assert ticked == ["12345"]
    award = {**day, "decision_number": "55-QĐ/TU", "member": ticked}
    assert client.post(reverse("record_work:badges_award"), award).status_code == 302
    assert BadgeAward.objects.get().member == member
    # A tick that is not an id is refused, not skipped: nothing more is recorded.
    refused = client.post(reverse("record_work:badges_award"), {**award, "member": ["1.234"]})
    assert refused.status_code == 400 and BadgeAward.objects.count() == 1


@pytest.mark.parametrize("day", ["2025-09-03", "2025-13-01", "hôm nay"])
def test_a_day_that_is_not_an_award_day_is_refused_never_replaced(world, as_user, member, day):
    client = as_user(world.officer)
    asked = {"node": world.district.code, "date": day}
    page = client.get(reverse("record_work:badges"), asked)
    assert page.status_code == 400
    assert "is not an award day of the party badge; they are 03/02, 19/05, 02/09, 07/11" in (
        page.content.decode()
    )
    award = {**asked, "decision_number": "55-QĐ/TU", "member": member.pk}
    assert client.post(reverse("record_work:badges_award"), award).status_code == 400
    assert not BadgeAward.objects.exists()


def test_badge_lists_are_paged_separately_and_counted_in_full(world, as_user, monkeypatch):
    _badge_lists(world, 3)
    due, early = badges.badge_list(Member.objects.all(), D(2025, 9, 2))
    assert (len(due), len(early)) == (3, 4)
    monkeypatch.setattr(badge_views, "PAGE_SIZE", 2)
    client = as_user(world.officer)
    url = reverse("record_work:badges")
    response = client.get(url, BADGE_PAGE)
    page = response.content.decode()
    assert response.context["due"] == due[:2] and response.context["early"] == early[:2]
    assert "3 members due" in page and "(4)" in page
    assert "due_page=2" in page and "early_page=2" in page
    response = client.get(url, BADGE_PAGE | {"due_page": 2})
    page = response.content.decode()
    assert response.context["due"] == due[2:] and response.context["early"] == early[:2]
    assert "due_page=2&amp;early_page=2" in page  # the due list keeps its page
    response = client.get(url, BADGE_PAGE | {"due_page": 2, "early_page": 9})
    assert response.context["early"] == early[2:]  # past the end: the last page


def test_badge_page_of_a_branch_lists_only_its_members(world, as_user):
    _badge_lists(world, 2)
    response = as_user(world.officer).get(
        reverse("record_work:badges"), BADGE_PAGE | {"node": world.branch_b.code}
    )
    assert response.context["due"] == []
    assert {c.member.branch for c in response.context["early"]} == {world.branch_b}
    assert response.context["pages"]["early"].paginator.count == 2


@pytest.mark.parametrize("count", [1, 4])
def test_badge_page_query_count(world, as_user, django_assert_max_num_queries, count):
    _badge_lists(world, count)
    client = as_user(world.officer)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("record_work:badges"), BADGE_PAGE)
    assert len(response.context["due"]) == count
    assert len(response.context["early"]) == count + 1


# --- query counts: 1 item and 3 items under the same limit ---------------------------------


def _make_items(world, count):
    for i in range(count):
        m = dated_member(world.branch_a, D(1995, 9, 1), full_name=f"Phạm Văn Số {i}")
        unpaid_dues(m, TODAY.year, [1, 2, 3])
        transfers.request_transfer(
            m,
            kind="official",
            to_branch=world.branch_b,
            letter_number=f"{i}",
            letter_date=TODAY - datetime.timedelta(days=2),
        )
        Inspection.objects.create(
            date=TODAY, inspecting_node=world.branch_a, inspected_member=m, subject="x"
        )
        Evaluation.objects.create(
            member=m,
            branch=world.branch_a,
            year=TODAY.year - 1,
            regulation="124-QĐ/TW",
            level="good",
        )


@pytest.mark.parametrize("count", [1, 3])
def test_query_counts_do_not_grow(world, as_user, django_assert_max_num_queries, count):
    _make_items(world, count)
    client = as_user(world.officer)
    member = Member.objects.first()
    pages = [
        (reverse("record_work:transfers"), 6),
        # With the letter's issuing body (its ancestors) and its entry in that register.
        (Transfer.objects.first().get_absolute_url(), 10),
        (reverse("record_work:badges") + f"?node={world.district.code}&date=2025-09-02", 8),
        (reverse("record_work:badges_print") + f"?node={world.district.code}&date=2025-09-02", 9),
        (reverse("record_work:evaluation_members", args=[world.branch_a.code, TODAY.year - 1]), 10),
        (
            reverse(
                "record_work:evaluation_organizations", args=[world.commune.code, TODAY.year - 1]
            ),
            14,
        ),
        (reverse("record_work:dues_sheet", args=[world.branch_a.code, TODAY.year, 1]), 9),
        (reverse("record_work:removal") + f"?node={world.district.code}", 8),
        (reverse("record_work:inspections", args=[world.district.code]), 9),
        (reverse("record_work:overview"), 7),
        (member.get_absolute_url(), 14),  # with the competence for its actions
        (reverse("home"), 24),
    ]
    for url, limit in pages:
        with django_assert_max_num_queries(limit):
            response = client.get(url)
        assert response.status_code == 200, url
