"""The annual report an office files, through its pages: the assessment saved as drafts
with versions, issued with a number from the register and a signer from the positions,
the figures frozen, and the revision that data entered afterwards shows."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from members.enums import PositionRole
from members.models import Position
from papers.models import Document, Register
from tests.factories import make_member
from tests.factories_reports import YEAR, build_district

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def district(world):
    world.province.name = "Đảng bộ tỉnh Thừa Thiên"
    world.province.save()
    world.district.name = "Đảng bộ huyện Nam Đông"
    world.district.place_name = "Nam Đông"
    world.district.save()
    d = build_district(world)
    d.secretary = make_member(d.branch_b, full_name="Hồ Văn Quý")
    d.deputy = make_member(d.branch_b, full_name="Lê Thị Thu")
    since = D(2020, 1, 1)
    Position.objects.create(
        member=d.secretary, role=PositionRole.SECRETARY, node=d.district, start_date=since
    )
    Position.objects.create(
        member=d.deputy, role=PositionRole.DEPUTY_SECRETARY, node=d.district, start_date=since
    )
    return d


def url(name, *args):
    return reverse(f"papers:{name}", args=args)


def pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", text)


ISSUE_DAY = D(2026, 1, 10)


def issue(client, position, on=ISSUE_DAY):
    return client.post(
        url("issue_report", "H1", YEAR), {"issued_on": on.isoformat(), "signer": position.pk}
    )


def secretary_post(d):
    return Position.objects.get(node=d.district, role=PositionRole.SECRETARY)


def test_assessment_is_saved_as_versions_and_printed_in_the_draft(as_user, district, world):
    client = as_user(world.officer)
    page = client.get(url("annual_report", "H1", YEAR))
    assert page.status_code == 200
    assert not Document.objects.exists(), "opening the page saves nothing"

    for strengths in ("Chi bộ duy trì sinh hoạt đều đặn.", "Sinh hoạt đều đặn, nền nếp."):
        version = Document.objects.first().version if Document.objects.exists() else 1
        response = client.post(
            url("save_assessment", "H1", YEAR),
            {
                "strengths": strengths,
                "directions": "Phát triển 3 đảng viên mới.",
                "version": version,
            },
        )
        assert response.status_code == 302
    draft = Document.objects.get()
    assert draft.strengths == "Sinh hoạt đều đặn, nền nếp."
    assert draft.history.count() == 2
    assert draft.history.first().history_user == world.officer

    text = pdf_text(client.get(url("draft_pdf", "H1", YEAR)).content)
    assert "DỰ THẢO" in text
    assert "Số " not in text.split("BÁO CÁO")[0], "a draft has no number"
    assert "Sinh hoạt đều đặn, nền nếp." in text
    assert "Phương hướng, nhiệm vụ năm tới" in text


def test_a_stale_draft_is_refused(as_user, district, world):
    client = as_user(world.officer)
    client.post(url("save_assessment", "H1", YEAR), {"strengths": "A", "version": 1})
    client.post(url("save_assessment", "H1", YEAR), {"strengths": "B", "version": 1})
    response = client.post(url("save_assessment", "H1", YEAR), {"strengths": "C", "version": 1})
    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()
    assert Document.objects.get().strengths == "B"


def test_issued_report_keeps_number_and_figures_and_the_page_shows_the_revision(
    as_user, district, world
):
    client = as_user(world.officer)
    response = issue(client, secretary_post(district))
    assert response.status_code == 302
    report = Document.objects.get()
    assert (report.number_text, report.signer_name) == ("01-BC/HU", "Hồ Văn Quý")

    first = client.get(url("pdf", report.pk))
    text = pdf_text(first.content)
    for line in (
        "ĐẢNG BỘ TỈNH THỪA THIÊN",
        "HUYỆN ỦY NAM ĐÔNG",
        "Số 01-BC/HU",
        "Nam Đông, ngày 10 tháng 01 năm 2026",
        "T/M BAN THƯỜNG VỤ",
        "BÍ THƯ",
        "Hồ Văn Quý",
        "Ban Thường vụ Tỉnh ủy (để báo cáo)",
    ):
        assert line in text
    assert "ĐẢNG BỘ HUYỆN NAM ĐÔNG" not in text
    page = client.get(url("annual_report", "H1", YEAR))
    assert page.context["changes"] == []

    # Data entered after filing: two long-serving members found missing from the roll.
    for _ in range(2):
        make_member(district.branch_a, joined_branch_on=D(2024, 1, 1))

    assert pdf_text(client.get(url("pdf", report.pk)).content) == text
    page = client.get(url("annual_report", "H1", YEAR))
    changes = {(c.table, c.row, c.column): (c.filed, c.now) for c in page.context["changes"]}
    assert changes, "the revision lists the figures that changed"
    body = page.content.decode()
    assert 'id="revision"' in body and "01-BC/HU" in body
    members = ("Đảng viên đến ngày 31/12/2025", "Tổng số đảng viên", "Số lượng")
    assert changes[members] == ("11", "13")
    movement = "Biến động đảng viên"
    assert changes[(movement, "Đầu kỳ (ngày 31/12/2024)", "Số lượng")] == ("13", "15")
    assert "Tổng số đảng viên" in body and '<td class="n">13</td>' in body

    # The office issues the corrected report: a new number that names the original.
    response = issue(client, secretary_post(district), on=D(2026, 1, 20))
    assert response.status_code == 302
    corrected = Document.objects.get(number=2)
    assert corrected.corrects == report
    corrected_text = pdf_text(client.get(url("pdf", corrected.pk)).content)
    assert "Số 02-BC/HU" in corrected_text
    assert "thay thế Báo cáo số 01-BC/HU ngày 10/01/2026" in corrected_text
    assert client.get(url("annual_report", "H1", YEAR)).context["changes"] == []

    register = client.get(url("register", "H1", 2026))
    assert register.status_code == 200
    rows = register.content.decode()
    assert "01-BC/HU" in rows and "02-BC/HU" in rows and "Hồ Văn Quý" in rows


def test_a_deputy_signs_for_the_secretary(as_user, district, world):
    deputy = Position.objects.get(node=district.district, role=PositionRole.DEPUTY_SECRETARY)
    client = as_user(world.officer)
    assert issue(client, deputy).status_code == 302
    text = pdf_text(client.get(url("pdf", Document.objects.get().pk)).content)
    assert "T/M BAN THƯỜNG VỤ K/T BÍ THƯ PHÓ BÍ THƯ" in text
    assert "Lê Thị Thu" in text


def test_without_a_secretary_the_issuer_must_choose_and_nothing_is_numbered(
    as_user, district, world
):
    Position.objects.filter(node=district.district).update(end_date=D(2025, 12, 31))
    client = as_user(world.officer)
    response = client.post(
        url("issue_report", "H1", YEAR), {"issued_on": "2026-01-10", "signer": ""}
    )
    assert response.status_code == 200
    assert "Nobody holds the secretary or deputy secretary post" in response.content.decode()
    assert not Document.objects.filter(number__isnull=False).exists()
    assert not Register.objects.filter(last_number__gt=0).exists()

    Position.objects.filter(node=district.district).update(end_date=None)
    Position.objects.filter(node=district.district, role=PositionRole.SECRETARY).delete()
    page = client.get(url("annual_report", "H1", YEAR))
    assert page.context["issue_form"]["signer"].value() is None, "no signer chosen for them"
    response = client.post(
        url("issue_report", "H1", YEAR), {"issued_on": "2026-01-10", "signer": ""}
    )
    assert response.status_code == 200
    assert "Choose who signs the document." in response.content.decode()


def test_scope_and_roles(as_user, district, world):
    issue(as_user(world.officer), secretary_post(district))
    report = Document.objects.get()
    outsider = as_user(world.outsider)
    for path in (
        url("annual_report", "H1", YEAR),
        url("register", "H1", 2026),
        url("pdf", report.pk),
        url("draft_pdf", "H1", YEAR),
    ):
        assert outsider.get(path).status_code == 404
    viewer = as_user(world.viewer)
    assert viewer.get(url("register", "H1", 2026)).status_code == 200
    assert viewer.get(url("pdf", report.pk)).status_code == 200
    assert issue(viewer, secretary_post(district)).status_code == 403
    assert viewer.post(url("save_assessment", "H1", YEAR), {"version": 1}).status_code == 403
    assert viewer.get(url("issue_report", "H1", YEAR)).status_code == 405
    assert Document.objects.count() == 1
