"""Smoke test of the deployed configuration over HTTP (run by .ci/run).

Against gunicorn serving the demo data (seed_demo --scale demo --seed 1) with DEBUG off,
the manifest static storage and the task worker, it signs in as each demo account
through the login form, opens every page of the navigation and the pages linked from
them that a user would open, downloads the documents, has the annual report prepared in
the background, has the province's attendance history exported by the worker and imports
a member file through it. It prints how many pages and files it fetched, and the slowest
requests, and exits non-zero on any server error (5xx), any PDF or workbook
that is not one, any task not finished in time, or any step it could not take.

    python bench/smoke.py http://127.0.0.1:8123 [--task-timeout 180]

gunicorn is reached over loopback as nginx reaches it: each request says it came over
HTTPS (X-Forwarded-Proto, deploy/nginx/partyorg.conf), so the production settings
(secure cookies, HTTPS redirect, CSRF origin checks) stay as they are.
"""

import argparse
import base64
import csv
import io
import re
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import requests
from django_otp.oath import TOTP

PASSWORD = "partyorg-demo-2026"  # demo/management/commands/seed_demo.py
# The demo's accounts in its tree of today (after the 2025 reform): the former district
# officer reads the dissolved district's history.
ROLES = ["admin", "tinh.canbo", "xa.canbo", "xa.xem", "chibo.bithu", "huyen.canbo", "dangvien"]
TWO_FACTOR_USER = "xa.canbo"  # turns on two-factor sign-in, then signs in with it
IMPORT_USER = "xa.canbo"
REPORT_USER = "xa.xem"  # a read-only viewer may have a report prepared
MINUTES_USER = "chibo.bithu"
LARGE_EXPORT_USER = "tinh.canbo"  # the province's attendance history exceeds a request
# The crawl: links followed this many steps from the navigation, at most this many URLs
# of one shape (the same path with other numbers or codes, the same query keys) per role.
DEPTH = 2
PER_SHAPE = 2
SKIPPED_PREFIXES = ("/static/", "/admin/", "/i18n/", "/logout/")
PDF_TYPE = "application/pdf"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TIMEOUT = 90  # seconds a request may take before the smoke calls it failed
SLOWEST_SHOWN = 5


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.assets = [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        elif tag == "link" and attributes.get("rel") == "stylesheet":
            self.assets.append(attributes["href"])
        elif tag == "script" and attributes.get("src"):
            self.assets.append(attributes["src"])


def parse_links(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def shape(url: str) -> tuple:
    """The URL with its numbers and codes left out: /members/12345678/ and
    /members/87654321/ have one shape."""
    parts = urlsplit(url)
    segments = tuple("#" if re.search(r"\d", s) else s for s in parts.path.split("/"))
    return segments, tuple(sorted({key for key, _ in parse_qsl(parts.query)}))


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        raise Failure("no CSRF token in the form")
    return match[1]


class Failure(Exception):
    pass


@dataclass
class Tally:
    pages: int = 0
    files: int = 0
    errors: list[str] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=dict)  # the slowest time per request


class Visitor:
    """One signed-in user with a browser's cookies."""

    def __init__(self, base: str, username: str, tally: Tally, lock: threading.Lock):
        self.base, self.username, self.tally, self.lock = base, username, tally, lock
        self.session = requests.Session()
        self.session.headers["X-Forwarded-Proto"] = "https"
        self.origin = "https://" + urlsplit(base).netloc

    def note(self, kind: str, status: int, error: str | None = None, *, took=0.0, what=""):
        with self.lock:
            self.tally.seconds[what] = max(took, self.tally.seconds.get(what, 0.0))
            self.tally.statuses[status] += 1
            if kind == "page":
                self.tally.pages += 1
            else:
                self.tally.files += 1
            if error:
                self.tally.errors.append(f"{self.username}: {error}")

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        url = urljoin(self.base, path)
        if method == "POST":
            kwargs.setdefault("headers", {})["Origin"] = self.origin
        what = f"{method} {path}"
        started = time.monotonic()
        try:
            response = self.session.request(
                method, url, allow_redirects=False, timeout=TIMEOUT, **kwargs
            )
        except requests.Timeout:
            error = f"{what}: no answer in {TIMEOUT} s"
            self.note("page", 0, error, took=TIMEOUT, what=what)
            raise Failure(error) from None
        took = time.monotonic() - started
        # The production cookies are marked Secure; send them back over loopback, as the
        # browser sends them to nginx over HTTPS.
        for cookie in self.session.cookies:
            cookie.secure = False
        kind = (
            "page" if response.headers.get("Content-Type", "").startswith("text/html") else "file"
        )
        error = None
        if response.status_code >= 500:
            error = f"{what}: {response.status_code}"
        elif response.status_code == 200 and kind == "file":
            error = check_file(path, response)
        self.note(kind, response.status_code, error, took=took, what=what)
        if error:
            raise Failure(error)
        return response

    def get(self, path: str, *, follow: bool = True) -> requests.Response:
        response = self.request("GET", path)
        for _ in range(5):
            if not follow or response.status_code not in {301, 302, 303}:
                break
            path = response.headers["Location"]
            response = self.request("GET", path)
        return response

    def post(self, path: str, data: dict, *, form_page: str, files=None) -> requests.Response:
        """POST as the form on `form_page` does, with its CSRF token."""
        token = csrf_token(self.get(form_page).text)
        return self.request("POST", path, data={"csrfmiddlewaretoken": token, **data}, files=files)

    # -- signing in --------------------------------------------------------------------

    def sign_in(self, code_at=None):
        """The login form; then, for a user with an authenticator, the code page that
        every page sends them to until they enter a code."""
        response = self.post(
            "/login/", {"username": self.username, "password": PASSWORD}, form_page="/login/"
        )
        if response.status_code != 302:
            raise Failure(f"sign-in refused ({response.status_code})")
        home = self.get("/")
        if urlsplit(home.url).path == "/login/verify/":
            if code_at is None:
                raise Failure("two-factor code asked, but the user has no authenticator")
            verify = urlsplit(home.url)
            verify = f"{verify.path}?{verify.query}"
            response = self.post(verify, {"token": code_at(1)}, form_page=verify)
            if response.status_code != 302:
                raise Failure("two-factor code refused")
            home = self.get("/")
        # A member's own account is taken from the home page to its own record.
        if home.status_code != 200 or urlsplit(home.url).path not in ("/", "/me/"):
            raise Failure(f"not signed in (home answered {home.status_code} at {home.url})")

    def turn_on_two_factor(self):
        """The officer's path: scan the secret, confirm a code, sign out, sign in with the
        next code (a code is accepted once)."""
        page = self.get("/account/two-factor/").text
        match = re.search(r"\b([A-Z2-7]{32})\b", page)
        if not match:
            raise Failure("no authenticator secret on the two-factor page")
        totp = TOTP(base64.b32decode(match[1]))

        def code_at(steps_ahead: int) -> str:
            totp.time = time.time() + steps_ahead * totp.step
            return f"{totp.token():06d}"

        response = self.post(
            "/account/two-factor/", {"token": code_at(0)}, form_page="/account/two-factor/"
        )
        if response.status_code != 302:
            raise Failure("the first two-factor code was refused")
        self.post("/logout/", {}, form_page="/")
        self.session.cookies.clear()
        self.sign_in(code_at)

    # -- pages -------------------------------------------------------------------------

    def crawl(self, seen_assets: set[str]):
        """Home, the navigation, and what they link to (DEPTH steps, PER_SHAPE of a
        shape)."""
        home = self.get("/")
        nav = re.search(r'<nav class="mainnav".*?</nav>', home.text, re.S)
        if not nav:
            raise Failure("no navigation on the home page")
        queue = [(link, 0, "the navigation") for link in ["/", *parse_links(nav[0]).links]]
        shapes: Counter = Counter()
        visited: set[str] = set()
        while queue:
            link, depth, source = queue.pop(0)
            if link in visited or shapes[shape(link)] >= PER_SHAPE:
                continue
            visited.add(link)
            shapes[shape(link)] += 1
            try:
                response = self.get(link)
            except Failure:
                continue
            if response.status_code >= 400:
                self.fail(f"the link {link} on {source} answered {response.status_code}")
                continue
            if not response.headers.get("Content-Type", "").startswith("text/html"):
                continue
            found = parse_links(response.text)
            self.fetch_assets(found.assets, seen_assets)
            if depth < DEPTH:
                queue += [
                    (target, depth + 1, link)
                    for href in found.links
                    if (target := self.same_site(response.url, href))
                ]

    def same_site(self, page_url: str, href: str) -> str | None:
        target = urlsplit(urljoin(page_url, href))
        if target.netloc != urlsplit(self.base).netloc or target.path.startswith(SKIPPED_PREFIXES):
            return None
        return target.path + (f"?{target.query}" if target.query else "")

    def fetch_assets(self, assets: list[str], seen: set[str]):
        for asset in assets:
            with self.lock:
                if asset in seen:
                    continue
                seen.add(asset)
            response = self.request("GET", asset)
            if response.status_code != 200 or not re.search(r"\.[0-9a-f]{12}\.", asset):
                self.fail(f"static file {asset}: {response.status_code}, hashed name expected")

    def fail(self, error: str):
        with self.lock:
            self.tally.errors.append(f"{self.username}: {error}")

    def expect_status(self, path: str, status: int, marker: str):
        response = self.request("GET", path)
        if response.status_code != status or marker not in response.text:
            self.fail(f"GET {path}: {response.status_code}, expected the {status} page")

    # -- documents and tasks -----------------------------------------------------------

    def minutes_pdf(self):
        """A meeting of the secretary's branch, and its minutes as a PDF."""
        meetings = self.get(self.nav_link("/meetings/")).text
        meeting = re.search(r'href="(/organizations/[^"]+/meetings/\d+/)"', meetings)
        if not meeting:
            raise Failure("no meeting listed for the secretary's branch")
        page = self.get(meeting[1]).text
        pdf = re.search(r'href="([^"]+/pdf/)"', page)
        if not pdf:
            raise Failure(f"no minutes PDF link on {meeting[1]}")
        self.download(pdf[1], PDF_TYPE)

    def nav_link(self, fragment: str) -> str:
        nav = re.search(r'<nav class="mainnav".*?</nav>', self.get("/").text, re.S)[0]
        return next(link for link in parse_links(nav).links if fragment in link)

    def dashboard(self) -> str:
        response = self.get("/reports/")
        path = urlsplit(response.url).path
        if not re.fullmatch(r"/reports/[^/]+/\d{4}/", path):
            raise Failure(f"/reports/ did not open a dashboard ({path})")
        return path

    def annual_report(self, task_timeout: float):
        """The report's PDF and workbook at once, then prepared by the worker."""
        dashboard = self.dashboard()
        self.download(dashboard + "report.pdf", PDF_TYPE)
        self.download(dashboard + "report.xlsx", XLSX_TYPE)
        code, year = dashboard.strip("/").split("/")[1:]
        for page in (f"/documents/{code}/reports/{year}/", f"/documents/{code}/register/{year}/"):
            if self.get(page).status_code != 200:
                raise Failure(f"the page {page} did not open")
        self.download(f"/documents/{code}/reports/{year}/draft.pdf", PDF_TYPE)
        for fmt, content_type in [("pdf", PDF_TYPE), ("xlsx", XLSX_TYPE)]:
            response = self.post(dashboard + "generate/", {"format": fmt}, form_page=dashboard)
            status_page = response.headers.get("Location", "")
            if response.status_code != 302 or not status_page.startswith("/reports/files/"):
                raise Failure(f"asking for the {fmt} report answered {response.status_code}")
            status, page = self.wait(status_page, r'class="status rs-(\w+)"', task_timeout)
            if status != "done":
                raise Failure(f"the background {fmt} report ended {status}: {page[:300]}")
            self.download(status_page + "download/", content_type)

    def import_members(self, task_timeout: float):
        """The member export with one row changed into a new member, previewed and applied
        by the worker; then the new member's page."""
        export = self.download("/imports/export/members/?format=csv", "text/csv")
        rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
        header, first = rows[0], rows[1]
        number = f"9{int(time.time()) % 10**7:07d}"
        new = dict(zip(header, first, strict=True)) | {
            "Số lý lịch": number,
            "Số thẻ đảng viên": number,
            "Số CCCD": "",
            "Họ và tên": "Nguyễn Văn Kiểm Thử",
        }
        if len(new) != len(header):
            raise Failure(f"the export's columns changed: {header}")
        body = io.StringIO()
        csv.writer(body).writerows([header, *rows[1:], list(new.values())])
        upload = {"file": ("dang-vien.csv", body.getvalue().encode("utf-8"), "text/csv")}
        response = self.post("/imports/", {"kind": "members"}, form_page="/imports/", files=upload)
        batch = response.headers.get("Location", "")
        if response.status_code != 302 or not re.fullmatch(r"/imports/\d+/", batch):
            raise Failure(f"the upload answered {response.status_code}: {response.text[:500]}")
        status, page = self.wait(batch, r'class="status imp-(\w+)"', task_timeout)
        if status != "checked":
            raise Failure(f"the import preview ended {status}: {errors_of(page)}")
        response = self.post(batch + "apply/", {}, form_page=batch)
        status, page = self.wait(batch, r'class="status imp-(\w+)"', task_timeout)
        if status != "applied":
            raise Failure(f"the import ended {status}: {errors_of(page)}")
        if self.get(f"/members/{number}/").status_code != 200:
            raise Failure(f"the imported member {number} has no page")

    def large_export(self, task_timeout: float):
        """The attendance history, offered to the background, written by the worker."""
        offer = self.get("/imports/export/attendance.xlsx")
        if "/imports/export/attendance/prepare/" not in offer.text:
            raise Failure("the province's attendance export was not offered to the background")
        response = self.post(
            "/imports/export/attendance/prepare/", {}, form_page="/imports/export/attendance.xlsx"
        )
        status_page = response.headers.get("Location", "")
        if response.status_code != 302 or not re.fullmatch(r"/imports/exports/\d+/", status_page):
            raise Failure(f"asking for the export answered {response.status_code}")
        status, page = self.wait(status_page, r'class="status exp-(\w+)"', task_timeout)
        if status != "done":
            raise Failure(f"the background export ended {status}: {page[:300]}")
        self.download(status_page + "download/", XLSX_TYPE)

    def wait(self, path: str, status_pattern: str, timeout: float) -> tuple[str, str]:
        """Polls a task's page (which refreshes itself every 2 s) until it has finished."""
        deadline = time.monotonic() + timeout
        while True:
            page = self.get(path).text
            status = re.search(status_pattern, page)
            status = status[1] if status else "?"
            if 'http-equiv="refresh"' not in page:
                return status, page
            if time.monotonic() > deadline:
                raise Failure(f"{path} still {status} after {timeout:.0f} s")
            time.sleep(1)

    def download(self, path: str, content_type: str) -> requests.Response:
        response = self.get(path)
        if response.status_code != 200:
            raise Failure(f"GET {path}: {response.status_code}")
        if not response.headers.get("Content-Type", "").startswith(content_type):
            raise Failure(f"GET {path}: {response.headers.get('Content-Type')}, not {content_type}")
        return response


def errors_of(page: str) -> str:
    cells = re.findall(r"<td>(.*?)</td>", page)
    return "; ".join(cells[:6]) or page[:300]


def check_file(path: str, response: requests.Response) -> str | None:
    content_type = response.headers.get("Content-Type", "")
    body = response.content
    if content_type.startswith(PDF_TYPE) and not (
        body.startswith(b"%PDF-") and b"%%EOF" in body[-64:]
    ):
        return f"GET {path}: not a PDF ({len(body)} bytes)"
    if content_type.startswith(XLSX_TYPE) and not body.startswith(b"PK"):
        return f"GET {path}: not a workbook ({len(body)} bytes)"
    return None


def visit(base: str, username: str, task_timeout: float, tally: Tally, lock, assets) -> None:
    visitor = Visitor(base, username, tally, lock)
    steps = [("sign in", visitor.sign_in)]
    if username == TWO_FACTOR_USER:
        steps.append(("two-factor sign-in", visitor.turn_on_two_factor))
    steps.append(("pages", lambda: visitor.crawl(assets)))
    if username == MINUTES_USER:
        steps.append(("minutes PDF", visitor.minutes_pdf))
    if username == REPORT_USER:
        steps.append(("annual report", lambda: visitor.annual_report(task_timeout)))
    if username == IMPORT_USER:
        steps.append(("import", lambda: visitor.import_members(task_timeout)))
    if username == LARGE_EXPORT_USER:
        steps.append(("large export", lambda: visitor.large_export(task_timeout)))
    if username == "admin":
        steps.append(("error pages", lambda: error_pages(visitor)))
    for name, step in steps:
        try:
            step()
        except (Failure, requests.RequestException) as error:
            visitor.fail(f"{name}: {error}")
            if name == "sign in":
                return


def error_pages(visitor: Visitor):
    visitor.expect_status("/no-such-page/", 404, 'id="error-page"')
    visitor.expect_status("/members/%00/", 400, 'id="error-page"')
    visitor.expect_status("/members/?q=%00", 400, 'id="error-page"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="e.g. http://127.0.0.1:8123")
    parser.add_argument("--task-timeout", type=float, default=180)
    args = parser.parse_args()
    tally, lock, assets = Tally(), threading.Lock(), set()
    started = time.monotonic()
    with ThreadPoolExecutor(len(ROLES)) as pool:
        for future in [
            pool.submit(visit, args.base, name, args.task_timeout, tally, lock, assets)
            for name in ROLES
        ]:
            future.result()
    statuses = ", ".join(f"{code}: {count}" for code, count in sorted(tally.statuses.items()))
    print(
        f"smoke: {tally.pages} pages and {tally.files} files fetched as {len(ROLES)} users "
        f"in {time.monotonic() - started:.0f} s ({statuses}); {len(tally.errors)} errors"
    )
    slowest = sorted(tally.seconds.items(), key=lambda item: -item[1])[:SLOWEST_SHOWN]
    print("slowest requests: " + "; ".join(f"{what} {took:.1f} s" for what, took in slowest))
    for error in tally.errors:
        print(f"  {error}")
    return 1 if tally.errors else 0


if __name__ == "__main__":
    sys.exit(main())
