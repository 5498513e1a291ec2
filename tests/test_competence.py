"""Who decides what (branches.competence): each workflow step is recorded by the level
that decides it, or on its behalf by an officer above, and the record says so."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from admission.enums import Stage, VoteKind
from admission.models import Candidate
from branches.enums import RoleKind
from members.enums import TransferKind
from members.models import Transfer
from tests.factories import make_member, make_user
from tests.factories_admission import make_candidate, make_officials, walk

pytestmark = pytest.mark.django_db

BRANCH, GRASSROOTS, SUPERIOR = 1, 2, 3
# Every step of a candidate file and the level that decides it (DOMAIN.md §11).
ADMISSION_STEPS = {
    "course": BRANCH,
    "introducers": BRANCH,
    "document": BRANCH,
    "verification": BRANCH,
    "branch-vote": BRANCH,
    "grassroots": GRASSROOTS,
    "extension": SUPERIOR,
    "decision": SUPERIOR,
    "ceremony": BRANCH,
    "conversion-vote": BRANCH,
    "conversion": SUPERIOR,
    "removal": BRANCH,
}


@pytest.fixture
def grassroots_officer(world):
    return make_user(world.commune, RoleKind.OFFICER, username="dang-uy-xa")


@pytest.fixture
def candidate(world):
    officials = make_officials(world.branch_a, 3)
    return walk(make_candidate(world.branch_a), Stage.BRANCH_RESOLVED, officials=officials)


@pytest.mark.parametrize(
    ("who", "level"),
    [("secretary", BRANCH), ("grassroots_officer", GRASSROOTS), ("officer", SUPERIOR)],
)
def test_each_level_opens_only_the_steps_it_decides(
    world, candidate, grassroots_officer, client, who, level
):
    user = grassroots_officer if who == "grassroots_officer" else getattr(world, who)
    client.force_login(user)
    for step, decided_at in ADMISSION_STEPS.items():
        url = reverse("admission:step", args=[candidate.pk, step])
        expected = 200 if level >= decided_at else 403
        assert client.get(url).status_code == expected, (who, step)
        if expected == 403:
            assert client.post(url, {"number": "1-NQ", "date": "15/07/2024"}).status_code == 403
    candidate.refresh_from_db()
    assert candidate.stage == Stage.BRANCH_RESOLVED


def test_the_candidate_page_offers_only_the_users_steps(
    world, candidate, grassroots_officer, client
):
    def offered(user):
        client.force_login(user)
        return {name for name, _step in client.get(candidate.get_absolute_url()).context["steps"]}

    assert offered(world.secretary).isdisjoint({"grassroots", "extension"})
    assert "grassroots" in offered(grassroots_officer)
    assert "extension" not in offered(grassroots_officer)
    assert {"grassroots", "extension"} <= offered(world.officer)


def test_a_step_recorded_from_above_is_marked_on_behalf(
    world, candidate, grassroots_officer, client
):
    client.force_login(grassroots_officer)
    url = reverse("admission:step", args=[candidate.pk, "grassroots"])
    assert "record it on its behalf" not in client.get(url).content.decode()
    response = client.post(url, {"number": "12-NQ/ĐU", "date": "15/07/2024"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.stage == Stage.GRASSROOTS_RESOLVED
    own = candidate.history.latest()
    assert own.history_user == grassroots_officer and not own.history_change_reason

    # The district decides; the province officer records it on the district's behalf.
    province_officer = make_user(world.province, RoleKind.OFFICER, username="tinh-uy")
    client.force_login(province_officer)
    url = reverse("admission:step", args=[candidate.pk, "decision"])
    assert "record it on its behalf" in client.get(url).content.decode()
    response = client.post(
        url, {"number": "45-QĐ/HU", "date": "01/08/2024", "issuing_body": world.district.pk}
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.stage == Stage.DECIDED
    marked = candidate.history.latest()
    assert marked.history_change_reason == f"On behalf of {world.district.name}"
    decision = candidate.decisions.get(kind=VoteKind.ADMISSION)
    assert decision.history.latest().history_change_reason == marked.history_change_reason
    page = client.get(candidate.get_absolute_url()).content.decode()
    assert f"On behalf of {world.district.name}" in page


def test_the_decision_is_issued_by_the_committee_above_grassroots(world, candidate, client):
    """The grassroots committee may not sign the admission decision."""
    walk(candidate, Stage.GRASSROOTS_RESOLVED)
    client.force_login(world.officer)
    url = reverse("admission:step", args=[candidate.pk, "decision"])
    issuers = list(client.get(url).context["form"].fields["issuing_body"].queryset)
    assert issuers == [world.district, world.province]
    response = client.post(
        url, {"number": "45-QĐ/ĐU", "date": "01/08/2024", "issuing_body": world.commune.pk}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert Candidate.objects.get(pk=candidate.pk).stage == Stage.GRASSROOTS_RESOLVED


def _letter(client, member, kind, to_branch):
    letter_date = timezone.localdate() - datetime.timedelta(days=3)
    return client.post(
        reverse("members:transfer_new", args=[member.member_number]),
        {
            "kind": kind,
            "to_branch": to_branch.code,
            "letter_number": "7-GGT",
            "letter_date": letter_date.strftime("%d/%m/%Y"),
        },
    )


def test_transfers_are_decided_above_the_branch(world, grassroots_officer, client):
    member = make_member(world.branch_a, full_name="Phan Văn Đức")
    client.force_login(world.secretary)
    assert _letter(client, member, TransferKind.OFFICIAL, world.branch_b).status_code == 403
    assert not Transfer.objects.exists()

    # Inside its grassroots organization, the grassroots committee decides.
    client.force_login(grassroots_officer)
    response = _letter(client, member, TransferKind.OFFICIAL, world.other_branch)
    assert response.status_code == 200
    message = " ".join(response.context["form"].non_field_errors())
    assert world.district.name in message
    assert not Transfer.objects.exists()
    assert _letter(client, member, TransferKind.OFFICIAL, world.branch_b).status_code == 302
    assert Transfer.objects.get().to_branch == world.branch_b


def test_node_forms_are_for_the_committee_above(world, grassroots_officer, client):
    urls = [
        reverse("organizations:node_create", args=[world.commune.code]),
        reverse("organizations:node_move", args=[world.branch_a.code]),
        reverse("organizations:node_merge", args=[world.branch_a.code]),
    ]
    client.force_login(grassroots_officer)
    for url in urls:
        assert client.get(url).status_code == 403, url
    page = client.get(world.commune.get_absolute_url()).content.decode()
    assert urls[0] not in page
    client.force_login(world.officer)
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert urls[0] in client.get(world.commune.get_absolute_url()).content.decode()


def test_a_secretary_records_a_death_but_not_an_expulsion(world, client):
    member = make_member(world.branch_a, full_name="Phan Văn Đức")
    client.force_login(world.secretary)
    url = reverse("members:exit", args=[member.member_number])
    response = client.post(url, {"kind": "expelled", "on": "02/01/2026", "document_number": "1"})
    assert response.status_code == 200 and "kind" in response.context["form"].errors
    assert client.get(reverse("members:readmit", args=[member.member_number])).status_code == 403
    response = client.post(url, {"kind": "deceased", "on": "02/01/2026", "document_number": "2"})
    assert response.status_code == 302
