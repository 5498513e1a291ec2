"""Two people saving the same record at the same moment, from the same version, through
the pages they use: real PostgreSQL connections, one thread each, released together.

Every round must end with one save and one refusal that names who saved and when
("changed by NAME at HH:MM" or "already recorded by NAME at HH:MM"), the saved change in
the database, the refused person's input still on their screen, no lost update (both told
"saved") and no error page. The counts are printed for each kind of record.
"""

import datetime
import re
import threading
from dataclasses import dataclass, field

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from admission.models import Candidate
from branches.enums import NodeKind, RoleKind
from branchwork.enums import EvaluationLevel, MeetingKind
from branchwork.models import Dues, Evaluation, Meeting
from members.enums import Occupation
from members.models import Member
from tests.factories import form_data, make_member, make_node, make_user, sheet_data
from tests.factories_admission import make_candidate
from tests.factories_meetings import minutes_data, record

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL connections"
    ),
]

ROUNDS = 20
DAY = datetime.date(2025, 3, 10)
EVALUATION_YEAR = 2024  # under 124-QĐ/TW: a level per member, no score
LEVELS = [EvaluationLevel.GOOD, EvaluationLevel.COMPLETED, EvaluationLevel.NOT_COMPLETED]


@pytest.fixture
def people(world):
    """Two officers of the district, each with a browser of their own."""
    colleague = make_user(
        world.district, RoleKind.OFFICER, username="lan", first_name="Lan", last_name="Trần Thị"
    )
    first, second = Client(), Client()
    first.force_login(world.officer)
    second.force_login(colleague)
    return [(first, "officer"), (second, "Trần Thị Lan")]


def post_together(posts):
    """Post each (client, url, data) from a thread of its own, with its own database
    connection, all released at the same moment. Returns each response, or the exception
    the view raised (a server error)."""
    barrier = threading.Barrier(len(posts))
    results = [None] * len(posts)

    def run(index, client, url, data):
        try:
            barrier.wait()
            results[index] = client.post(url, data)
        except Exception as error:  # a server error: what is counted
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, *post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@dataclass
class Tally:
    """What the rounds of one kind of record ended with."""

    kind: str
    rounds: int = 0
    one_saved: int = 0
    lost_updates: int = 0
    server_errors: int = 0
    other: list = field(default_factory=list)

    def round(self, responses, names, *, holds, kept):
        """Count one round. `holds[i]`: the database holds poster i's change alone;
        `kept(response, i)`: the refused page still shows what poster i typed."""
        self.rounds += 1
        if any(isinstance(r, Exception) or r.status_code >= 500 for r in responses):
            self.server_errors += 1
            self.other.append([r if isinstance(r, Exception) else r.status_code for r in responses])
            return
        saved = [i for i, r in enumerate(responses) if r.status_code == 302]
        if len(saved) == len(responses):
            self.lost_updates += 1
            return
        if len(saved) != 1:
            self.other.append(("saved", saved, [r.status_code for r in responses]))
            return
        winner = saved[0]
        loser = 1 - winner
        refusal = responses[loser]
        page = refusal.content.decode()
        saver = re.escape(names[winner])
        named = re.search(rf"(?i:changed|recorded) by {saver} at \d\d:\d\d", page)
        if not named:
            self.other.append(("no name", self.rounds, _errors(refusal)))
        elif not holds[winner]:
            self.other.append(("winner's change missing", self.rounds))
        elif not kept(refusal, loser):
            self.other.append(("input lost on screen", self.rounds))
        else:
            self.one_saved += 1

    def check(self):
        with_print = (
            f"\n{self.kind}: {self.rounds} rounds, {self.lost_updates} lost updates, "
            f"{self.server_errors} server errors, {self.one_saved} saved once and refused once "
            f"with the saver's name"
        )
        print(with_print)
        assert (self.lost_updates, self.server_errors, self.other) == (0, 0, []), with_print
        assert self.one_saved == self.rounds, with_print


def _errors(response):
    context = response.context
    if context is None:
        return response.status_code
    if "form" in context:
        return context["form"].errors
    return context.get("problems")


def only_change(stored, changes, i) -> bool:
    """The record holds poster i's change (a field and its new value) and not the other's."""
    (name, value), (other_name, other_value) = changes[i], changes[1 - i]
    return getattr(stored, name) == value and getattr(stored, other_name) != other_value


def form_shows(changes):
    """kept() for a one-record form: the refused form is still bound to poster i's value."""
    return lambda response, i: response.context["form"][changes[i][0]].value() == changes[i][1]


def test_member_record(world, people):
    member = make_member(world.branch_a)
    url = reverse("members:edit", args=[member.member_number])
    tally = Tally("member record")
    for n in range(ROUNDS):
        changes = [("residence", f"Thôn {n}"), ("hometown", f"Quê {n}")]
        posts = []
        for (client, _name), (name, value) in zip(people, changes, strict=True):
            data = form_data(client.get(url).context["form"])
            posts.append((client, url, data | {name: value}))
        responses = post_together(posts)
        stored = Member.objects.get(pk=member.pk)
        tally.round(
            responses,
            [name for _client, name in people],
            holds=[only_change(stored, changes, i) for i in (0, 1)],
            kept=form_shows(changes),
        )
    tally.check()


def test_meeting_minutes(world, people):
    members = [make_member(world.branch_a), make_member(world.branch_a)]
    meeting = record(world.branch_a, DAY, topic="Chủ đề", conclusion="Kết luận")
    url = reverse("meetings:edit", args=[world.branch_a.code, meeting.pk])
    tally = Tally("meeting minutes")
    for n in range(ROUNDS):
        current = Meeting.objects.get(pk=meeting.pk)
        changes = [("conclusion", f"Kết luận {n}"), ("topic", f"Chủ đề {n}")]
        posts = []
        for (client, _name), (name, value) in zip(people, changes, strict=True):
            version = client.get(url).context["form"]["version"].value()
            data = minutes_data(
                members,
                date=DAY,
                topic=current.topic,
                conclusion=current.conclusion,
                version=version,
            )
            posts.append((client, url, data | {name: value}))
        responses = post_together(posts)
        stored = Meeting.objects.get(pk=meeting.pk)
        tally.round(
            responses,
            [name for _client, name in people],
            holds=[only_change(stored, changes, i) for i in (0, 1)],
            kept=form_shows(changes),
        )
    tally.check()


def test_candidate_file(world, people):
    candidate = make_candidate(world.branch_a)
    url = reverse("admission:edit", args=[candidate.pk])
    tally = Tally("candidate file")
    for n in range(ROUNDS):
        changes = [("residence", f"Thôn {n}"), ("hometown", f"Quê {n}")]
        posts = []
        for (client, _name), (name, value) in zip(people, changes, strict=True):
            data = form_data(client.get(url).context["form"])
            posts.append((client, url, data | {name: value}))
        responses = post_together(posts)
        stored = Candidate.objects.get(pk=candidate.pk)
        tally.round(
            responses,
            [name for _client, name in people],
            holds=[only_change(stored, changes, i) for i in (0, 1)],
            kept=form_shows(changes),
        )
    tally.check()


def row_shows(prefix, name, values):
    """kept() for a sheet: the row `prefix` of the refused sheet still holds poster i's
    value of `name`."""

    def kept(response, i):
        forms = [line["form"] for line in response.context["lines"]]
        row = next(form for form in forms if form.prefix == prefix)
        return str(row[name].value()) == str(values[i])

    return kept


def test_evaluation_row(world, people):
    members = [make_member(world.branch_a), make_member(world.branch_a)]
    url = reverse("record_work:evaluation_members", args=[world.branch_a.code, EVALUATION_YEAR])
    first_client = people[0][0]
    data = sheet_data(first_client.get(url))
    data |= {f"r{m.pk}-level": EvaluationLevel.GOOD for m in members}
    assert first_client.post(url, data).status_code == 302
    prefix = f"r{members[0].pk}"
    tally = Tally("evaluation row")
    for _ in range(ROUNDS):
        now = LEVELS.index(Evaluation.objects.get(member=members[0]).level)
        levels = [LEVELS[(now + 1) % 3], LEVELS[(now + 2) % 3]]
        posts = [
            (client, url, sheet_data(client.get(url)) | {f"{prefix}-level": level})
            for (client, _name), level in zip(people, levels, strict=True)
        ]
        responses = post_together(posts)
        stored = Evaluation.objects.get(member=members[0]).level
        tally.round(
            responses,
            [name for _client, name in people],
            holds=[stored == level for level in levels],
            kept=row_shows(prefix, "level", levels),
        )
    tally.check()


def _dues_branch(world):
    branch = make_node(world.commune, NodeKind.BRANCH)
    return branch, make_member(branch, occupation=Occupation.STUDENT)


def test_dues_row(world, people):
    branch, member = _dues_branch(world)
    today = timezone.localdate()
    url = reverse("record_work:dues_sheet", args=[branch.code, today.year, today.month])
    first_client = people[0][0]
    assert first_client.post(url, sheet_data(first_client.get(url))).status_code == 302
    prefix = f"m{member.pk}"
    tally = Tally("dues row")
    for n in range(ROUNDS):
        extras = [1000 * n + 100, 1000 * n + 200]
        posts = [
            (client, url, sheet_data(client.get(url)) | {f"{prefix}-extra": extra})
            for (client, _name), extra in zip(people, extras, strict=True)
        ]
        responses = post_together(posts)
        stored = Dues.objects.get(member=member).extra
        tally.round(
            responses,
            [name for _client, name in people],
            holds=[stored == extra for extra in extras],
            kept=row_shows(prefix, "extra", extras),
        )
    tally.check()


def test_first_evaluation_of_a_year(world, people):
    tally = Tally("first evaluation of a year")
    levels = [EvaluationLevel.GOOD, EvaluationLevel.COMPLETED]
    for _ in range(ROUNDS):
        branch = make_node(world.commune, NodeKind.BRANCH)
        member = make_member(branch)
        url = reverse("record_work:evaluation_members", args=[branch.code, EVALUATION_YEAR])
        prefix = f"r{member.pk}"
        posts = [
            (client, url, sheet_data(client.get(url)) | {f"{prefix}-level": level})
            for (client, _name), level in zip(people, levels, strict=True)
        ]
        responses = post_together(posts)
        stored = [e.level for e in Evaluation.objects.filter(member=member)]
        tally.round(
            responses,
            [name for _client, name in people],
            holds=[stored == [level] for level in levels],
            kept=row_shows(prefix, "level", levels),
        )
    tally.check()


def test_first_dues_of_a_month(world, people):
    tally = Tally("first dues of a month")
    today = timezone.localdate()
    extras = [1000, 2000]
    for _ in range(ROUNDS):
        branch, member = _dues_branch(world)
        url = reverse("record_work:dues_sheet", args=[branch.code, today.year, today.month])
        prefix = f"m{member.pk}"
        posts = [
            (client, url, sheet_data(client.get(url)) | {f"{prefix}-extra": extra})
            for (client, _name), extra in zip(people, extras, strict=True)
        ]
        responses = post_together(posts)
        stored = [d.extra for d in Dues.objects.filter(member=member)]
        tally.round(
            responses,
            [name for _client, name in people],
            holds=[stored == [extra] for extra in extras],
            kept=row_shows(prefix, "extra", extras),
        )
    tally.check()


def test_first_regular_minutes_of_a_month(world, people):
    tally = Tally("first regular minutes of a month")
    conclusions = ["Kết luận thứ nhất", "Kết luận thứ hai"]
    for _ in range(ROUNDS):
        branch = make_node(world.commune, NodeKind.BRANCH)
        members = [make_member(branch)]
        url = reverse("meetings:create", args=[branch.code])
        data = minutes_data(members, date=DAY, kind=MeetingKind.REGULAR)
        posts = [
            (client, url, data | {"conclusion": conclusion})
            for (client, _name), conclusion in zip(people, conclusions, strict=True)
        ]
        responses = post_together(posts)
        stored = [m.conclusion for m in Meeting.objects.filter(branch=branch)]
        tally.round(
            responses,
            [name for _client, name in people],
            holds=[stored == [conclusion] for conclusion in conclusions],
            kept=form_shows([("conclusion", c) for c in conclusions]),
        )
    tally.check()
