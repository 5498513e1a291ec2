"""A candidate taken from the branch vote to the ceremony by three people, each through
the steps their level decides: the branch secretary, an officer of the grassroots
committee, an officer of the district committee."""

import pytest

from admission.enums import Stage
from admission.models import Candidate
from branches.enums import RoleKind
from members.enums import PositionRole
from members.models import Position
from tests.browser import browser, log_in, page  # noqa: F401
from tests.factories import make_user
from tests.factories_admission import make_candidate, make_officials, walk

pytestmark = pytest.mark.browser


def offered_steps(tab, candidate) -> set[str]:
    tab.goto(f"{tab.base_url}{candidate.get_absolute_url()}")
    hrefs = tab.eval_on_selector_all(".actions a", "links => links.map(a => a.pathname)")
    prefix = f"/admission/candidates/{candidate.pk}/"
    return {h.removeprefix(prefix).strip("/") for h in hrefs if h.startswith(prefix)}


def record(tab, candidate, step, fields, selects=None):
    tab.goto(f"{tab.base_url}{candidate.get_absolute_url()}")
    with tab.expect_navigation():
        tab.click(f".actions a[href$='/{step}/']")
    for name, value in fields.items():
        tab.fill(f"[name={name}]", value)
    for name, value in (selects or {}).items():
        tab.select_option(f"select[name={name}]", value)
    with tab.expect_navigation():
        tab.click("form.form-grid button.primary")
    candidate.refresh_from_db()


def log_out(tab):
    tab.context.clear_cookies()
    tab.context.add_cookies([{"name": "django_language", "value": "vi", "url": tab.base_url}])


def test_each_level_takes_the_candidate_through_its_own_steps(
    transactional_db,
    world,
    page,  # noqa: F811
):
    officials = make_officials(world.branch_a, 3)
    # The branch's secretary signs the resolution the vote issues.
    Position.objects.create(
        member=officials[0],
        role=PositionRole.SECRETARY,
        node=world.branch_a,
        start_date=officials[0].admission_date,
    )
    candidate = walk(make_candidate(world.branch_a), Stage.VERIFIED, officials=officials)
    grassroots_officer = make_user(world.commune, RoleKind.OFFICER, username="dang-uy-xa")
    for user in (world.secretary, grassroots_officer, world.officer):
        user.set_password("correct-horse-battery")
        user.save()
    higher = {"grassroots", "decision", "extension"}

    log_in(page, "secretary")
    steps = offered_steps(page, candidate)
    assert "branch-vote" in steps and not steps & higher
    record(
        page, candidate, "branch-vote", {"on": "01/07/2024", "agreeing": "3", "disagreeing": "0"}
    )
    assert candidate.stage == Stage.BRANCH_RESOLVED
    assert not offered_steps(page, candidate) & higher
    for step in higher:
        response = page.goto(f"{page.base_url}/admission/candidates/{candidate.pk}/{step}/")
        assert response.status == 403, step

    log_out(page)
    log_in(page, "dang-uy-xa")
    steps = offered_steps(page, candidate)
    assert "grassroots" in steps and not steps & {"decision", "extension"}
    record(page, candidate, "grassroots", {"number": "12-NQ/ĐU", "date": "15/07/2024"})
    assert candidate.stage == Stage.GRASSROOTS_RESOLVED
    assert "decision" not in offered_steps(page, candidate)

    log_out(page)
    log_in(page, "officer")
    assert "decision" in offered_steps(page, candidate)
    record(
        page,
        candidate,
        "decision",
        {"number": "45-QĐ/HU", "date": "01/08/2024"},
        {"issuing_body": str(world.district.pk)},
    )
    assert candidate.stage == Stage.DECIDED
    decision = candidate.decisions.get()
    assert decision.issuing_body == world.district

    log_out(page)
    log_in(page, "secretary")
    assert "ceremony" in offered_steps(page, candidate)
    record(page, candidate, "ceremony", {"on": "19/08/2024"})
    assert Candidate.objects.get(pk=candidate.pk).stage == Stage.PROBATION
    history = {
        (row.history_user.username, row.stage)
        for row in candidate.history.filter(history_user__isnull=False)
    }
    assert {
        ("secretary", Stage.BRANCH_RESOLVED),
        ("dang-uy-xa", Stage.GRASSROOTS_RESOLVED),
        ("officer", Stage.DECIDED),
        ("secretary", Stage.PROBATION),
    } <= history
