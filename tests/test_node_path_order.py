"""The tree's paths are compared byte by byte on PostgreSQL, so that the path index finds
a subtree's rows in path order as a range rather than by walking the whole tree."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from branches.models import OrganizationNode

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite compares bytes"),
]


def test_a_subtree_in_path_order_is_a_range_of_the_path_index(world):
    first_rows = OrganizationNode.objects.filter(path__startswith=world.district.path)[:10]
    with connection.cursor() as cursor:
        # The tables of a test are too small for an index to pay: only indexes allowed.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        sql, params = first_rows.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "branches_organizationnode_path_key" in plan
    assert f"Index Cond: (((path)::text >= '{world.district.path}'::text)" in plan


def test_the_path_keeps_its_statistics_through_the_migration(world):
    with connection.cursor() as cursor:
        # The world's rows wait on their deferred foreign-key checks, which an ALTER
        # TABLE of theirs refuses to run beside.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate([("branches", "0009_area_coverage_from_establishment")])
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stats WHERE tablename = %s AND attname = 'path'",
            [OrganizationNode._meta.db_table],
        )
        assert cursor.fetchone()[0] == 1
