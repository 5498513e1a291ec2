"""The demo's organizations are told apart by name at every scale: a district scale has
more communes than the list of names and more agencies than the list of agencies, and the
reform puts every commune of a province under the province."""

from demo.tree import COMMUNE_NAMES, agency_name, commune_name

# A province-scale district has about 45 communes and 55 agencies; a province, 400 communes.
PROVINCE_COMMUNES = 1000


def test_no_two_communes_of_a_province_share_a_name():
    names = [commune_name(number) for number in range(PROVINCE_COMMUNES)]
    assert len(set(names)) == len(names)
    assert names[: len(COMMUNE_NAMES)] == COMMUNE_NAMES
    assert names[len(COMMUNE_NAMES)] == f"{COMMUNE_NAMES[0]} Đông"


def test_no_two_agencies_of_a_district_share_a_name():
    communes = [commune_name(number) for number in range(45)]
    named = [agency_name(number, "Nam Đông", communes) for number in range(200)]
    names = [name for _agency, name in named]
    assert len(set(names)) == len(names)
    assert named[0] == ("Cơ quan Ủy ban nhân dân", "Cơ quan Ủy ban nhân dân Nam Đông")
    assert ("Trường THCS", f"Trường THCS {communes[0]}") in named
