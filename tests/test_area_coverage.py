"""Which branch covered a residential area on a day: brought in by the area import,
moved by a merge, and read by the report of each year as the branches stood then."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from branches import domain as tree
from branches.enums import NodeKind, Sector
from branches.models import AreaCoverage, ResidentialArea
from branches.restructuring import dissolve_node
from members.restructuring import merge_nodes
from partyorg.enums import ImportStatus
from partyorg.models import ImportBatch
from reports.service import build_annual_report
from tests.factories import make_node
from tests.test_imports_tree import area_row, run

pytestmark = pytest.mark.django_db

D = datetime.date
REFORM = D(2025, 7, 1)


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def covered(code, branch, since="", year=2024, kind="Thôn"):
    return {
        **area_row(code, branch=branch, year=year, name=f"Thôn {code}"),
        "Loại": kind,
        "Phụ trách từ ngày": since,
    }


def coverage_of(code) -> list[tuple]:
    return list(
        AreaCoverage.objects.filter(area__code=code)
        .order_by("valid_from")
        .values_list("branch__code", "valid_from", "valid_to")
    )


def residential(node, year) -> dict:
    return build_annual_report(node, year).residential


@pytest.fixture
def second_commune(world):
    world.commune2 = make_node(
        world.district, NodeKind.GRASSROOTS_COMMITTEE, "Đảng bộ xã Hai", code="X2"
    )
    world.branch_c = make_node(world.commune2, NodeKind.BRANCH, "Chi bộ thôn 3", code="X2-B1")
    return world


def test_a_merge_through_its_page_moves_the_areas_from_that_day(second_commune, as_user):
    w = second_commune
    client = as_user(w.officer)
    rows = [
        covered("T1", "X1-B1", "01/01/2020"),
        covered("T2", "X1-B2", "01/01/2020"),
        covered("T3", "X1-B2", "", kind="Tổ dân phố"),
    ]
    batch = run(client, "areas", rows)
    assert batch.status == ImportStatus.APPLIED, batch.errors
    assert coverage_of("T3") == [("X1-B2", D(2015, 1, 1), None)]
    assert AreaCoverage.history.filter(history_user=w.officer).count() == 3

    response = client.post(
        reverse("organizations:node_merge", args=["X1-B2"]),
        {"into": w.branch_c.pk, "on": "01/03/2025", "document_number": "QĐ-5"},
    )
    assert response.status_code == 302
    assert coverage_of("T2") == [
        ("X1-B2", D(2020, 1, 1), D(2025, 3, 1)),
        ("X2-B1", D(2025, 3, 1), None),
    ]
    assert ResidentialArea.objects.get(code="T2").branch == w.branch_c
    moved = AreaCoverage.history.filter(history_user=w.officer, area__code="T2")
    assert moved.count() == 3  # opened by the import; closed and opened by the merge

    before = residential(w.commune, 2024)
    assert (before["areas"], before["villages"], before["residential_groups"]) == (3, 2, 1)
    assert before["village_branches"] == 2 and before["households"] == 360
    assert residential(w.commune2, 2024)["areas"] == 0
    after, taker = residential(w.commune, 2025), residential(w.commune2, 2025)
    assert (after["areas"], after["village_branches"]) == (1, 1)
    assert (taker["areas"], taker["villages"], taker["residential_groups"]) == (2, 1, 1)
    assert residential(w.district, 2024)["areas"] == residential(w.district, 2025)["areas"] == 3


def test_the_district_report_before_and_after_the_2025_reform(second_commune):
    w = second_commune
    tree.cover_areas(
        [
            (ResidentialArea.objects.create(code=code, name=code, kind="village", branch=b), b, day)
            for code, b, day in (
                ("V1", w.branch_a, D(2015, 1, 1)),
                ("V2", w.branch_c, D(2015, 1, 1)),
                ("V3", w.branch_c, D(2024, 5, 1)),
            )
        ],
        reason="test",
    )
    zone = tree.create_node(
        parent=w.province,
        code="XM",
        name="Đảng bộ xã Mới",
        kind=NodeKind.COMMUNE_COMMITTEE,
        sector=Sector.COMMUNE,
        established_on=REFORM,
    )
    new_branch = tree.create_node(
        parent=zone,
        code="XM-B1",
        name="Chi bộ thôn Mới",
        kind=NodeKind.BRANCH,
        established_on=REFORM,
    )
    merge_nodes([w.branch_c], into=new_branch, on=REFORM)
    merge_nodes([w.commune2], into=zone, on=REFORM)
    merge_nodes([w.commune], into=zone, on=REFORM)
    dissolve_node(w.district, on=REFORM)

    assert residential(w.district, 2023)["villages"] == 2
    assert residential(w.district, 2024)["villages"] == 3
    last = build_annual_report(w.district, 2025)
    assert last.end == D(2025, 6, 30) and last.residential["villages"] == 3
    assert residential(zone, 2025)["villages"] == 3
    assert residential(w.province, 2025)["villages"] == 3
    assert coverage_of("V3") == [
        ("X2-B1", D(2024, 5, 1), REFORM),
        ("XM-B1", REFORM, None),
    ]


def test_export_reimports_unchanged_and_a_change_of_branch_is_dated(world, as_user):
    client = as_user(world.officer)
    rows = [covered("T1", "X1-B1", "01/01/2020", year=2023), covered("T1", "X1-B1", "01/01/2020")]
    assert run(client, "areas", rows).status == ImportStatus.APPLIED

    exported = client.get(reverse("imports:export", args=["areas"]))
    assert exported.status_code == 200
    client.post(
        reverse("imports:index"),
        {"kind": "areas", "file": SimpleUploadedFile("export.xlsx", exported.content)},
    )
    back = ImportBatch.objects.latest("pk")
    assert (back.rows_unchanged, back.rows_new, back.rows_updated) == (2, 0, 0), back.errors
    history = AreaCoverage.history.count()

    missing = run(client, "areas", [covered("T1", "X1-B2", year=2023)])
    assert missing.status == ImportStatus.REJECTED
    assert any(
        e["column"] == "Phụ trách từ ngày" and "Give the day" in e["message"]
        for e in missing.errors
    ), missing.errors
    early = run(client, "areas", [covered("T1", "X1-B2", "01/01/2019", year=2023)])
    assert any("give a later day" in e["message"] for e in early.errors), early.errors
    split = run(
        client,
        "areas",
        [covered("T1", "X1-B2", "01/06/2024", year=2023), covered("T1", "X1-B2", "")],
    )
    assert any("different branches or days" in e["message"] for e in split.errors), split.errors
    assert AreaCoverage.history.count() == history

    moved = run(client, "areas", [covered("T1", "X1-B2", "01/06/2024")])
    assert (moved.status, moved.rows_updated) == (ImportStatus.APPLIED, 1), moved.errors
    assert coverage_of("T1") == [
        ("X1-B1", D(2020, 1, 1), D(2024, 6, 1)),
        ("X1-B2", D(2024, 6, 1), None),
    ]
    again = run(client, "areas", [covered("T1", "X1-B2", "01/06/2024")])
    assert (again.status, again.rows_unchanged) == (ImportStatus.APPLIED, 1), again.errors
    fixed = run(client, "areas", [covered("T1", "X1-B2", "01/07/2024")])
    assert any("not changed by an import" in e["message"] for e in fixed.errors), fixed.errors


def test_the_start_of_an_only_coverage_is_corrected(world, as_user):
    client = as_user(world.officer)
    assert run(client, "areas", [covered("T1", "X1-B1")]).status == ImportStatus.APPLIED
    assert coverage_of("T1") == [("X1-B1", D(2015, 1, 1), None)]
    fixed = run(client, "areas", [covered("T1", "X1-B1", "15/03/2018")])
    assert (fixed.status, fixed.rows_updated) == (ImportStatus.APPLIED, 1), fixed.errors
    assert coverage_of("T1") == [("X1-B1", D(2018, 3, 15), None)]
    stored = AreaCoverage.objects.get()
    assert stored.history.first().history_user == world.officer
    before = run(client, "areas", [covered("T1", "X1-B1", "01/01/2010")])
    assert any("did not exist on 01/01/2010" in e["message"] for e in before.errors)


def test_a_merge_before_an_area_was_covered_is_refused_and_changes_nothing(world, as_user):
    client = as_user(world.officer)
    assert run(client, "areas", [covered("T1", "X1-B2", "01/05/2024")]).status == (
        ImportStatus.APPLIED
    )
    response = client.post(
        reverse("organizations:node_merge", args=["X1-B2"]),
        {"into": world.branch_a.pk, "on": "01/03/2024", "document_number": "QĐ-5"},
    )
    assert response.status_code == 200
    assert "only from 01/05/2024" in response.content.decode()
    assert coverage_of("T1") == [("X1-B2", D(2024, 5, 1), None)]
    world.branch_b.refresh_from_db()
    assert world.branch_b.dissolved_on is None
