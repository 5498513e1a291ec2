"""A trigram index for the member name search on PostgreSQL.

The member list searches `name_folded LIKE '%nguyen van%'` (members/models/records.py
MemberQuerySet.search); a B-tree cannot serve a pattern that starts with a wildcard, so
on a province's 150,000 members each search read the whole table. A GIN index with
pg_trgm's operator class serves it. SQLite has neither; the migration does nothing there.
"""

from django.db import migrations

INDEX = "member_name_folded_trgm_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_member "
        "USING gin (name_folded gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
