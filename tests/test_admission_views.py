import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from admission import domain
from admission.enums import DocumentCode, Stage
from admission.models import AdmissionTarget, BranchVote, Candidate
from admission.views import board
from tests.factories_admission import WALK, make_candidate, make_officials, walk
from tests.form_data import candidate_form

pytestmark = pytest.mark.django_db
D = datetime.date


def step_url(candidate, step):
    return reverse("admission:step", args=[candidate.pk, step])


def test_officer_sees_candidate_in_subtree(world, as_user, officials):
    candidate = walk(make_candidate(world.branch_a, full_name="Phan Thị Mai"), Stage.VERIFIED)
    response = as_user(world.officer).get(candidate.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Phan Thị Mai" in page
    assert "1-KNĐ" in page


@pytest.mark.parametrize("username", ["outsider", "other_secretary"])
def test_candidate_outside_the_subtree_is_404(world, as_user, username):
    candidate = make_candidate(world.branch_a)
    client = as_user(getattr(world, username))
    assert client.get(candidate.get_absolute_url()).status_code == 404
    assert client.get(step_url(candidate, "course")).status_code == 404
    assert client.post(step_url(candidate, "course"), {}).status_code == 404
    assert client.get(reverse("admission:checklist", args=[candidate.pk])).status_code == 404
    listed = client.get(reverse("admission:list")).context["page"]
    assert candidate not in list(listed)


def test_secretary_of_another_branch_in_subtree_is_404(world, as_user):
    candidate = make_candidate(world.branch_b)
    assert as_user(world.secretary).get(candidate.get_absolute_url()).status_code == 404


def test_viewer_cannot_write(world, as_user):
    candidate = make_candidate(world.branch_a)
    client = as_user(world.viewer)
    assert client.get(candidate.get_absolute_url()).status_code == 200
    response = client.post(
        step_url(candidate, "course"), {"course_date": "01/04/2024", "certificate_number": "X"}
    )
    assert response.status_code == 403
    assert client.get(reverse("admission:create")).status_code == 403
    assert client.post(reverse("admission:targets"), {}).status_code == 403
    candidate.refresh_from_db()
    assert candidate.course_date is None and candidate.stage == Stage.IDENTIFIED


def test_anonymous_goes_to_login(world, client):
    response = client.get(reverse("admission:pipeline"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_step_view_refuses_other_methods(world, as_user):
    candidate = make_candidate(world.branch_a)
    assert as_user(world.officer).put(step_url(candidate, "course")).status_code == 405
    assert as_user(world.officer).get(step_url(candidate, "nonsense")).status_code == 404


def test_secretary_opens_a_file_for_their_branch(world, as_user):
    response = as_user(world.secretary).post(
        reverse("admission:create"),
        candidate_form(full_name="  Võ   Thị Hạnh ", gender="female", branch=world.branch_a.pk),
    )
    candidate = Candidate.objects.get()
    assert response.status_code == 302 and response["Location"] == candidate.get_absolute_url()
    assert candidate.full_name == "Võ Thị Hạnh"
    assert candidate.history.first().history_user == world.secretary


def test_bad_candidate_input_changes_nothing(world, as_user):
    response = as_user(world.secretary).post(
        reverse("admission:create"),
        {
            "full_name": "Già Văn Cả",
            "gender": "male",
            "date_of_birth": "01/01/1950",
            "general_education": "primary",
            "education_exception": "mountain",
            "occupation": "farmer",
            "source": "veterans",
            "branch": world.branch_b.pk,  # not the secretary's branch
            "identified_on": "02/01/2025",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert {"branch", "education_exception_document"} <= set(form.errors)
    assert not Candidate.objects.exists()


def test_over_sixty_without_approval_is_refused_with_a_message(world, as_user):
    response = as_user(world.officer).post(
        reverse("admission:create"),
        candidate_form(
            full_name="Già Văn Cả",
            gender="male",
            date_of_birth="01/01/1960",
            occupation="retired",
            source="veterans",
            branch=world.branch_a.pk,
        ),
    )
    assert response.status_code == 200
    assert "over_age_approval" in response.context["form"].errors
    assert not Candidate.objects.exists()


def test_branch_vote_through_the_form(world, as_user, officials):
    candidate = walk(make_candidate(world.branch_a), Stage.VERIFIED)
    client = as_user(world.secretary)
    bad = client.post(
        step_url(candidate, "branch-vote"),
        {"on": "01/07/2024", "agreeing": "4", "disagreeing": "0"},
    )
    assert bad.status_code == 200 and "agreeing" in bad.context["form"].errors
    assert not BranchVote.objects.exists()
    response = client.post(
        step_url(candidate, "branch-vote"),
        {"on": "01/07/2024", "agreeing": "2", "disagreeing": "1", "resolution_number": "3-NQ/CB"},
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.stage == Stage.BRANCH_RESOLVED


def test_vote_for_a_candidate_under_eighteen_shows_the_rule(world, as_user, officials):
    candidate = walk(make_candidate(world.branch_a, date_of_birth=D(2006, 8, 1)), Stage.VERIFIED)
    response = as_user(world.officer).post(
        step_url(candidate, "branch-vote"),
        {"on": "01/07/2024", "agreeing": "3", "disagreeing": "0"},
    )
    assert response.status_code == 200
    assert "17" in str(response.context["form"].non_field_errors())
    candidate.refresh_from_db()
    assert candidate.stage == Stage.VERIFIED


def test_future_dates_are_refused(world, as_user):
    candidate = make_candidate(world.branch_a)
    response = as_user(world.officer).post(
        step_url(candidate, "course"), {"course_date": "01/01/2099", "certificate_number": "X"}
    )
    assert "course_date" in response.context["form"].errors
    candidate.refresh_from_db()
    assert candidate.course_date is None


def test_branch_resolution_and_checklist_pdfs(world, as_user, officials):
    candidate = walk(make_candidate(world.branch_a, full_name="Đặng Thị Hương"), Stage.DECIDED)
    client = as_user(world.officer)
    for name in ["admission:branch_resolution", "admission:checklist"]:
        response = client.get(reverse(name, args=[candidate.pk]))
        assert response["Content-Type"] == "application/pdf"
        text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
        assert "Đặng Thị Hương" in text
    resolution = client.get(reverse("admission:branch_resolution", args=[candidate.pk]))
    text = PdfReader(io.BytesIO(resolution.content)).pages[0].extract_text()
    assert "NGHỊ QUYẾT" in text and "03-NQ/CB" in text
    flat = " ".join(text.split())
    assert "Chi bộ đề nghị Đảng ủy xã xem xét" in flat, "the committee above, not Đảng bộ"


def test_no_branch_resolution_before_the_vote(world, as_user):
    candidate = make_candidate(world.branch_a)
    url = reverse("admission:branch_resolution", args=[candidate.pk])
    assert as_user(world.officer).get(url).status_code == 404


def test_officer_sets_targets(world, as_user):
    url = f"{reverse('admission:targets')}?node={world.commune.code}&year=2025"
    response = as_user(world.officer).post(url, {"X1": "5", "X1-B1": "2", "X1-B2": ""})
    assert response.status_code == 302
    assert dict(AdmissionTarget.objects.values_list("node__code", "target")) == {
        "X1": 5,
        "X1-B1": 2,
    }
    bad = as_user(world.officer).post(url, {"X1": "-1"})
    assert bad.status_code == 200 and "X1" in bad.context["form"].errors
    assert AdmissionTarget.objects.get(node=world.commune).target == 5


def test_targets_outside_the_subtree_are_404(world, as_user):
    url = f"{reverse('admission:targets')}?node={world.other_district.code}"
    assert as_user(world.officer).get(url).status_code == 404


def _candidates(world, count):
    make_officials(world.branch_a, 3)
    make_officials(world.branch_b, 3)
    stages = [Stage.PROBATION, Stage.INTRODUCED, Stage.DECIDED]
    for index in range(count):
        branch = world.branch_a if index % 2 == 0 else world.branch_b
        walk(make_candidate(branch), stages[index % 3])


def _without_forms(branch):
    """A verified file that holds none of the forms the branch files."""
    candidate = walk(make_candidate(branch), Stage.INTRODUCED)
    return domain.record_verification(candidate, on=WALK["verification"])


@pytest.mark.parametrize("count", [1, 3])
def test_pipeline_query_count(world, as_user, get_page, count):
    _candidates(world, count)
    for _ in range(count):
        _without_forms(world.branch_a)
    client = as_user(world.officer)
    # The late files and the files missing documents are read apart: only the latter
    # with their documents and introducers.
    response = get_page(client, 17, reverse("admission:pipeline"))
    assert sum(n for _, n in response.context["stages"]) == 2 * count
    assert len(response.context["overdue"]) == count // 3 + 1
    assert len(response.context["incomplete"]) == count


def test_pipeline_counts_every_late_file_and_pages_each_list(world, as_user, monkeypatch):
    make_officials(world.branch_a, 3)
    late = [walk(make_candidate(world.branch_a), Stage.DECIDED) for _ in range(3)]
    gaps = sorted((_without_forms(world.branch_a) for _ in range(3)), key=lambda c: c.sort_key)
    monkeypatch.setattr(board, "COLUMN_SIZE", 2)
    client = as_user(world.officer)
    response = client.get(reverse("admission:pipeline"))
    page = response.content.decode()
    assert "3 overdue" in page and "3 files with missing documents" in page
    assert [c for c, _ in response.context["overdue"]] == late[:2]  # same due date: by file
    assert [c for c, _ in response.context["incomplete"]] == gaps[:2]
    assert "overdue_page=2" in page and "missing_page=2" in page
    response = client.get(reverse("admission:pipeline"), {"overdue_page": 2})
    page = response.content.decode()
    assert [c for c, _ in response.context["overdue"]] == late[2:]
    assert late[2].full_name in page and late[0].full_name not in page
    assert [c for c, _ in response.context["incomplete"]] == gaps[:2]
    assert "overdue_page=2&amp;missing_page=2" in page  # the other list keeps its page
    response = client.get(reverse("admission:pipeline"), {"missing_page": "x"})
    assert [c for c, _ in response.context["incomplete"]] == gaps[:2]


def test_pipeline_narrows_to_an_organization_of_the_subtree(world, as_user):
    make_officials(world.branch_a, 3)
    make_officials(world.branch_b, 3)
    here = walk(make_candidate(world.branch_a), Stage.DECIDED)
    there = walk(make_candidate(world.branch_b), Stage.DECIDED)
    client = as_user(world.officer)
    response = client.get(reverse("admission:pipeline"))
    page = response.content.decode()
    assert response.context["children"] == [world.commune]
    assert '<option value="X1">' in page
    assert "2 overdue" in page
    response = client.get(reverse("admission:pipeline"), {"node": world.branch_a.code})
    page = response.content.decode()
    assert [c for c, _ in response.context["overdue"]] == [here]
    assert "1 overdue" in page and there.full_name not in page
    assert response.context["children"] == []
    assert client.get(reverse("admission:pipeline"), {"node": "H2-CB"}).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count(world, as_user, get_page, count):
    _candidates(world, count)
    client = as_user(world.officer)
    response = get_page(client, 13, reverse("admission:list"))
    assert len(response.context["page"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_home_panel_query_count(world, as_user, get_page, count):
    _candidates(world, count)
    client = as_user(world.secretary)
    response = get_page(client, 24, reverse("home"))
    panel = next(p for p in response.context["panels"] if p["template"] == "admission/panel.html")
    assert sum(n for _, n in panel["stages"]) == (count + 1) // 2


def test_detail_query_count(world, as_user, get_page, officials):
    candidate = walk(make_candidate(world.branch_a), Stage.PROBATION)
    client = as_user(world.officer)
    # 15: one query reads the branch's line of committees, to offer only the steps the
    # user's level records.
    response = get_page(client, 15, candidate.get_absolute_url())
    rows = {row["code"]: row for row in response.context["checklist"]}
    assert rows[DocumentCode.DECISION]["document"].number == "45-QĐ/HU"
    assert WALK["ceremony"] in [day for day, _what, _detail in response.context["timeline"]]
