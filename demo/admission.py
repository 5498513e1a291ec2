"""Demo admission files: candidates at every stage (some late, some with missing papers),
files for the members admitted recently, and targets for last year and this year."""

import datetime
import random
from collections import Counter

from faker import Faker

from admission import kept_deadlines
from admission.domain import two_thirds_agree
from admission.enums import (
    STAGE_ORDER,
    DocumentCode,
    IntroducerKind,
    SourceOrganization,
    Stage,
    VoteKind,
)
from admission.models import (
    AdmissionDecision,
    AdmissionTarget,
    BranchVote,
    Candidate,
    DossierDocument,
    GrassrootsResolution,
    Introducer,
)
from admission.rules import rule_on
from branches.competence import Step, deciding_body
from branches.enums import COMMITTEE_KINDS, GRASSROOTS_KINDS
from branches.models import OrganizationNode
from demo.members import decision_number
from members.enums import (
    Ethnicity,
    EventKind,
    Gender,
    GeneralEducation,
    MemberStatus,
    Occupation,
)
from members.models import PERSONAL_FIELDS, StatusEvent
from partyorg.bulk import insert

# Organizations given a yearly admission target.
TARGET_KINDS = COMMITTEE_KINDS | GRASSROOTS_KINDS
# Stages a new demo candidate may be at, with weights: more files early in the pipeline.
NEW_STAGES = {
    Stage.IDENTIFIED: 4,
    Stage.TRAINED: 4,
    Stage.INTRODUCED: 4,
    Stage.VERIFIED: 3,
    Stage.BRANCH_RESOLVED: 3,
    Stage.GRASSROOTS_RESOLVED: 2,
    Stage.DECIDED: 2,
}
FILED_FORMS = [
    DocumentCode.APPLICATION,
    DocumentCode.PERSONAL_HISTORY,
    DocumentCode.INTRODUCTION,
    DocumentCode.COMMENTS_SUMMARY,
    DocumentCode.RESIDENCE_WORKPLACE_COMMENTS,
]
SOURCES = {
    SourceOrganization.YOUTH_UNION: 40,
    SourceOrganization.WOMENS_UNION: 12,
    SourceOrganization.FARMERS: 10,
    SourceOrganization.VETERANS: 4,
    SourceOrganization.DEMOBILIZED: 10,
    SourceOrganization.SCHOOL: 12,
    SourceOrganization.HEALTH: 6,
    SourceOrganization.ENTERPRISE: 6,
}


def _before(rng, day, low, high):
    return day - datetime.timedelta(days=rng.randint(low, high))


class _Files:
    """Rows of the demo files, collected in memory and inserted in bulk."""

    def __init__(self, rng, nodes_by_pk, officials_by_branch):
        self.rng = rng
        self.nodes_by_pk = nodes_by_pk
        self.officials = officials_by_branch
        self.bodies = {}
        self.candidates, self.after_insert = [], []

    def body(self, step, branch_id):
        """The organization that decides `step` for the branch in the tree of the day
        (branches.competence): the district committee before the reform, the
        commune-level committee since."""
        if (step, branch_id) not in self.bodies:
            self.bodies[(step, branch_id)] = deciding_body(step, self.nodes_by_pk[branch_id])
        return self.bodies[(step, branch_id)]

    def add(self, candidate, steps: dict, *, skip_forms=()):
        """Queue a file; `steps` maps step names to dates."""
        candidate.refresh_name_keys()
        self.candidates.append(candidate)
        self.after_insert.append((candidate, steps, set(skip_forms)))

    def rows(self):
        rng = self.rng
        documents, introducers, votes, resolutions, decisions = [], [], [], [], []
        for candidate, steps, skip in self.after_insert:

            def document(code, day, number="", candidate=candidate, skip=skip):
                if code not in skip:
                    documents.append(
                        DossierDocument(candidate=candidate, code=code, number=number, date=day)
                    )

            if "course" in steps:
                certificate = candidate.course_certificate
                document(DocumentCode.COURSE_CERTIFICATE, steps["course"], certificate)
            if "introducers" in steps:
                pool = self.officials.get(candidate.branch_id, [])
                for member in rng.sample(pool, min(2, len(pool))):
                    introducers.append(
                        Introducer(
                            candidate=candidate,
                            kind=IntroducerKind.MEMBER,
                            member=member,
                            working_with_since=_before(rng, steps["introducers"], 400, 1500),
                            assigned_on=steps["introducers"],
                        )
                    )
                filed_by = steps.get("verification", steps["introducers"])
                for code in FILED_FORMS:
                    document(code, _before(rng, filed_by, 0, 15))
            if "verification" in steps:
                slip = f"XM-{rng.randint(1, 99)}"
                document(DocumentCode.VERIFICATION, steps["verification"], slip)
            if "vote" in steps:
                official = max(3, len(self.officials.get(candidate.branch_id, [])))
                agreeing = official - rng.randint(0, official // 4)
                number = f"{rng.randint(1, 30):02d}-NQ/CB"
                votes.append(
                    BranchVote(
                        candidate=candidate,
                        kind=VoteKind.ADMISSION,
                        date=steps["vote"],
                        resolution_number=number,
                        official_members=official,
                        agreeing=agreeing,
                        disagreeing=official - agreeing - rng.randint(0, 1) * (agreeing < official),
                        passed=two_thirds_agree(agreeing, official),
                        rule_version=rule_on(steps["vote"]).version,
                    )
                )
                document(DocumentCode.BRANCH_RESOLUTION, steps["vote"], number)
            if "grassroots" in steps:
                number = f"{rng.randint(1, 200)}-NQ/ĐU"
                resolutions.append(
                    GrassrootsResolution(
                        candidate=candidate,
                        number=number,
                        date=steps["grassroots"],
                        node=self.body(Step.ADMISSION_RESOLUTION, candidate.branch_id),
                    )
                )
                document(DocumentCode.GRASSROOTS_RESOLUTION, steps["grassroots"], number)
            if "decision" in steps:
                number = steps.get("decision_number") or decision_number(rng, steps["decision"])
                decisions.append(
                    AdmissionDecision(
                        candidate=candidate,
                        number=number,
                        date=steps["decision"],
                        issuing_body=self.body(Step.ADMISSION_DECISION, candidate.branch_id),
                    )
                )
                document(DocumentCode.DECISION, steps["decision"], number)
        return documents, introducers, votes, resolutions, decisions


def _new_candidate(rng, fake, branch, today, stage, files: _Files):
    """A candidate who has reached `stage`, with step dates counted back from today.
    The last step's date is spread so that some files run past their deadline."""
    female = rng.random() < 0.45
    age = int(rng.triangular(19, 45, 24))
    born = today - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
    reached = STAGE_ORDER.index(stage)
    names = ["course", "introducers", "verification", "vote", "grassroots", "decision"]
    done = names[:reached]
    steps, day = {}, today - datetime.timedelta(days=rng.randint(3, 120))
    for name in reversed(done):
        steps[name] = day
        day = _before(rng, day, 12, 40)
    identified = _before(rng, day, 20, 200)
    candidate = Candidate(
        full_name=f"{fake.last_name()} {'Thị' if female else 'Văn'} "
        f"{fake.first_name_female() if female else fake.first_name_male()}",
        gender=Gender.FEMALE if female else Gender.MALE,
        date_of_birth=born,
        ethnicity=Ethnicity.KINH if rng.random() > 0.08 else Ethnicity.CO_TU,
        general_education=GeneralEducation.UPPER_SECONDARY
        if rng.random() > 0.15
        else GeneralEducation.LOWER_SECONDARY,
        occupation=rng.choice([Occupation.FARMER, Occupation.TEACHER, Occupation.WORKER]),
        source=rng.choices(list(SOURCES), weights=list(SOURCES.values()))[0],
        hometown=branch.place_name,
        residence=branch.place_name,
        branch=branch,
        identified_on=identified,
        stage=stage,
        course_date=steps.get("course"),
        course_certificate=f"{rng.randint(1, 900)}/CN-TTCT" if "course" in steps else "",
        verified_on=steps.get("verification"),
    )
    skip = rng.sample(FILED_FORMS, rng.randint(1, 2)) if rng.random() < 0.3 else []
    files.add(candidate, steps, skip_forms=skip)


def _file_for_member(rng, member, files: _Files, decision_number: str):
    """The admission file behind a member admitted recently, at probation or official."""
    decision = member.admission_decision_date
    steps = {
        "decision": decision,
        "grassroots": _before(rng, decision, 10, 25),
    }
    steps["vote"] = _before(rng, steps["grassroots"], 10, 30)
    steps["verification"] = _before(rng, steps["vote"], 10, 30)
    steps["introducers"] = _before(rng, steps["verification"], 20, 40)
    steps["course"] = _before(rng, steps["introducers"], 20, 60)
    steps["decision_number"] = decision_number
    official = member.status == MemberStatus.OFFICIAL and member.official_date
    candidate = Candidate(
        **{field: getattr(member, field) for field in PERSONAL_FIELDS},
        source=rng.choices(list(SOURCES), weights=list(SOURCES.values()))[0],
        branch=member.branch,
        identified_on=_before(rng, steps["course"], 30, 200),
        stage=Stage.OFFICIAL if official else Stage.PROBATION,
        course_date=steps["course"],
        course_certificate=f"{rng.randint(1, 900)}/CN-TTCT",
        verified_on=steps["verification"],
        ceremony_date=member.admission_date,
        member=member,
        official_date=member.official_date if official else None,
    )
    files.add(candidate, steps)


def build_admissions(
    rng: random.Random,
    fake: Faker,
    members,
    today: datetime.date,
    *,
    decided: tuple[datetime.date, datetime.date],
    target_years: range,
    candidates: bool,
):
    """Admission files in the tree as it stands: those behind the members admitted from
    `decided[0]` to the day before `decided[1]`, the targets of `target_years`, and with
    `candidates` the files in progress today. Returns the number of files."""
    nodes_by_pk = {node.pk: node for node in OrganizationNode.objects.all()}
    officials = {}
    for member in members:
        if member.status == MemberStatus.OFFICIAL:
            officials.setdefault(member.branch_id, []).append(member)
    files = _Files(rng, nodes_by_pk, officials)
    first, last = decided
    admitted = [m for m in members if first <= m.admission_decision_date < last]
    admitted_numbers = dict(_admission_numbers([m.pk for m in admitted]))
    for member in admitted:
        if member.status in {MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL}:
            _file_for_member(rng, member, files, admitted_numbers.get(member.pk, ""))
    branches = [n for n in nodes_by_pk.values() if n.is_branch and n.is_active]
    for branch in sorted(branches, key=lambda n: n.path) if candidates else []:
        for _ in range(rng.choices([0, 1, 2, 3], weights=[35, 35, 20, 10])[0]):
            stage = rng.choices(list(NEW_STAGES), weights=list(NEW_STAGES.values()))[0]
            _new_candidate(rng, fake, branch, today, stage, files)
    insert(Candidate, files.candidates)
    documents, introducers, votes, resolutions, decisions = files.rows()
    insert(DossierDocument, documents)
    insert(Introducer, introducers)
    insert(BranchVote, votes)
    insert(GrassrootsResolution, resolutions)
    insert(AdmissionDecision, decisions)
    insert(AdmissionTarget, list(_targets(rng, members, nodes_by_pk, target_years)))
    kept_deadlines.keep(Candidate.objects.all())  # COPY sends no signal
    return len(files.candidates)


def _admission_numbers(member_ids):
    return StatusEvent.objects.filter(
        member_id__in=member_ids, kind=EventKind.ADMITTED
    ).values_list("member_id", "document_number")


def _targets(rng, members, nodes_by_pk, years):
    """Targets of the committees and grassroots organizations standing now for `years`,
    near what they admitted the year before, so some meet the plan and some fall short."""
    steplen = OrganizationNode.steplen
    admitted = Counter()
    for member in members:
        path = nodes_by_pk[member.branch_id].path
        for length in range(steplen, len(path) + 1, steplen):
            admitted[(path[:length], member.admission_decision_date.year)] += 1
    for node in sorted(nodes_by_pk.values(), key=lambda n: n.path):
        if node.is_branch or not node.is_active or node.kind not in TARGET_KINDS:
            continue
        for year in years:
            done = admitted[(node.path, year - 1)]
            planned = max(1, round(done * rng.uniform(0.85, 1.25)))
            yield AdmissionTarget(node=node, year=year, target=planned)
