"""Property-based tests: no input to the import readers, a whole import or the main forms
gives a server error; each ends in a form error, a row error or a success."""

import contextlib
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from members.enums import Gender
from members.resources import MemberResource
from partyorg.imports import columns
from partyorg.imports.files import FileProblem, TextCSV
from partyorg.validators import NATIONAL_ID
from tests.factories import make_member
from tests.factories_imports import MEMBER_HEADERS, member_row, xlsx_bytes
from tests.factories_meetings import minutes_data
from tests.form_data import candidate_form, member_form

pytestmark = pytest.mark.django_db

FAST = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

TRICKY = [
    "",
    " ",
    "0",
    "-1",
    "1e309",
    "NaN",
    "31/02/2020",
    "00/00/0000",
    "2020-13-01",
    "29/02/1900",
    "01/01/0001",
    "99999999999999999999999",
    "²³",
    "١٢/٠٣/٢٠٢٠",
    "<script>alert(1)</script>",
    "'; DROP TABLE members_member; --",
    '=HYPERLINK("http://x")',
    "\x00",
    "Nguyễn\u0301 Văn",
    "\u202e",
]
cell = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.datetimes(),
    st.text(max_size=60),
    st.sampled_from(TRICKY),
)
text_value = st.one_of(
    st.text(max_size=80),
    st.sampled_from(TRICKY),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.integers().map(str),
)


def widgets():
    resource = MemberResource()
    return [field.widget for field in resource.get_import_fields()] + [
        columns.TextWidget(max_length=20, validator=NATIONAL_ID),
        columns.DateWidget(required=True),
        columns.IntegerWidget(required=True, minimum=1, maximum=100),
        columns.ChoiceWidget(Gender, {"male": "Nam", "female": "Nữ"}),
    ]


@FAST
@given(value=cell, index=st.integers(min_value=0, max_value=1000))
def test_every_column_reader_returns_a_value_or_a_row_error(value, index):
    available = widgets()
    widget = available[index % len(available)]
    with contextlib.suppress(ValueError):
        widget.clean(value)


@FAST
@given(
    rows=st.lists(st.lists(st.one_of(st.text(max_size=20), st.sampled_from(TRICKY))), max_size=8)
)
def test_csv_reader_reads_or_refuses_the_file(rows):
    text = "\n".join(",".join(f'"{c.replace(chr(34), "")}"' for c in row) for row in rows)
    with contextlib.suppress(FileProblem):
        TextCSV().create_dataset(text.encode("utf-8"))


@pytest.fixture
def officer_client(world):
    client = Client()
    client.force_login(world.officer)
    return client


@FAST
@given(
    cells=st.lists(
        st.dictionaries(st.sampled_from(MEMBER_HEADERS), cell, max_size=6), min_size=1, max_size=4
    ),
    as_csv=st.booleans(),
)
def test_a_whole_import_with_random_cells_never_fails(world, officer_client, cells, as_csv):
    rows = []
    for number, changes in enumerate(cells):
        row = member_row(str(20000000 + number))
        row.update(changes)
        rows.append(row)
    if as_csv:
        lines = [",".join(MEMBER_HEADERS)] + [
            ",".join(
                '"' + str(r.get(h) if r.get(h) is not None else "").replace('"', "") + '"'
                for h in MEMBER_HEADERS
            )
            for r in rows
        ]
        content, name = "\n".join(lines).encode("utf-8", "replace"), "dang-vien.csv"
    else:
        # A worksheet cannot hold control characters: Excel never writes them.
        for row in rows:
            for header, value in row.items():
                if isinstance(value, str):
                    row[header] = ILLEGAL_CHARACTERS_RE.sub("", value)
        content, name = xlsx_bytes(rows, headers=MEMBER_HEADERS), "dang-vien.xlsx"
    response = officer_client.post(
        reverse("imports:index"), {"kind": "members", "file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code in {200, 302}
    if response.status_code == 302:
        batch_url = response["Location"]
        assert officer_client.get(batch_url).status_code == 200
        apply = batch_url + "apply/"
        assert officer_client.post(apply).status_code == 302


def mutated(base: dict, changes: dict) -> dict:
    return {**base, **changes}


def answered(response, data: dict) -> bool:
    """A form page, a redirect after saving, or (for a NUL character, which no one types)
    the 400 page of partyorg.middleware.RejectNullCharactersMiddleware."""
    if any("\x00" in str(value) for value in data.values()):
        return response.status_code == 400
    return response.status_code in {200, 302}


MEMBER = member_form(
    official_date="15/02/2011", national_id="", joined_branch_on="", admission_document=""
)


@FAST
@given(changes=st.dictionaries(st.sampled_from([*MEMBER, "branch"]), text_value, max_size=6))
def test_member_form_never_fails(world, officer_client, changes):
    data = mutated({**MEMBER, "branch": str(world.branch_a.pk)}, changes)
    response = officer_client.post(reverse("members:create"), data)
    assert answered(response, data)


NODE = {
    "code": "X1-B9",
    "name": "Chi bộ thôn 9",
    "kind": "branch",
    "sector": "",
    "place_name": "",
    "established_on": "01/01/2020",
}


@FAST
@given(changes=st.dictionaries(st.sampled_from(list(NODE)), text_value, max_size=4))
def test_node_form_never_fails(world, officer_client, changes):
    data = mutated(NODE, changes)
    response = officer_client.post(
        reverse("organizations:node_create", args=[world.commune.code]), data
    )
    assert answered(response, data)


CANDIDATE = candidate_form(
    gender="female", national_id="", education_exception="", over_age_approval=""
)


@FAST
@given(changes=st.dictionaries(st.sampled_from([*CANDIDATE, "branch"]), text_value, max_size=5))
def test_candidate_form_never_fails(world, officer_client, changes):
    data = mutated({**CANDIDATE, "branch": str(world.branch_a.pk)}, changes)
    response = officer_client.post(reverse("admission:create"), data)
    assert answered(response, data)


@pytest.fixture
def roll(world):
    return [make_member(world.branch_a, full_name=f"Trương Văn {i}") for i in range(3)]


MINUTES_FIELDS = [
    "date",
    "kind",
    "start_time",
    "end_time",
    "topic",
    "chair",
    "minute_taker",
    "dues_collected",
    "conclusion",
    "with_thematic_part",
    "guest-TOTAL_FORMS",
    "guest-0-name",
    "guest-0-title",
    "guest-0-person",
]


@FAST
@given(data=st.data())
def test_minutes_form_never_fails(world, officer_client, roll, data):
    day = datetime.date(2025, 2, 12)
    names = MINUTES_FIELDS + [f"att_{m.pk}" for m in roll] + [f"why_{m.pk}" for m in roll]
    changes = data.draw(st.dictionaries(st.sampled_from(names), text_value, max_size=6))
    post = {**minutes_data(roll, date=day), **changes}
    url = reverse("meetings:create", args=[world.branch_a.code])
    response = officer_client.post(url, post)
    assert answered(response, post)


def test_a_member_number_that_cannot_be_a_url_is_refused(world, officer_client):
    """Found by the fuzzing above: "02/01/2000" was saved, then its page could not be
    linked (a server error right after saving)."""
    data = {**MEMBER, "member_number": "02/01/2000", "branch": str(world.branch_a.pk)}
    response = officer_client.post(reverse("members:create"), data)
    assert response.status_code == 200 and response.context["form"].errors["member_number"]
