"""Issuer lines (Hướng dẫn 36-HD/VPTW): the committee issues, under the organization above
it on the issue day; recipients and signature lines name committees."""

import datetime

import pytest

from branches import domain as tree
from branches.enums import NodeKind
from branches.issuers import issuer_lines, issuer_of
from branches.models import OrganizationNode
from tests.factories import make_node

pytestmark = pytest.mark.django_db

D = datetime.date


def node(kind, name):
    return OrganizationNode(kind=kind, name=name, code="X")


@pytest.mark.parametrize(
    ("kind", "name", "issuer", "symbol", "signs_for", "recipient"),
    [
        (NodeKind.PROVINCE_COMMITTEE, "Đảng bộ tỉnh Thừa Thiên", "Tỉnh ủy Thừa Thiên", "TU",
         "T/M BAN THƯỜNG VỤ", "Ban Thường vụ Tỉnh ủy"),
        (NodeKind.DISTRICT_COMMITTEE, "Đảng bộ huyện Nam Đông", "Huyện ủy Nam Đông", "HU",
         "T/M BAN THƯỜNG VỤ", "Ban Thường vụ Huyện ủy"),
        (NodeKind.DISTRICT_COMMITTEE, "Đảng bộ quận Hải Châu", "Quận ủy Hải Châu", "QU",
         "T/M BAN THƯỜNG VỤ", "Ban Thường vụ Quận ủy"),
        (NodeKind.COMMUNE_COMMITTEE, "Đảng bộ đặc khu Phú Quốc", "Đảng ủy đặc khu Phú Quốc",
         "ĐU", "T/M BAN THƯỜNG VỤ", "Ban Thường vụ Đảng ủy đặc khu Phú Quốc"),
        (NodeKind.GRASSROOTS_COMMITTEE, "Đảng bộ xã Hương Phú", "Đảng ủy xã Hương Phú", "ĐU",
         "T/M ĐẢNG ỦY", "Đảng ủy xã Hương Phú"),
        (NodeKind.BRANCH, "Chi bộ thôn 1", "Chi bộ thôn 1", "CB", "T/M CHI BỘ",
         "Chi bộ thôn 1"),
    ],
)  # fmt: skip
def test_the_committee_issues(kind, name, issuer, symbol, signs_for, recipient):
    found = issuer_of(node(kind, name))
    assert (found.name, found.symbol, found.signs_for, found.recipient) == (
        issuer,
        symbol,
        signs_for,
        recipient,
    )


def test_heading_names_the_parent_of_the_issue_day():
    """A commune under its district until 30/6/2025 and under the province after the
    reform prints the organization above it on the day it issues."""
    province = make_node(name="Đảng bộ tỉnh Thừa Thiên", code="P")
    district = make_node(province, NodeKind.DISTRICT_COMMITTEE, "Đảng bộ huyện Nam Đông")
    commune = make_node(district, NodeKind.GRASSROOTS_COMMITTEE, "Đảng bộ xã Hương Phú")
    make_node(commune, NodeKind.BRANCH, "Chi bộ thôn 1")
    tree.move_node(commune, new_parent=province, on=D(2025, 7, 1))

    before = issuer_lines(commune, D(2025, 6, 15))
    assert (before.parent, before.issuer) == ("ĐẢNG BỘ HUYỆN NAM ĐÔNG", "ĐẢNG ỦY XÃ HƯƠNG PHÚ")
    assert before.recipients == (
        "Ban Thường vụ Huyện ủy (để báo cáo)",
        "Các cấp ủy, chi bộ trực thuộc",
    )
    after = issuer_lines(commune, D(2025, 7, 2))
    assert after.parent == "ĐẢNG BỘ TỈNH THỪA THIÊN"
    assert after.recipients[0] == "Ban Thường vụ Tỉnh ủy (để báo cáo)"

    top = issuer_lines(province, D(2025, 7, 2))
    assert (top.parent, top.issuer, top.symbol) == ("", "TỈNH ỦY THỪA THIÊN", "TU")


def test_minutes_and_branch_resolution_name_the_committee_above(world, as_user):
    """The 6-KNĐ proposes to the committee above ("Đảng ủy xã"), not to the organization."""
    lines = issuer_lines(world.branch_a, D(2025, 3, 1))
    assert (lines.parent, lines.issuer, lines.symbol) == ("ĐẢNG BỘ XÃ", "CHI BỘ THÔN 1", "CB")
    assert lines.parent_committee == "Đảng ủy xã"
    assert lines.signs_for == "T/M CHI BỘ"
