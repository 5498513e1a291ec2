"""The access matrix: every URL pattern of the project, for every role, on objects inside
and outside the user's subtree.

- anonymous users are sent to the login page;
- a user who cannot see the object gets 404 (reading and writing);
- a read-only viewer gets 403 on every write;
- a user who sees the object and may act on it gets 200 or 302;
- pages without an object (lists, dashboards) never show anything from outside;
- a member's own account gets 404 everywhere but on its own pages (and the home page,
  which sends it to its own).

The URL patterns are read from the resolver, so a new view must be added to URLS below
(and any new URL keyword to KWARGS) or this test fails.
"""

import dataclasses
from collections.abc import Callable

import pytest
import weasyprint
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from branches.enums import RoleKind
from members.accounts import open_account
from tests.factories_security import LAST_YEAR, inside_and_outside

pytestmark = pytest.mark.django_db

SKIPPED_NAMESPACES = {"admin"}
# Open to anyone; the service worker holds no data (tests/test_offline_entries.py).
SKIPPED_NAMES = {"login", "logout", "set_language", "two_factor_verify", "service_worker"}

(
    READ,
    SHEET,
    WRITE,
    POST,
    READER_POST,
    WRITER_GET,
    ACCOUNT,
    MANAGE,
    MANAGE_FORM,
    RESTRUCTURE,
    OFFICERS,
    OWN,
) = (
    "read",
    "sheet",
    "write",
    "post",
    "reader_post",
    "writer_get",
    "account",
    "manage",
    "manage_form",
    "restructure",
    "officers",
    "own",
)


@dataclasses.dataclass(frozen=True)
class Spec:
    """How a URL is reached and who may use it.

    access: READ (GET), SHEET (GET shows an entry sheet anyone may read, POST saves it),
        WRITE (GET shows a form, POST saves: both for writers only), POST (POST only),
        READER_POST (POST only, open to read-only users: asking for a report file),
        WRITER_GET (GET only, for writers: import templates and reports), ACCOUNT (the
        user's own account pages: only the login requirement is checked), MANAGE (for
        officers only: other users' accounts, GET and POST on one, GET on the list),
        MANAGE_FORM (GET and POST, no object: a new account; for officers, and for
        branch secretaries, who open members' own accounts),
        RESTRUCTURE (GET shows a form, POST saves: officers of the subtree whose level
        decides restructuring),
        OFFICERS (a national table officers edit: GET and POST for officers only),
        OWN (GET only: the signed-in member's own page, 404 for an account that is not a
        member's; with an object, 404 for one outside the member's branch).
    code: which node of a side fills <code>: "branch" or "committee".
    pk: which object of a side fills <pk>.
    node_param: the page takes the node as ?node=CODE (this node of the side).
    query: extra query string.
    acts_on: the node a write acts on when it differs from the object's own (a transfer
        is accepted by the receiving branch): a user who sees the object but not this
        node gets 403.
    owned: the object belongs to the user who made it (imports, prepared exports), not to a
        subtree.
    level: the level that decides the write (BRANCH, GRASSROOTS, SUPERIOR below): a
        writer whose node decides below it gets 403 (branches.competence).
    """

    access: str
    code: str = "branch"
    pk: str | None = None
    node_param: str | None = None
    query: str = ""
    acts_on: Callable | None = None
    owned: bool = False
    level: int | None = None


# Who decides what, restated for the test: the level each kind of node decides at.
BRANCH, GRASSROOTS, SUPERIOR = 1, 2, 3
KIND_LEVEL = {
    "branch": BRANCH,
    "grassroots_branch": GRASSROOTS,
    "grassroots_committee": GRASSROOTS,
    "district_committee": SUPERIOR,
    "province_committee": SUPERIOR,
}


# Every URL keyword and what fills it from a side's objects (pk is named per URL).
KWARGS = {
    "code": lambda objs, spec: getattr(objs, spec.code).code,
    "number": lambda objs, spec: objs.member.member_number,
    "pk": lambda objs, spec: getattr(objs, spec.pk).pk,
    "history_id": lambda objs, spec: objs.meeting_history_id,
    "year": lambda objs, spec: LAST_YEAR,
    "month": lambda objs, spec: 3,
    "step": lambda objs, spec: "course",
    "kind": lambda objs, spec: "members",
    "export_kind": lambda objs, spec: "positions",
    "fmt": lambda objs, spec: "xlsx",
    "figure": lambda objs, spec: "women",
}

URLS = {
    "home": Spec(READ),
    "password_change": Spec(ACCOUNT),
    "account_list": Spec(MANAGE),
    "account_password": Spec(MANAGE, pk="account"),
    "account_create": Spec(MANAGE_FORM),
    "account_role": Spec(MANAGE, pk="account"),
    "holidays": Spec(OFFICERS),
    "two_factor_setup": Spec(ACCOUNT),
    "two_factor_disable": Spec(ACCOUNT),
    "reminder_settings": Spec(ACCOUNT),
    "personal:record": Spec(OWN),
    "personal:document": Spec(OWN, pk="notice_file"),
    # branches
    "organizations:tree": Spec(READ),
    "organizations:node_detail": Spec(READ),
    "organizations:node_create": Spec(WRITE, code="committee", level=SUPERIOR),
    "organizations:node_edit": Spec(WRITE),
    "organizations:node_move": Spec(RESTRUCTURE),
    "organizations:node_merge": Spec(RESTRUCTURE),
    "organizations:node_rename": Spec(RESTRUCTURE),
    "organizations:node_dissolve": Spec(RESTRUCTURE, code="committee"),
    "organizations:node_split": Spec(RESTRUCTURE),
    "meetings:list": Spec(READ),
    "meetings:create": Spec(WRITE),
    "meetings:detail": Spec(READ, pk="meeting"),
    "meetings:edit": Spec(WRITE, pk="meeting"),
    "meetings:finalize": Spec(POST, pk="meeting"),
    "meetings:pdf": Spec(READ, pk="meeting"),
    "meetings:version": Spec(READ, pk="meeting"),
    "meetings:notices": Spec(READ),
    "meetings:notice_publish": Spec(WRITE),
    "meetings:notice": Spec(READ, pk="notice"),
    "meetings:notice_edit": Spec(WRITE, pk="notice"),
    "meetings:notice_file": Spec(READ, pk="notice_file"),
    "meetings:notice_withdraw": Spec(POST, pk="notice_file"),
    "record_work:inspections": Spec(READ, code="committee"),
    "record_work:inspection_create": Spec(WRITE, code="committee"),
    # members
    "members:list": Spec(READ),
    "members:create": Spec(WRITE),
    "members:detail": Spec(READ),
    "members:edit": Spec(WRITE),
    "members:exempt": Spec(WRITE, level=BRANCH),
    "members:positions": Spec(SHEET, level=BRANCH),
    "members:end_position": Spec(POST, pk="position", level=BRANCH),
    "members:resume": Spec(WRITE, level=BRANCH),
    "members:exit": Spec(WRITE, level=BRANCH),
    "members:readmit": Spec(WRITE, level=SUPERIOR),
    "members:transfer_new": Spec(WRITE, level=GRASSROOTS),
    "record_work:overview": Spec(READ, node_param="branch"),
    "record_work:transfers": Spec(READ),
    "record_work:transfer_receive": Spec(WRITE),
    "record_work:transfer_detail": Spec(READ, pk="transfer"),
    "record_work:transfer_letter": Spec(READ, pk="transfer"),
    "record_work:transfer_accept": Spec(
        POST, pk="transfer", acts_on=lambda objs: objs.transfer.to_branch
    ),
    "record_work:transfer_reject": Spec(
        POST, pk="transfer", acts_on=lambda objs: objs.transfer.to_branch
    ),
    "record_work:transfer_cancel": Spec(POST, pk="transfer"),
    "record_work:transfer_end": Spec(POST, pk="transfer"),
    "record_work:badges": Spec(READ, node_param="branch"),
    "record_work:badges_print": Spec(READ, node_param="branch"),
    "record_work:badges_award": Spec(POST, node_param="branch"),
    "record_work:evaluation_members": Spec(SHEET, level=BRANCH),
    "record_work:evaluation_organizations": Spec(SHEET, code="committee", level=GRASSROOTS),
    "record_work:dues_sheet": Spec(SHEET),
    "record_work:removal": Spec(READ, node_param="branch"),
    # imports
    "imports:index": Spec(WRITE),
    "imports:template": Spec(WRITER_GET),
    "imports:export_members": Spec(READ, query="format=csv"),
    "imports:export": Spec(WRITER_GET),
    "imports:detail": Spec(WRITER_GET, pk="batch", owned=True),
    "imports:plan_preview": Spec(WRITER_GET, pk="batch", owned=True),
    "imports:apply": Spec(POST, pk="batch", owned=True),
    "imports:retry": Spec(POST, pk="batch", owned=True),
    "imports:cancel": Spec(POST, pk="batch", owned=True),
    "imports:prepare_export": Spec(POST),
    "imports:prepared_export": Spec(READ, pk="export", owned=True),
    "imports:prepared_export_download": Spec(READ, pk="export", owned=True),
    # admission
    "admission:pipeline": Spec(READ, node_param="branch"),
    "admission:targets": Spec(WRITE, node_param="branch"),
    "admission:list": Spec(READ),
    "admission:create": Spec(WRITE),
    "admission:detail": Spec(READ, pk="candidate"),
    "admission:edit": Spec(WRITE, pk="candidate"),
    "admission:branch_resolution": Spec(READ, pk="candidate"),
    "admission:checklist": Spec(READ, pk="candidate"),
    "admission:grassroots_resolution": Spec(READ, pk="converted"),
    "admission:admission_decision": Spec(READ, pk="converted"),
    "admission:conversion_decision": Spec(READ, pk="converted"),
    "admission:delegations": Spec(SHEET, code="superior", level=SUPERIOR),
    "admission:step": Spec(WRITE, pk="candidate", level=BRANCH),
    # audit trail
    "audit:index": Spec(READ),
    # reports
    "reports:index": Spec(READ),
    "reports:dashboard": Spec(READ),
    "reports:report_file": Spec(READ),
    "reports:figure_members": Spec(READ),
    "reports:generate": Spec(READER_POST),
    "reports:file": Spec(READ, pk="report"),
    "reports:file_download": Spec(READ, pk="report"),
    "reports:file_retry": Spec(POST, pk="report"),
    "reports:file_cancel": Spec(POST, pk="report"),
    # papers
    "papers:pdf": Spec(READ, pk="paper"),
    "papers:register": Spec(READ),
    "papers:annual_report": Spec(READ),
    "papers:draft_pdf": Spec(READ),
    "papers:save_assessment": Spec(POST),
    "papers:issue_report": Spec(POST),
    "papers:attendance_sheet": Spec(READ, pk="meeting"),
    "papers:member_record": Spec(READ),
    "papers:number_minutes": Spec(POST, pk="meeting"),
    "papers:document": Spec(SHEET, pk="filed"),
    "papers:scan": Spec(READ, pk="scan"),
    "papers:minutes_pdf": Spec(READ, pk="meeting"),
}


def project_patterns(resolvers=None, namespaces=()):
    """(name, keyword names) of every URL pattern, namespaced, recursively."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from project_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            if entry.name in SKIPPED_NAMES or str(entry.pattern).startswith("static"):
                continue
            name = ":".join((*namespaces, entry.name or "<unnamed>"))
            yield name, sorted(entry.pattern.regex.groupindex)


def test_every_url_pattern_is_in_the_access_table():
    unknown = []
    for name, keywords in project_patterns():
        if name not in URLS:
            unknown.append(f"{name}: add it to URLS in tests/test_access_matrix.py")
        for keyword in keywords:
            if keyword not in KWARGS:
                unknown.append(f"{name}: add the URL keyword <{keyword}> to KWARGS")
            elif keyword == "pk" and name in URLS and URLS[name].pk is None:
                unknown.append(f"{name}: say which object fills <pk> (Spec(pk=...))")
    assert not unknown, "New URL patterns the access matrix does not know:\n" + "\n".join(unknown)
    stale = set(URLS) - {name for name, _ in project_patterns()}
    assert not stale, f"URLS names patterns that no longer exist: {sorted(stale)}"


def url_for(name: str, keywords: list[str], spec: Spec, objs) -> str:
    url = reverse(name, kwargs={k: KWARGS[k](objs, spec) for k in keywords})
    query = [spec.query] if spec.query else []
    if spec.node_param:
        query.append(f"node={getattr(objs, spec.node_param).code}")
    return url + ("?" + "&".join(query) if query else "")


def object_node(spec: Spec, objs):
    """The node whose subtree decides who sees the page's object; None for lists."""
    if spec.node_param:
        return getattr(objs, spec.node_param)
    if spec.pk == "transfer":
        return objs.transfer.member.branch
    if spec.pk in {"report", "paper", "filed", "position"}:
        return getattr(objs, spec.pk).node
    if spec.pk == "scan":
        return objs.scan.document.node
    if spec.pk == "notice_file":
        return objs.notice_file.notice.branch
    if spec.pk == "account":
        return objs.account.party_role.node
    if spec.pk and not spec.owned:
        return getattr(objs, spec.pk).branch
    return None


def in_scope(user, node) -> bool:
    role = getattr(user, "party_role", None)
    return role is not None and node.path.startswith(role.node.path)


def is_member_account(user) -> bool:
    role = getattr(user, "party_role", None)
    return role is not None and role.role == RoleKind.MEMBER


def expected(user, name, keywords, spec, objs) -> tuple[set[int], set[int]]:
    """The allowed status codes for (GET, POST)."""
    ok = {200, 302}
    if spec.access == OWN:
        # With an object: only one of the member's own branch.
        own = hasattr(user, "person") and (
            spec.pk is None or user.person.member.branch == object_node(spec, objs)
        )
        return ({200} if own else {404}), {405}
    if is_member_account(user):
        # Nothing but its own pages: the home page sends it to its own.
        return ({302} if name == "home" else {404}), {404}
    node = object_node(spec, objs)
    if "code" in keywords:
        node = getattr(objs, spec.code)
    elif "number" in keywords:
        node = objs.member.branch
    if spec.owned:
        visible = getattr(objs, spec.pk).user_id == user.pk
    elif node is None:
        visible = True
    else:
        visible = in_scope(user, node)
    if spec.pk == "transfer" and not visible:
        # A transfer is seen by its sending and its receiving side.
        visible = in_scope(user, objs.transfer.to_branch)
    if not visible:
        # The method is checked first: a wrong one answers 405 whoever asks.
        return ({405} if spec.access in {POST, READER_POST} else {404}), (
            {405} if spec.access == WRITER_GET else {404}
        )
    role = getattr(user, "party_role", None)
    if spec.access == OFFICERS:
        allowed = ok if role.role == RoleKind.OFFICER else {403}
        return allowed, allowed
    if spec.access == MANAGE_FORM:
        allowed = ok if role.role in {RoleKind.OFFICER, RoleKind.SECRETARY} else {403}
        return allowed, allowed
    if spec.access == MANAGE:
        allowed = ok if role.role == RoleKind.OFFICER else {403}
        # The list of accounts is read only.
        return allowed, (allowed if spec.pk else {405})
    if spec.access == RESTRUCTURE:
        # Officers only, and restructuring is decided by the committee above (competence).
        may = role.role == RoleKind.OFFICER and KIND_LEVEL[role.node.kind] >= SUPERIOR
        allowed = ok if may else {403}
        return allowed, allowed
    acts = spec.acts_on(objs) if spec.acts_on else node
    may_act = bool(role and role.can_write) and (spec.owned or acts is None or in_scope(user, acts))
    if spec.level and may_act:
        may_act = KIND_LEVEL[role.node.kind] >= spec.level
    if spec.access == READ:
        return ok, set()  # a read page is not posted to
    if spec.access == POST:
        return {405}, (ok if may_act else {403})
    if spec.access == READER_POST:
        return {405}, ok
    if spec.access == WRITER_GET:
        return (ok if may_act else {403}), {405}
    if spec.access == SHEET:
        return ok, (ok if may_act else {403})
    return (ok, ok) if may_act else ({403}, {403})


@pytest.fixture
def sides(world, monkeypatch):
    # Who may see a document is the point here, not its layout: skip the PDF rendering.
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", lambda self, *a, **kw: b"%PDF-1.7")
    inside, outside = inside_and_outside(world)
    # The inside member's own account, opened by the secretary of the branch.
    world.member = open_account(
        member=inside.member,
        username="dang-vien",
        password="a-long-password-1",
        node=inside.branch,
        role=RoleKind.MEMBER,
        started_on=timezone.localdate(),
        by=world.secretary,
    )
    return inside, outside


def patterns():
    return [(name, keywords) for name, keywords in project_patterns() if name in URLS]


def test_anonymous_users_go_to_the_login_page(world, sides, client):
    inside, _outside = sides
    login = reverse("login")
    for name, keywords in patterns():
        url = url_for(name, keywords, URLS[name], inside)
        for response in (client.get(url), client.post(url)):
            if response.status_code == 405:
                continue
            assert response.status_code == 302, (name, url)
            assert response["Location"].startswith(login), (name, url)


ROLES = ["officer", "viewer", "secretary", "other_secretary", "outsider", "member"]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_on_objects_inside_and_outside(world, sides, role):
    user = getattr(world, role)
    client = Client()
    client.force_login(user)
    failures = []
    for side in sides:
        for name, keywords in patterns():
            spec = URLS[name]
            if spec.access == ACCOUNT:
                continue
            url = url_for(name, keywords, spec, side)
            get_ok, post_ok = expected(user, name, keywords, spec, side)
            got = client.get(url).status_code
            if got not in get_ok:
                failures.append(f"GET {url} ({name}): {got}, expected {sorted(get_ok)}")
            if spec.access == READ:
                continue
            got = client.post(url, {}).status_code
            if got not in post_ok:
                failures.append(f"POST {url} ({name}): {got}, expected {sorted(post_ok)}")
    assert not failures, f"{role}:\n" + "\n".join(failures)


@pytest.mark.parametrize("role", [*ROLES, "stranger"])
def test_pages_without_an_object_show_nothing_from_outside(world, sides, role, django_user_model):
    """Lists and dashboards: a user sees only their subtree (a user without a role sees
    nothing at all)."""
    inside = sides[0]
    if role == "stranger":
        user = django_user_model.objects.create_user("stranger", password="x-long-password-1")
    else:
        user = getattr(world, role)
    client = Client()
    client.force_login(user)
    hidden = [
        side.marker for side in sides if role == "stranger" or not in_scope(user, side.branch)
    ]
    assert role == "stranger" or len(hidden) == 1
    for name, keywords in patterns():
        spec = URLS[name]
        if (
            keywords
            or spec.node_param
            or spec.access not in {READ, SHEET, WRITE, WRITER_GET, MANAGE, MANAGE_FORM}
        ):
            continue
        # A list page may send the user on to their own node's page: follow it.
        response = client.get(url_for(name, keywords, spec, inside), follow=True)
        if response.status_code != 200:
            allowed = (
                {403, 404}
                if role in {"stranger", "member"}
                else {403}
                if role == "viewer" or spec.access in {MANAGE, MANAGE_FORM}
                else set()
            )
            assert response.status_code in allowed, (name, response.status_code)
            continue
        content = response.content.decode()
        for marker in hidden:
            assert marker not in content, f"{name} shows {marker!r} to {role}"


def test_account_pages_need_a_login_and_never_fail(world, client):
    for name, _keywords in patterns():
        if URLS[name].access != ACCOUNT:
            continue
        url = reverse(name)
        client.logout()
        assert client.get(url)["Location"].startswith(reverse("login"))
        for user in (world.officer, world.viewer, world.secretary):
            client.force_login(user)
            assert client.get(url).status_code in {200, 403, 405}, (name, user)
            assert client.post(url).status_code in {200, 302, 403}, (name, user)
