"""Who issues a party document, as its heading, number symbol, recipients and signature
block name it (Hướng dẫn 36-HD/VPTW; DOMAIN.md §8).

The issuing body is the committee, not the organization: the district organization
"Đảng bộ huyện Nam Đông" issues as "HUYỆN ỦY NAM ĐÔNG", under the heading of the
organization above it as it stood on the issue day ("ĐẢNG BỘ TỈNH …"), so a commune's
document of 2024 sits under its district and one of 2026 under the province.
Every document template takes these lines from `issuer_lines`.
"""

import copy
import datetime
from dataclasses import dataclass

from branches.enums import BRANCH_KINDS, NodeKind
from branches.models import NodePlacement, OrganizationNode
from branches.names import kind_on, name_on

ORGANIZATION_WORD = "đảng bộ"

# The committee of a province- or district-level organization, by the word that follows
# "Đảng bộ" in its name, with its number symbol.
LEVEL_COMMITTEES = (
    ("tỉnh", "Tỉnh ủy", "TU"),
    ("thành phố", "Thành ủy", "TU"),
    ("huyện", "Huyện ủy", "HU"),
    ("quận", "Quận ủy", "QU"),
    ("thị xã", "Thị ủy", "TU"),
)
LEVEL_KINDS = {NodeKind.PROVINCE_COMMITTEE, NodeKind.DISTRICT_COMMITTEE}
# Committees with a standing committee (Ban Thường vụ) that signs on their behalf.
STANDING_COMMITTEE_KINDS = LEVEL_KINDS | {NodeKind.COMMUNE_COMMITTEE}


@dataclass(frozen=True)
class Issuer:
    """The body that issues, in the words of its documents."""

    name: str  # "Huyện ủy Nam Đông", "Đảng ủy xã Hương Phú", "Chi bộ thôn 1"
    symbol: str  # "HU", "ĐU", "CB"
    signs_for: str  # "T/M BAN THƯỜNG VỤ", "T/M ĐẢNG ỦY", "T/M CHI BỘ"
    recipient: str  # how a lower body addresses it: "Ban Thường vụ Huyện ủy"


@dataclass(frozen=True)
class IssuerLines:
    name: str  # the issuing organization's name, as running text prints it
    parent: str  # upper case, "" at the top of the tree
    issuer: str  # upper case
    # The committee above, as a document addresses it ("Ban Thường vụ Huyện ủy", "Đảng
    # ủy xã Hương Phú"); "" at the top of the tree.
    parent_committee: str
    symbol: str
    signs_for: str
    # "Nơi nhận" lines naming committees, without the office's own copy.
    recipients: tuple[str, ...]
    place: str


def _strip(name: str, word: str) -> str | None:
    """What follows the leading `word` of `name` ("" when nothing does), else None."""
    lowered = name.lower()
    if lowered == word or lowered.startswith(word + " "):
        return name[len(word) :].strip()
    return None


def issuer_of(node: OrganizationNode) -> Issuer:
    name = node.name.strip()
    if node.kind in BRANCH_KINDS or node.kind == NodeKind.PARTY_CELL:
        signs_for = "T/M CHI BỘ" if node.kind in BRANCH_KINDS else "T/M TỔ ĐẢNG"
        return Issuer(name, node.document_issuer_symbol, signs_for, name)
    rest = _strip(name, ORGANIZATION_WORD)
    committee, symbol = name, node.document_issuer_symbol
    # Lower bodies address a province or district committee by its title alone.
    addressed = committee
    if rest is not None:
        committee, symbol = f"Đảng ủy {rest}".strip(), "ĐU"
        addressed = committee
        if node.kind in LEVEL_KINDS:
            for word, title, level_symbol in LEVEL_COMMITTEES:
                if (place := _strip(rest, word)) is not None:
                    committee, symbol, addressed = f"{title} {place}".strip(), level_symbol, title
                    break
    if node.kind in STANDING_COMMITTEE_KINDS:
        return Issuer(committee, symbol, "T/M BAN THƯỜNG VỤ", f"Ban Thường vụ {addressed}")
    return Issuer(committee, symbol, "T/M ĐẢNG ỦY", committee)


def parent_on(node: OrganizationNode, day: datetime.date) -> OrganizationNode | None:
    """The organization directly above `node` on `day` (the tree of that day)."""
    placement = (
        NodePlacement.objects.lasting().on(day).filter(node=node).select_related("parent").first()
    )
    if placement is not None:
        return placement.parent
    return OrganizationNode.objects.get_parent(node)


def as_on(node: OrganizationNode, day: datetime.date) -> OrganizationNode:
    """A copy of `node` bearing the name and kind it had on `day` (a renamed branch's
    minutes of last year print last year's name); one query."""
    then = (
        OrganizationNode.objects.filter(pk=node.pk).values_list(name_on(day), kind_on(day)).first()
    )
    named = copy.copy(node)
    if then is not None:
        named.name, named.kind = then
    return named


def issuer_lines(node: OrganizationNode, day: datetime.date) -> IssuerLines:
    """The heading, symbol, signature line and recipients of a document `node` issues on
    `day`, in the names the bodies had that day."""
    node = as_on(node, day)
    issuer = issuer_of(node)
    parent = parent_on(node, day)
    if parent is not None:
        parent = as_on(parent, day)
    parent_committee = issuer_of(parent).recipient if parent else ""
    recipients = (f"{parent_committee} (để báo cáo)",) if parent else ()
    if node.numchild and node.kind not in BRANCH_KINDS:
        recipients += ("Các cấp ủy, chi bộ trực thuộc",)
    return IssuerLines(
        name=node.name,
        parent=parent.name.upper() if parent else "",
        issuer=issuer.name.upper(),
        parent_committee=parent_committee,
        symbol=issuer.symbol,
        signs_for=issuer.signs_for,
        recipients=recipients,
        place=node.place_name,
    )


def place_of(node: OrganizationNode) -> str:
    """The place a document of `node` is dated at: its own place name, else the nearest
    ancestor's ("" when none has one)."""
    for body in [node, *reversed(OrganizationNode.objects.get_ancestors(node))]:
        if body.place_name:
            return body.place_name
    return ""
