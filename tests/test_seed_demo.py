import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction

from branches.enums import BRANCH_KINDS
from branches.models import OrganizationNode, UserRole
from members.enums import PositionRole
from members.models import Member, PersonAccount, Position

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def seed_snapshot(seed):
    """Run seed_demo inside a transaction that is rolled back, and describe what it made."""
    snapshot = {}
    try:
        with transaction.atomic():
            out = io.StringIO()
            call_command(
                "seed_demo", scale="demo", seed=seed, today=datetime.date(2026, 6, 1), stdout=out
            )
            snapshot["members"] = list(
                Member.objects.order_by("member_number").values_list(
                    "member_number",
                    "full_name",
                    "date_of_birth",
                    "branch__code",
                    "status",
                    "gender",
                )
            )
            snapshot["branches"] = OrganizationNode.objects.filter(kind__in=BRANCH_KINDS).count()
            snapshot["grassroots_per_district"] = [
                OrganizationNode.objects.filter(depth=3, path__startswith=d.path).count()
                for d in OrganizationNode.objects.filter(depth=2)
            ]
            snapshot["roles"] = sorted(UserRole.objects.values_list("user__username", "role"))
            snapshot["output"] = out.getvalue()
            snapshot["people"] = {
                link.account.username: (link.member.full_name, link.account.get_full_name())
                for link in PersonAccount.objects.select_related("account", "member")
            }
            snapshot["secretary_holds_the_post"] = (
                Position.objects.open()
                .filter(
                    member__account__account__username="chibo.bithu",
                    role=PositionRole.SECRETARY,
                    node__user_roles__user__username="chibo.bithu",
                )
                .exists()
            )
            raise Rollback
    except Rollback:
        pass
    return snapshot


def test_same_seed_same_data_and_realistic_size():
    first, again, other = seed_snapshot(7), seed_snapshot(7), seed_snapshot(8)
    assert first["members"] == again["members"]
    assert first["members"] != other["members"]
    assert 1000 <= len(first["members"]) <= 2000
    assert 45 <= first["branches"] <= 80
    assert all(10 <= n <= 15 for n in first["grassroots_per_district"])
    assert len(first["grassroots_per_district"]) == 2
    assert {role for _, role in first["roles"]} == {"officer", "viewer", "secretary"}
    assert "chibo.bithu" in first["output"]
    # Every account but the superuser is a person, whose name documents print.
    assert sorted(first["people"]) == ["chibo.bithu", "huyen.canbo", "huyen.xem", "tinh.canbo"]
    assert all(member == shown for member, shown in first["people"].values())
    assert len({member for member, _ in first["people"].values()}) == 4
    assert first["secretary_holds_the_post"]
    assert first["people"]["chibo.bithu"][0] in first["output"]
    women = sum(1 for row in first["members"] if row[5] == "female") / len(first["members"])
    assert 0.25 < women < 0.45
    statuses = {row[4] for row in first["members"]}
    assert {"official", "probationary"} <= statuses
