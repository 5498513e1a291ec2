"""branches 0002: roles that existed before roles had dates start on the day they were
created (their first history row), or on their organization's founding without one."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("branches", "0001_initial")]
AFTER = [("branches", "0002_user_role_dates")]
D = datetime.date


@pytest.mark.django_db(transaction=True)
def test_existing_roles_get_their_creation_day(migrations_applied_after):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("auth", "User")
    Node = old.get_model("branches", "OrganizationNode")
    UserRole = old.get_model("branches", "UserRole")
    HistoricalUserRole = old.get_model("branches", "HistoricalUserRole")
    node = Node.objects.create(
        path="0001",
        depth=1,
        numchild=0,
        code="T1",
        name="Đảng bộ tỉnh",
        kind="province_committee",
        established_on=D(2015, 1, 1),
    )
    with_history = UserRole.objects.create(
        user=User.objects.create(username="with-history"), node=node, role="officer"
    )
    created = timezone.make_aware(datetime.datetime(2023, 4, 5, 9, 0))
    for day, kind in [(created, "+"), (created + datetime.timedelta(days=300), "~")]:
        HistoricalUserRole.objects.create(
            id=with_history.id,
            user_id=with_history.user_id,
            node=node,
            role="officer",
            history_date=day,
            history_type=kind,
        )
    without_history = UserRole.objects.create(
        user=User.objects.create(username="without-history"), node=node, role="viewer"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("branches", "UserRole")
    assert new.objects.get(pk=with_history.pk).started_on == D(2023, 4, 5)
    assert new.objects.get(pk=without_history.pk).started_on == D(2015, 1, 1)
    assert new.objects.filter(ended_on__isnull=False).count() == 0
