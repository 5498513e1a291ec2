import pytest
from django.urls import reverse

from members.enums import MemberStatus
from members.models import Member
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_officer_sees_member_in_subtree(world, as_user):
    member = make_member(world.branch_a, full_name="Nguyễn Văn An")
    response = as_user(world.officer).get(reverse("members:detail", args=[member.member_number]))
    assert response.status_code == 200
    assert "Nguyễn Văn An" in response.content.decode()


def test_outsider_gets_404_for_member(world, as_user):
    member = make_member(world.branch_a)
    response = as_user(world.outsider).get(reverse("members:detail", args=[member.member_number]))
    assert response.status_code == 404


def test_anonymous_is_sent_to_login(world, client):
    member = make_member(world.branch_a)
    response = client.get(reverse("members:detail", args=[member.member_number]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_viewer_cannot_edit(world, as_user):
    member = make_member(world.branch_a, full_name="Lê Thị Hoa")
    response = as_user(world.viewer).post(
        reverse("members:edit", args=[member.member_number]), {"full_name": "X"}
    )
    assert response.status_code == 403
    assert Member.objects.get(pk=member.pk).full_name == "Lê Thị Hoa"


def test_search_ignores_diacritics(world, as_user):
    make_member(world.branch_a, full_name="Nguyễn Văn An")
    make_member(world.branch_b, full_name="Trần Thị Bình")
    response = as_user(world.officer).get(reverse("members:list"), {"q": "nguyen van an"})
    names = [m.full_name for m in response.context["page"]]
    assert names == ["Nguyễn Văn An"]
    assert Member.objects.get(full_name="Nguyễn Văn An").status == MemberStatus.OFFICIAL


def test_member_page_offers_only_the_steps_the_user_may_record(world, as_user):
    member = make_member(world.branch_a)
    page = reverse("members:detail", args=[member.member_number])
    letter = reverse("members:transfer_new", args=[member.member_number])
    exit_page = reverse("members:exit", args=[member.member_number])
    secretary = as_user(world.secretary).get(page).content.decode()
    # A branch records a death but no transfer (branches.competence): no dead link.
    assert letter not in secretary and exit_page in secretary
    assert as_user(world.secretary).get(letter).status_code == 403
    officer = as_user(world.officer).get(page).content.decode()
    assert letter in officer and exit_page in officer


def test_on_a_phone_every_row_of_the_list_names_its_columns(world, as_user):
    """The stacked table shows each cell's column from its data-label."""
    for number in range(3):
        make_member(world.branch_a, member_number=f"L-{number}")
    page = as_user(world.officer).get(reverse("members:list")).content.decode()
    for label in ("Born", "Gender", "Branch", "Member number"):
        assert page.count(f'data-label="{label}"') == 3
