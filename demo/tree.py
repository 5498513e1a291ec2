"""Demo organization tree: built in memory with treebeard paths and bulk-inserted."""

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from branches.enums import AreaKind, NodeKind, Sector
from branches.models import (
    NODE_CODE,
    AreaCoverage,
    NodePlacement,
    OrganizationNode,
    ResidentialArea,
    ResidentialAreaYear,
)
from partyorg.bulk import insert


@dataclass(frozen=True)
class TreeScale:
    districts: int
    grassroots_per_district: tuple[int, int]
    committee_share: float  # share of grassroots organizations that are committees
    branches_per_committee: tuple[int, int]


@dataclass(frozen=True)
class Province:
    code: str  # the committee's code; the other provinces' organizations carry it first
    name: str
    place: str
    id_code: str  # the first three digits of the national ID numbers issued there


# The first is the demo's province; the national slice adds the others, each its own root.
PROVINCES = [
    Province("TU", "Thừa Thiên", "Huế", "046"),
    Province("QT", "Quảng Trị", "Đông Hà", "045"),
    Province("QN", "Quảng Ngãi", "Quảng Ngãi", "051"),
    Province("KH", "Khánh Hòa", "Nha Trang", "056"),
    Province("GL", "Gia Lai", "Pleiku", "064"),
    Province("DL", "Đắk Lắk", "Buôn Ma Thuột", "066"),
    Province("LD", "Lâm Đồng", "Đà Lạt", "068"),
]


def code_prefix(province: OrganizationNode) -> str:
    """What the codes of a province's organizations begin with: nothing in the first
    province, so that its codes read as a single province's do ("H01.003")."""
    return "" if province.code == PROVINCES[0].code else f"{province.code}-"


def province_of(path: str) -> Province:
    """The province of the organization at `path` (each province is a root)."""
    return PROVINCES[OrganizationNode._str2int(path[: OrganizationNode.steplen]) - 1]


DISTRICT_NAMES = [
    "Nam Đông",
    "Phú Lộc",
    "Quảng Điền",
    "Phong Điền",
    "Hương Trà",
    "A Lưới",
    "Phú Vang",
    "Hương Thủy",
    "Bình Sơn",
    "Sơn Tịnh",
    "Tư Nghĩa",
    "Mộ Đức",
    "Đức Phổ",
    "Ba Tơ",
]
COMMUNE_NAMES = [
    "Hương Phú",
    "Hương Sơn",
    "Thượng Long",
    "Thượng Quảng",
    "Hương Hữu",
    "Thượng Lộ",
    "Hương Xuân",
    "Khe Tre",
    "Hương Lộc",
    "Thượng Nhật",
    "Lộc Bình",
    "Lộc Trì",
    "Vinh Hưng",
    "Vinh Hiền",
    "Lộc An",
    "Lộc Sơn",
    "Xuân Lộc",
    "Lộc Bổn",
    "Lộc Điền",
    "Lộc Hòa",
]
# The island district, last at every scale: a special zone (đặc khu) since the reform.
ISLAND = "Lý Sơn"
ISLAND_COMMUNES = ["An Vĩnh", "An Hải", "An Bình"]
AGENCY_NAMES = [
    "Cơ quan Ủy ban nhân dân",
    "Công an",
    "Ban Chỉ huy Quân sự",
    "Trung tâm Y tế",
    "Trường THPT",
    "Trường THCS",
    "Công ty Cổ phần Cấp nước",
    "Kho bạc Nhà nước",
    "Chi nhánh Ngân hàng Chính sách xã hội",
    "Trường Tiểu học",
    "Bệnh viện đa khoa",
]
# A district has one of each agency above; its further organizations are the schools of
# its communes ("Trường THCS Hương Phú").
COMMUNE_SCHOOLS = ["Trường THCS", "Trường Tiểu học", "Trường Mầm non"]
AGENCY_SECTORS = {
    "Công an": Sector.ARMED_FORCES,
    "Ban Chỉ huy Quân sự": Sector.ARMED_FORCES,
    "Trường THPT": Sector.SCHOOL,
    **dict.fromkeys(COMMUNE_SCHOOLS, Sector.SCHOOL),
    "Công ty Cổ phần Cấp nước": Sector.ENTERPRISE,
}
# What a province's communes are told apart by once the plain names are used up, as real
# ones are ("Hương Phú Đông").
QUALIFIERS = ["Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ"]


def commune_name(number: int) -> str:
    """The name of a province's commune number `number` (from 0): no two alike, since the
    reform puts every commune of the province under it."""
    base = COMMUNE_NAMES[number % len(COMMUNE_NAMES)]
    round_ = number // len(COMMUNE_NAMES)
    if round_ == 0:
        return base
    lap, qualifier = divmod(round_ - 1, len(QUALIFIERS))
    return f"{base} {QUALIFIERS[qualifier]}" + (f" {lap + 1}" if lap else "")


def agency_name(number: int, district: str, communes: list[str]) -> tuple[str, str]:
    """The kind of agency and the name of a district's agency number `number` (from 0):
    one of each agency of the district, then the schools of its communes."""
    if number < len(AGENCY_NAMES):
        agency = AGENCY_NAMES[number]
        return agency, f"{agency} {district}"
    rest = number - len(AGENCY_NAMES)
    school = COMMUNE_SCHOOLS[rest % len(COMMUNE_SCHOOLS)]
    lap, commune = divmod(rest // len(COMMUNE_SCHOOLS), len(communes))
    return school, f"{school} {communes[commune]}" + (f" {lap + 1}" if lap else "")


def _node(code, name, kind, path, depth, established, sector="", place=""):
    NODE_CODE(code)  # loaded in bulk, around the model's save: the code rule checked here
    return OrganizationNode(
        code=code,
        name=name,
        kind=kind,
        sector=sector,
        path=path,
        depth=depth,
        numchild=0,
        established_on=established,
        place_name=place,
    )


def build_tree(
    rng: random.Random,
    scale: TreeScale,
    established: datetime.date,
    today: datetime.date | None = None,
    provinces: int = 1,
):
    """Create, for each of the first `provinces` of PROVINCES, province → districts (and,
    in the first, the island district) → grassroots organizations → branches, and the
    villages the commune branches cover, with their households from 2021 to `today`'s
    year. Returns the branch-level nodes and the villages."""
    nodes: list[OrganizationNode] = []
    areas: list[tuple[ResidentialArea, int]] = []
    for index, where in enumerate(PROVINCES[:provinces]):
        _province(rng, scale, established, index, where, nodes, areas)
    insert(OrganizationNode, nodes)
    by_path = {n.path: n for n in nodes}
    steplen = OrganizationNode.steplen
    insert(
        NodePlacement,
        [
            NodePlacement(
                node=n, parent=by_path.get(n.path[:-steplen]), path=n.path, valid_from=established
            )
            for n in nodes
        ],
    )
    for area, _ in areas:
        area.branch_id = area.branch.pk  # the branch was saved after the area was made
    insert(ResidentialArea, [a for a, _ in areas])
    insert(
        AreaCoverage,
        [AreaCoverage(area=a, branch_id=a.branch_id, valid_from=established) for a, _ in areas],
    )
    this_year = (today or timezone.localdate()).year
    insert(
        ResidentialAreaYear,
        [
            ResidentialAreaYear(
                area=a,
                year=year,
                households=h + (year - this_year) * 3,
                population=round((h + (year - this_year) * 3) * rng.uniform(3.4, 4.2)),
            )
            for a, h in areas
            for year in range(2021, this_year + 1)
        ],
    )
    return [n for n in nodes if n.is_branch], [a for a, _ in areas]


def _province(rng, scale, established, index, where: Province, nodes, areas):
    path_of = OrganizationNode._get_path
    province = _node(
        where.code,
        f"Đảng bộ tỉnh {where.name}",
        NodeKind.PROVINCE_COMMITTEE,
        path_of(None, 1, index + 1),
        1,
        established,
        place=where.place,
    )
    nodes.append(province)
    own = code_prefix(province)
    first = index * scale.districts  # names go on from the province before
    communes_named = 0
    for d in range(scale.districts + (index == 0)):
        island = d == scale.districts
        district_name = ISLAND if island else DISTRICT_NAMES[(first + d) % len(DISTRICT_NAMES)]
        district = _node(
            f"{own}H{d + 1:02d}",
            f"Đảng bộ huyện {'đảo ' if island else ''}{district_name}",
            NodeKind.DISTRICT_COMMITTEE,
            path_of(province.path, 2, d + 1),
            2,
            established,
            place=district_name,
        )
        province.numchild += 1
        nodes.append(district)
        grassroots = rng.randint(*scale.grassroots_per_district)
        communes = max(1, round(grassroots * 0.45))
        if island:
            grassroots = communes = len(ISLAND_COMMUNES)
        district_communes = []
        for g in range(grassroots):
            code = f"{district.code}.{g + 1:03d}"
            path = path_of(district.path, 3, g + 1)
            district.numchild += 1
            if g < communes:
                if island:
                    commune = ISLAND_COMMUNES[g]
                else:
                    commune = commune_name(communes_named)
                    communes_named += 1
                district_communes.append(commune)
                is_town = g == 0 and not island
                name = f"Đảng bộ {'thị trấn' if is_town else 'xã'} {commune}"
                sector = Sector.COMMUNE
                kind = NodeKind.GRASSROOTS_COMMITTEE
                branch_word = "Chi bộ tổ dân phố" if is_town else "Chi bộ thôn"
            else:
                agency, agency_full = agency_name(g - communes, district_name, district_communes)
                sector = AGENCY_SECTORS.get(agency, Sector.AGENCY)
                big = rng.random() < scale.committee_share
                kind = NodeKind.GRASSROOTS_COMMITTEE if big else NodeKind.GRASSROOTS_BRANCH
                name = f"{'Đảng bộ' if big else 'Chi bộ'} {agency_full}"
                branch_word = "Chi bộ"
                commune = ""
            org = _node(code, name, kind, path, 3, established, sector, place=district_name)
            nodes.append(org)
            if kind == NodeKind.GRASSROOTS_BRANCH:
                continue
            count = rng.randint(*scale.branches_per_committee)
            count = min(count, 4) if island else count
            for b in range(count):
                org.numchild += 1
                label = f"{b + 1}" if sector == Sector.COMMUNE else _unit_name(sector, b)
                branch = _node(
                    f"{code}.{b + 1:02d}",
                    f"{branch_word} {label}",
                    NodeKind.BRANCH,
                    path_of(org.path, 4, b + 1),
                    4,
                    established,
                    place=district_name,
                )
                nodes.append(branch)
                if sector == Sector.COMMUNE:
                    area_kind = (
                        AreaKind.RESIDENTIAL_GROUP if "tổ" in branch_word else AreaKind.VILLAGE
                    )
                    prefix = "Tổ dân phố" if area_kind == AreaKind.RESIDENTIAL_GROUP else "Thôn"
                    areas.append(
                        (
                            ResidentialArea(
                                code=f"{branch.code}.A",
                                name=f"{prefix} {label}, {commune}",
                                kind=area_kind,
                                branch=branch,
                            ),
                            rng.randint(120, 420),
                        )
                    )


_UNITS = {
    Sector.SCHOOL: ["Tổ Tự nhiên", "Tổ Xã hội", "Tổ Văn phòng"],
    Sector.ARMED_FORCES: ["Đội Tham mưu", "Đội Cảnh sát", "Đội An ninh"],
    Sector.ENTERPRISE: ["Phân xưởng", "Phòng Kinh doanh", "Phòng Kỹ thuật"],
}


def _unit_name(sector, index):
    units = _UNITS.get(sector, ["Văn phòng", "Phòng Nghiệp vụ", "Phòng Tổng hợp"])
    unit = units[index % len(units)]
    return unit if index < len(units) else f"{unit} {index // len(units) + 1}"
