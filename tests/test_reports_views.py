import io
import re

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from branches.enums import NodeKind
from reports.charts import charts
from reports.enums import ReportStatus
from reports.membership import Movement
from reports.models import GeneratedReport
from tests.factories import make_member, make_node
from tests.factories_reports import YEAR, build_district

pytestmark = pytest.mark.django_db


@pytest.fixture
def district(world):
    return build_district(world)


def url(name, *args):
    return reverse(f"reports:{name}", args=args)


def pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", text)


def test_dashboard_shows_the_figures_and_links(as_user, district, world):
    response = as_user(world.officer).get(url("dashboard", "H1", YEAR))
    assert response.status_code == 200
    body = response.content.decode()
    report = response.context["report"]
    assert report.totals.members == 9
    assert body.count('src="data:image/svg+xml;base64,') == 4
    assert url("figure_members", "H1", YEAR, "women") in body
    assert url("dashboard", "X1", YEAR) in body  # drill-down into a child
    assert url("report_file", "H1", YEAR, "pdf") in body


def test_charts_with_nothing_to_show_are_left_out(as_user, district, world):
    before_any_minutes_or_evaluation = YEAR - 1
    response = as_user(world.officer).get(url("dashboard", "H1", before_any_minutes_or_evaluation))
    assert response.status_code == 200
    assert [chart.key for chart in charts(response.context["report"])] == ["ages", "admissions"]
    assert response.content.decode().count('src="data:image/svg+xml;base64,') == 2


def test_vietnamese_dashboard_formats_numbers(client, world):
    commune = make_node(world.district, NodeKind.GRASSROOTS_COMMITTEE)
    branch = make_node(commune, NodeKind.BRANCH)
    for _ in range(3):
        make_member(branch)
    client.force_login(world.officer)
    client.cookies["django_language"] = "vi"
    body = client.get(url("dashboard", "H1", YEAR)).content.decode()
    assert "Báo cáo" in body
    assert "2.025" not in body  # years are not numbers with separators


def test_index_opens_the_users_own_node(as_user, world):
    response = as_user(world.secretary).get(url("index"))
    assert response.status_code == 302
    assert response["Location"].startswith(url("dashboard", "X1-B1", 2026)[:-5])


def test_scope(as_user, district, world):
    client = as_user(world.secretary)
    assert client.get(url("dashboard", "X1-B1", YEAR)).status_code == 200
    # A secretary cannot report on another branch, in any form.
    assert client.get(url("dashboard", "X1-B2", YEAR)).status_code == 404
    assert client.get(url("report_file", "X1-B2", YEAR, "pdf")).status_code == 404
    assert client.get(url("report_file", "X1-B2", YEAR, "xlsx")).status_code == 404
    assert client.get(url("figure_members", "X1-B2", YEAR, "total")).status_code == 404
    assert client.post(url("generate", "X1-B2", YEAR), {"format": "pdf"}).status_code == 404
    outsider = as_user(world.outsider)
    assert outsider.get(url("dashboard", "H1", YEAR)).status_code == 404
    assert outsider.get(url("report_file", "H1", YEAR, "pdf")).status_code == 404


def test_bad_year_format_and_figure_are_404(as_user, district, world):
    client = as_user(world.officer)
    assert client.get(url("dashboard", "H1", 1900)).status_code == 404
    assert client.get(url("dashboard", "H1", 2999)).status_code == 404
    assert client.get(url("report_file", "H1", YEAR, "doc")).status_code == 404
    assert client.get(url("figure_members", "H1", YEAR, "salary")).status_code == 404


def test_anonymous_is_sent_to_log_in(client, world):
    response = client.get(url("dashboard", "H1", YEAR))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_pdf_has_the_narrative_with_figures_and_diacritics(as_user, district, world):
    response = as_user(world.viewer).get(url("report_file", "H1", YEAR, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "BÁO CÁO" in text
    assert "Tình hình tổ chức đảng, đảng viên năm 2025" in text
    assert "-BC/HU" in text
    # The committee issues, under the organization above it; recipients name committees.
    assert "ĐẢNG BỘ TỈNH HUYỆN ỦY * Số -BC/HU" in text
    assert "Ban Thường vụ Tỉnh ủy (để báo cáo)" in text
    assert (
        "Đảng bộ huyện hiện có 2 tổ chức cơ sở đảng (gồm 01 đảng bộ xã, thị trấn, 01 chi bộ cơ "
        "sở) và 2 chi bộ trực thuộc đảng ủy cơ sở, với 9 đảng viên." in text
    )
    assert "Năm 2025, toàn Đảng bộ kết nạp 1 đảng viên mới, đạt 50% kế hoạch" in text
    assert "T/M BAN THƯỜNG VỤ" in text
    assert "Nơi nhận:" in text
    assert "Biến động đảng viên" in text


def test_the_workbook_has_the_tables(as_user, district, world):
    response = as_user(world.officer).get(url("report_file", "H1", YEAR, "xlsx"))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = [[c for c in row] for row in book["Báo cáo"].iter_rows(values_only=True)]
    labels = {row[0]: row[1:] for row in rows if row[0]}
    assert labels["Tổng số đảng viên"][0] == 9
    assert labels["Đầu kỳ (ngày 31/12/2024)"][0] == 11
    assert labels["Cuối kỳ (ngày 31/12/2025)"][0] == 9
    assert labels["Đạt so với kế hoạch"][0] == 0.5
    children = list(book["Đơn vị trực thuộc"].iter_rows(values_only=True))
    assert children[2][0] == "Đảng bộ xã" and children[2][1] == 7


def test_unbalanced_movement_refuses_to_print(as_user, district, world, monkeypatch):
    broken = Movement(start=11, end=10, ins={"admitted": 1}, outs={"deceased": 1})
    monkeypatch.setattr("reports.service.movement", lambda *args: broken)
    client = as_user(world.officer)
    for fmt in ("pdf", "xlsx", "html"):
        response = client.get(url("report_file", "H1", YEAR, fmt))
        assert response.status_code == 409
        body = response.content.decode()
        assert "does not balance: 11 members at the start + 1 in − 1 out = 11" in body
        assert "but 10 members are counted at the end" in body
        assert "Bảng biến động đảng viên không cân đối" in body
    dashboard = client.get(url("dashboard", "H1", YEAR)).content.decode()
    assert 'id="imbalance"' in dashboard
    with pytest.raises(CommandError, match="does not balance"):
        call_command("annual_report", "H1", str(YEAR), "--format", "pdf", "--output", "/dev/null")


def test_command_writes_each_format(district, tmp_path):
    for fmt in ("pdf", "html", "xlsx"):
        target = tmp_path / f"report.{fmt}"
        call_command("annual_report", "H1", str(YEAR), "--format", fmt, "--output", str(target))
        assert target.stat().st_size > 1000
    assert "với 9 đảng viên" in pdf_text((tmp_path / "report.pdf").read_bytes())
    assert "Biến động đảng viên" in (tmp_path / "report.html").read_text()
    with pytest.raises(CommandError, match="No organization"):
        call_command("annual_report", "NOPE", "2025", "--output", str(tmp_path / "x.pdf"))


def test_large_subtree_is_prepared_in_the_background(as_user, district, world, settings):
    settings.REPORT_BACKGROUND_MEMBERS = 3
    client = as_user(world.viewer)
    response = client.get(url("report_file", "H1", YEAR, "pdf"))
    assert response.status_code == 302 and response["Location"].endswith("#files")
    assert client.get(url("generate", "H1", YEAR)).status_code == 405
    response = client.post(url("generate", "H1", YEAR), {"format": "pdf"})
    generated = GeneratedReport.objects.get()
    assert response["Location"] == url("file", generated.pk)
    assert (generated.status, generated.progress, generated.requested_by) == (
        ReportStatus.DONE,
        100,
        world.viewer,
    )
    page = client.get(url("file", generated.pk)).content.decode()
    assert url("file_download", generated.pk) in page
    download = client.get(url("file_download", generated.pk))
    assert "với 9 đảng viên" in pdf_text(b"".join(download.streaming_content))
    dashboard = client.get(url("dashboard", "H1", YEAR)).content.decode()
    assert url("file", generated.pk) in dashboard
    assert as_user(world.outsider).get(url("file", generated.pk)).status_code == 404
    assert as_user(world.outsider).get(url("file_download", generated.pk)).status_code == 404


def test_background_failure_is_kept_with_its_reason(as_user, district, world, monkeypatch):
    broken = Movement(start=1, end=5, ins={"admitted": 0}, outs={})
    monkeypatch.setattr("reports.service.movement", lambda *args: broken)
    client = as_user(world.officer)
    client.post(url("generate", "H1", YEAR), {"format": "xlsx"})
    generated = GeneratedReport.objects.get()
    assert generated.status == ReportStatus.FAILED and not generated.file
    assert "không cân đối" in generated.message
    page = client.get(url("file", generated.pk)).content.decode()
    assert "does not balance" in page
    response = client.post(url("generate", "H1", YEAR), {"format": "doc"})
    assert response.status_code == 302 and GeneratedReport.objects.count() == 1


def test_members_behind_a_figure(as_user, district, world):
    client = as_user(world.officer)
    names = lambda figure: sorted(  # noqa: E731
        m.pk for m in client.get(url("figure_members", "H1", YEAR, figure)).context["page"]
    )
    assert names("women") == sorted([district.a1.pk, district.s2.pk])
    assert names("deceased") == [district.b1.pk]
    assert names("removed") == [district.a5.pk]
    assert names("admitted") == [district.b2.pk]
    assert names("probationary") == [district.b2.pk]
    assert names("exempted") == [district.a6.pk]
    assert names("age_le30") == [district.a1.pk]
    assert len(names("total")) == 9


def _grow(world, communes):
    for _ in range(communes):
        commune = make_node(world.district, NodeKind.GRASSROOTS_COMMITTEE)
        for _ in range(3):
            branch = make_node(commune, NodeKind.BRANCH)
            for _ in range(2):
                make_member(branch)


@pytest.mark.parametrize("communes", [1, 3])
def test_dashboard_query_count(as_user, world, communes, django_assert_max_num_queries):
    _grow(world, communes)
    client = as_user(world.officer)
    # 30, one for the branches by kind (the kinds of area each branch covers), one for
    # the children the user may open.
    with django_assert_max_num_queries(32):
        assert client.get(url("dashboard", "H1", YEAR)).status_code == 200


@pytest.mark.parametrize("communes", [1, 3])
def test_figure_list_query_count(as_user, world, communes, django_assert_max_num_queries):
    _grow(world, communes)
    client = as_user(world.officer)
    with django_assert_max_num_queries(10):
        assert client.get(url("figure_members", "H1", YEAR, "total")).status_code == 200


def test_every_link_on_a_dashboard_opens(as_user, district, world):
    """Found by bench/smoke.py: committees' dashboards linked to the members' evaluation
    sheet, which only branches have (404)."""
    client = as_user(world.officer)
    for code in ("H1", "X1-B1"):
        page = client.get(url("dashboard", code, YEAR)).content.decode()
        main = page[page.index('<main class="page">') :]
        links = set(re.findall(r'href="(/[^"#]*)', main))
        for link in sorted(links):
            # The report files are tested above.
            if "/report." not in link:
                assert client.get(link).status_code in {200, 302}, (code, link)
