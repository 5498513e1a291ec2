import datetime

import pytest
from django.core.exceptions import ValidationError

from admission import domain
from admission.enums import DocumentCode, IntroducerKind, Stage, VoteKind
from admission.models import BranchVote, Candidate, DossierDocument, Introducer
from admission.queries import (
    CHECKED_STAGES,
    admitted_against_target,
    attention,
    candidates_for,
    incomplete_files,
    missing_documents,
    with_checklist,
)
from members.enums import EventKind, MemberStatus, PositionRole
from members.models import Position
from tests.factories import make_member, transfer
from tests.factories_admission import (
    WALK,
    file_conversion_dossier,
    make_candidate,
    make_officials,
    walk,
)

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def signing_officials(officials):
    """The officials, the first holding the secretary post that signs the resolutions the
    app issues (without one, issuing asks who signs)."""
    Position.objects.create(
        member=officials[0],
        role=PositionRole.SECRETARY,
        node=officials[0].branch,
        start_date=D(2015, 1, 1),
    )
    return officials


def test_ceremony_creates_the_probationary_member(world, officials):
    candidate = walk(make_candidate(world.branch_a, full_name="Hồ Thị Lan"), Stage.PROBATION)
    member = candidate.member
    assert member.full_name == "Hồ Thị Lan"
    assert member.status == MemberStatus.PROBATIONARY
    assert member.branch == world.branch_a
    assert member.admission_decision_date == WALK["decision"]
    assert member.admission_date == WALK["ceremony"]
    admitted = member.events.get(kind=EventKind.ADMITTED)
    assert admitted.document_number == "45-QĐ/HU"
    assert member.memberships.get().start_date == WALK["ceremony"]
    codes = set(candidate.documents.values_list("code", flat=True))
    assert {DocumentCode.BRANCH_RESOLUTION, DocumentCode.DECISION} <= codes


def test_conversion_takes_effect_exactly_twelve_months_after_the_ceremony(world, officials):
    candidate = file_conversion_dossier(walk(make_candidate(world.branch_a), Stage.PROBATION))
    domain.record_conversion_vote(
        candidate, on=D(2025, 9, 30), agreeing=3, disagreeing=0, resolution_number="9-NQ/CB"
    )
    # The decision is signed late, months after probation ended.
    domain.convert_member(
        candidate,
        number="88-QĐ/HU",
        date=D(2025, 12, 1),
        issuing_body=world.district,
    )
    candidate.refresh_from_db()
    member = candidate.member
    member.refresh_from_db()
    assert candidate.stage == Stage.OFFICIAL
    assert candidate.official_date == D(2025, 8, 19)
    assert member.status == MemberStatus.OFFICIAL
    assert member.official_date == D(2025, 8, 19)
    converted = member.events.get(kind=EventKind.CONVERTED)
    assert (converted.date, converted.document_number) == (D(2025, 8, 19), "88-QĐ/HU")


def test_conversion_vote_before_twelve_months_is_refused(world, signing_officials):
    candidate = file_conversion_dossier(walk(make_candidate(world.branch_a), Stage.PROBATION))
    with pytest.raises(ValidationError):
        domain.record_conversion_vote(
            candidate, on=D(2025, 8, 18), agreeing=3, disagreeing=0, by=world.officer
        )
    assert not candidate.votes.filter(kind=VoteKind.CONVERSION).exists()
    domain.record_conversion_vote(
        candidate, on=D(2025, 8, 19), agreeing=3, disagreeing=0, by=world.officer
    )
    assert candidate.stage == Stage.CONVERSION_VOTED


def test_conversion_vote_needs_the_conversion_dossier_and_names_what_is_missing(
    world, signing_officials
):
    candidate = walk(make_candidate(world.branch_a), Stage.PROBATION)
    domain.check_document(candidate, code=DocumentCode.SELF_REVIEW, date=D(2025, 8, 5))
    with pytest.raises(ValidationError) as error:
        domain.record_conversion_vote(
            candidate, on=D(2025, 8, 19), agreeing=3, disagreeing=0, by=world.officer
        )
    message = " ".join(error.value.messages)
    for code in [
        DocumentCode.HELPERS_COMMENTS,
        DocumentCode.BRANCH_COMMENTS,
        DocumentCode.MASS_ORGANIZATION_COMMENTS,
    ]:
        assert str(code.label) in message
    assert str(DocumentCode.SELF_REVIEW.label) not in message
    candidate.refresh_from_db()
    assert candidate.stage == Stage.PROBATION
    assert not candidate.votes.filter(kind=VoteKind.CONVERSION).exists()
    file_conversion_dossier(candidate)
    domain.record_conversion_vote(
        candidate, on=D(2025, 8, 19), agreeing=3, disagreeing=0, by=world.officer
    )
    assert candidate.stage == Stage.CONVERSION_VOTED


def test_probationary_member_counts_from_29_february():
    from admission.deadlines import probation_end

    assert probation_end(D(2024, 2, 29)) == D(2025, 2, 28)


def test_branch_vote_at_the_two_thirds_edge(world, signing_officials):
    passing = walk(make_candidate(world.branch_a), Stage.VERIFIED)
    vote = domain.record_branch_vote(
        passing, on=WALK["vote"], agreeing=2, disagreeing=1, by=world.officer
    )
    assert (vote.official_members, vote.passed, passing.stage) == (3, True, Stage.BRANCH_RESOLVED)
    failing = walk(make_candidate(world.branch_a), Stage.VERIFIED)
    vote = domain.record_branch_vote(
        failing, on=WALK["vote"], agreeing=1, disagreeing=2, by=world.officer
    )
    assert (vote.passed, failing.stage) == (False, Stage.VERIFIED)
    assert not failing.documents.filter(code=DocumentCode.BRANCH_RESOLUTION).exists()


def test_official_members_counted_from_dated_memberships(world, officials):
    # Joined after the vote date: not counted. Probationary on the vote date: not counted.
    make_member(world.branch_a, joined_branch_on=D(2024, 9, 1))
    make_member(
        world.branch_a,
        admission_decision_date=D(2024, 1, 2),
        admission_date=D(2024, 1, 15),
        official_date=None,
    )
    moved = make_member(world.branch_a, joined_branch_on=D(2016, 1, 1))
    transfer(moved, world.branch_b, D(2024, 6, 1), letter="CS-1")
    assert domain.official_members_on(world.branch_a, WALK["vote"]) == 3
    assert domain.official_members_on(world.branch_a, D(2024, 5, 31)) == 4


def test_votes_above_the_membership_change_nothing(world, officials):
    candidate = walk(make_candidate(world.branch_a), Stage.VERIFIED)
    with pytest.raises(ValidationError) as error:
        domain.record_branch_vote(candidate, on=WALK["vote"], agreeing=3, disagreeing=1)
    assert "agreeing" in error.value.message_dict
    assert not BranchVote.objects.exists()
    candidate.refresh_from_db()
    assert candidate.stage == Stage.VERIFIED


def test_vote_refused_while_documents_are_missing(world, officials):
    candidate = walk(make_candidate(world.branch_a), Stage.INTRODUCED)
    domain.record_verification(candidate, on=WALK["verification"])
    with pytest.raises(ValidationError) as error:
        domain.record_branch_vote(candidate, on=WALK["vote"], agreeing=3, disagreeing=0)
    assert "1-KNĐ" in str(error.value)
    assert not BranchVote.objects.exists()


def test_expired_course_certificate_blocks_the_vote(world, officials):
    candidate = make_candidate(world.branch_a, identified_on=D(2018, 1, 1))
    domain.record_course(candidate, course_date=D(2019, 3, 1), certificate_number="CN-OLD")
    walk(candidate, Stage.VERIFIED)
    with pytest.raises(ValidationError) as error:
        domain.record_branch_vote(candidate, on=WALK["vote"], agreeing=3, disagreeing=0)
    assert "course_date" in error.value.message_dict


def test_introducers_must_be_official_for_a_year(world):
    recent = make_officials(world.branch_a, 1, since=D(2024, 1, 1))[0]
    senior = make_officials(world.branch_a, 1)[0]
    candidate = walk(make_candidate(world.branch_a), Stage.TRAINED, officials=[senior])
    pair = [
        Introducer(kind=IntroducerKind.MEMBER, member=senior, working_with_since=D(2022, 1, 1)),
        Introducer(kind=IntroducerKind.MEMBER, member=recent, working_with_since=D(2022, 1, 1)),
    ]
    with pytest.raises(ValidationError, match="at least one year"):
        domain.assign_introducers(candidate, on=WALK["introducers"], introducers=pair)
    assert not Introducer.objects.exists()


def test_youth_union_introduces_only_a_candidate_under_30(world):
    senior = make_officials(world.branch_a, 1)[0]
    youth = Introducer(
        kind=IntroducerKind.YOUTH_UNION, name="BCH Đoàn xã", working_with_since=D(2022, 1, 1)
    )
    member = Introducer(kind=IntroducerKind.MEMBER, member=senior, working_with_since=D(2022, 1, 1))
    young = walk(make_candidate(world.branch_a), Stage.TRAINED)
    domain.assign_introducers(young, on=WALK["introducers"], introducers=[member, youth])
    assert young.stage == Stage.INTRODUCED
    # With a Youth Union introducer, 4-KNĐ is needed before the vote.
    held = set(young.documents.values_list("code", flat=True))
    assert DocumentCode.YOUTH_UNION_INTRODUCTION in domain.missing_before_vote(young, held)
    older = walk(make_candidate(world.branch_a, date_of_birth=D(1980, 1, 1)), Stage.TRAINED)
    youth.pk = member.pk = None
    with pytest.raises(ValidationError, match="under 30"):
        domain.assign_introducers(older, on=WALK["introducers"], introducers=[member, youth])


def test_identification_refuses_primary_education_without_exception(world):
    with pytest.raises(ValidationError) as error:
        make_candidate(world.branch_a, general_education="primary")
    assert "education_exception" in error.value.message_dict
    assert not Candidate.objects.exists()


def test_removal_proposal_for_a_member_who_does_not_qualify(world, officials):
    candidate = file_conversion_dossier(walk(make_candidate(world.branch_a), Stage.PROBATION))
    vote = domain.record_conversion_vote(
        candidate, on=D(2025, 9, 1), agreeing=1, disagreeing=2, by=world.officer
    )
    assert not vote.passed and candidate.stage == Stage.PROBATION
    domain.propose_removal(
        candidate, on=D(2025, 9, 1), reason="Không đủ tư cách", document_number="10-NQ/CB"
    )
    assert candidate.stage == Stage.REMOVAL_PROPOSED
    candidate.member.refresh_from_db()
    assert candidate.member.status == MemberStatus.PROBATIONARY


def test_decision_deadline_extension_once(world, officials):
    candidate = walk(make_candidate(world.branch_a), Stage.BRANCH_RESOLVED)
    domain.extend_decision_deadline(candidate, on=D(2024, 9, 2), reason="Chờ thẩm tra bổ sung")
    with pytest.raises(ValidationError):
        domain.extend_decision_deadline(candidate, on=D(2024, 9, 3), reason="Lần hai")
    candidate.refresh_from_db()
    assert candidate.decision_extension_reason == "Chờ thẩm tra bổ sung"


def test_attention_lists_overdue_and_missing(world, officials):
    late = walk(make_candidate(world.branch_a, full_name="Muộn Văn Trễ"), Stage.DECIDED)
    incomplete = walk(make_candidate(world.branch_a, full_name="Thiếu Thị Giấy"), Stage.INTRODUCED)
    domain.record_verification(incomplete, on=WALK["verification"])
    early = walk(make_candidate(world.branch_a), Stage.INTRODUCED)
    found = attention(candidates_for(world.officer), D(2025, 1, 10))
    # 30 working days from the decision of 01/08/2024, past 2 and 3 September (Quốc khánh
    # 2024 was given two days).
    assert [(c.pk, d.due) for c, d in found.overdue] == [(late.pk, D(2024, 9, 16))]
    assert list(incomplete_files(candidates_for(world.officer))) == [incomplete]
    assert DocumentCode.APPLICATION in missing_documents(incomplete)
    assert early not in incomplete_files(Candidate.objects.all())


def _youth_introducers(candidate, officials, *, youth=True):
    member = Introducer(
        kind=IntroducerKind.MEMBER, member=officials[0], working_with_since=D(2022, 1, 1)
    )
    other = (
        Introducer(
            kind=IntroducerKind.YOUTH_UNION, name="BCH Đoàn xã", working_with_since=D(2022, 1, 1)
        )
        if youth
        else Introducer(
            kind=IntroducerKind.MEMBER, member=officials[1], working_with_since=D(2022, 1, 1)
        )
    )
    domain.assign_introducers(candidate, on=WALK["verification"], introducers=[member, other])


def test_incomplete_files_follow_the_checklist_rule(world, officials):
    """The SQL that counts a province's incomplete files finds exactly the checked open
    files for which missing_documents() names a form."""
    complete = walk(make_candidate(world.branch_a), Stage.VERIFIED)
    no_youth_letter = walk(make_candidate(world.branch_a), Stage.VERIFIED)
    _youth_introducers(no_youth_letter, officials)
    youth_letter = walk(make_candidate(world.branch_a), Stage.VERIFIED)
    _youth_introducers(youth_letter, officials)
    domain.check_document(
        youth_letter, code=DocumentCode.YOUTH_UNION_INTRODUCTION, date=WALK["documents"]
    )
    youth_replaced = walk(make_candidate(world.branch_a), Stage.VERIFIED)
    _youth_introducers(youth_replaced, officials)
    _youth_introducers(youth_replaced, officials, youth=False)
    without_forms = walk(make_candidate(world.branch_a), Stage.INTRODUCED)
    domain.record_verification(without_forms, on=WALK["verification"])
    without_decision = walk(make_candidate(world.branch_a), Stage.DECIDED)
    DossierDocument.objects.filter(candidate=without_decision, code=DocumentCode.DECISION).delete()
    not_yet_checked = walk(make_candidate(world.branch_a), Stage.INTRODUCED)
    on_probation = walk(make_candidate(world.branch_a), Stage.PROBATION)
    candidates = candidates_for(world.officer)
    by_rule = {
        candidate
        for candidate in with_checklist(candidates.filter(stage__in=CHECKED_STAGES))
        if missing_documents(candidate)
    }
    assert by_rule == {no_youth_letter, without_forms, without_decision}
    assert set(incomplete_files(candidates)) == by_rule
    assert missing_documents(not_yet_checked)
    assert {complete, youth_letter, youth_replaced, on_probation}.isdisjoint(by_rule)


def test_admitted_against_target_for_node_and_children(world, officials):
    make_member(world.branch_a, admission_decision_date=D(2024, 3, 1), admission_date=D(2024, 3, 9))
    make_member(world.branch_b, admission_decision_date=D(2024, 5, 1), admission_date=D(2024, 5, 9))
    domain.set_target(world.commune, year=2024, target=4)
    domain.set_target(world.branch_a, year=2024, target=1)
    rows = {row.node.code: row for row in admitted_against_target(world.commune, 2024)}
    assert (rows["X1"].admitted, rows["X1"].target, rows["X1"].percent) == (2, 4, 50.0)
    assert (rows["X1-B1"].admitted, rows["X1-B1"].percent) == (1, 100.0)
    assert (rows["X1-B2"].admitted, rows["X1-B2"].target) == (1, None)


def test_document_check_corrects_the_row_and_keeps_history(world, officials, django_user_model):
    candidate = walk(make_candidate(world.branch_a), Stage.INTRODUCED)
    domain.check_document(
        candidate, code=DocumentCode.APPLICATION, number="A", date=D(2024, 5, 1), by=world.officer
    )
    domain.check_document(
        candidate, code=DocumentCode.APPLICATION, number="B", date=D(2024, 5, 2), by=world.officer
    )
    document = DossierDocument.objects.get(candidate=candidate, code=DocumentCode.APPLICATION)
    assert document.number == "B" and document.checked_by == world.officer
    assert document.history.count() == 2
    assert document.history.first().history_user == world.officer
