"""The documented backup and restore procedure (docs/deploy.md), run for real."""

import shutil
import subprocess

import psycopg
import pytest
from django.db import connection

from members.models import Member, StatusEvent
from tests.factories import make_member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("backups are pg_dump/pg_restore of PostgreSQL")
    if not shutil.which("pg_dump"):
        pytest.fail("pg_dump is not installed")
    return connection.settings_dict


def test_dump_and_restore_keeps_every_row(world, postgres, tmp_path):
    for name in ("Nguyễn Thị Hòa", "Lê Văn Tám", "Trần Đức Thắng"):
        make_member(world.branch_a, full_name=name)
    dump = tmp_path / "partyorg.dump"
    auth = ["-h", postgres["HOST"], "-p", str(postgres["PORT"]), "-U", postgres["USER"]]
    restored = f"{postgres['NAME']}_restored"

    subprocess.run(
        ["pg_dump", *auth, "--format=custom", f"--file={dump}", postgres["NAME"]], check=True
    )
    subprocess.run(["dropdb", *auth, "--if-exists", restored], check=True)
    subprocess.run(["createdb", *auth, restored], check=True)
    try:
        subprocess.run(
            ["pg_restore", *auth, "--no-owner", f"--dbname={restored}", str(dump)], check=True
        )
        with psycopg.connect(
            host=postgres["HOST"], port=postgres["PORT"], user=postgres["USER"], dbname=restored
        ) as restored_db:
            members = restored_db.execute("SELECT full_name FROM members_member").fetchall()
            events = restored_db.execute("SELECT count(*) FROM members_statusevent").fetchone()
    finally:
        subprocess.run(["dropdb", *auth, "--if-exists", restored], check=True)

    assert {row[0] for row in members} == set(Member.objects.values_list("full_name", flat=True))
    assert len(members) == 3
    assert events[0] == StatusEvent.objects.count() == 6
