"""The member import's "in this branch since" column: membership starts that day, not at
the ceremony; a known member's day must match the record; the export carries it back."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Member, Membership
from partyorg.enums import ImportStatus
from partyorg.models import ImportBatch
from tests.factories_imports import member_row, xlsx_bytes

pytestmark = pytest.mark.django_db
D = datetime.date
SINCE = "Sinh hoạt tại chi bộ từ ngày"


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def imported(client, content, name="dang-vien.xlsx"):
    client.post(
        reverse("imports:index"), {"kind": "members", "file": SimpleUploadedFile(name, content)}
    )
    batch = ImportBatch.objects.latest("pk")
    if batch.status == ImportStatus.CHECKED:
        client.post(reverse("imports:apply", args=[batch.pk]))
        batch.refresh_from_db()
    return batch


def test_membership_starts_on_the_day_given_and_the_file_imports_twice_unchanged(world, as_user):
    client = as_user(world.officer)
    rows = [member_row("10000001", **{SINCE: "01/09/2018"}), member_row("10000002")]
    assert imported(client, xlsx_bytes(rows)).status == ImportStatus.APPLIED
    starts = dict(Membership.objects.values_list("member__member_number", "start_date"))
    assert starts == {"10000001": D(2018, 9, 1), "10000002": D(2010, 3, 15)}
    assert (
        Membership.objects.on(D(2018, 8, 31)).filter(member__member_number="10000001").count() == 0
    )
    again = imported(client, xlsx_bytes(rows))
    assert (again.status, again.rows_unchanged) == (ImportStatus.APPLIED, 2)
    exported = client.get(reverse("imports:export_members"))
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).worksheets[0]
    values = list(sheet.values)
    column = values[0].index(SINCE)
    assert sorted(row[column] for row in values[1:]) == [
        datetime.datetime(2010, 3, 15),
        datetime.datetime(2018, 9, 1),
    ]
    back = imported(client, exported.content)
    assert (back.status, back.rows_unchanged) == (ImportStatus.APPLIED, 2), back.errors


@pytest.mark.parametrize(
    ("since", "words"),
    [
        ("01/01/2009", "before the admission"),
        ("01/01/2999", "in the future"),
        ("32/01/2020", "not a date"),
    ],
)
def test_a_wrong_day_is_an_error_of_its_row_and_column(world, as_user, since, words):
    rows = [member_row("10000001", **{SINCE: ""}), member_row("10000002", **{SINCE: since})]
    batch = imported(as_user(world.officer), xlsx_bytes(rows))
    assert batch.status == ImportStatus.REJECTED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(3, SINCE)]
    assert words in batch.errors[0]["message"]
    assert not Member.objects.exists()


def test_a_known_member_with_another_day_is_refused(world, as_user):
    client = as_user(world.officer)
    imported(client, xlsx_bytes([member_row("10000001", **{SINCE: "01/09/2018"})]))
    batch = imported(client, xlsx_bytes([member_row("10000001", **{SINCE: "01/09/2019"})]))
    assert batch.status == ImportStatus.REJECTED
    assert batch.errors[0]["column"] == SINCE and "01/09/2018" in batch.errors[0]["message"]
    assert Membership.objects.get().start_date == D(2018, 9, 1)
