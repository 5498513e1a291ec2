"""Django admin cannot go around the domain functions or the audit trail: records of
people, events and the tree are read only there and can never be deleted, the tree
cannot be moved, and the reference tables it edits keep their history."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse

from admission.models import (
    AdmissionDecision,
    BranchVote,
    Candidate,
    DossierDocument,
    GrassrootsResolution,
    Introducer,
)
from branches.models import NodePlacement, OrganizationNode
from branchwork.models import (
    Attendance,
    BadgeAward,
    Dues,
    Evaluation,
    Meeting,
    MeetingGuest,
    OrganizationEvaluation,
)
from members.models import Member, Membership, Position, StatusEvent, Transfer
from partyorg.models import DeletedUpload, ExportRecord, Holiday, ImportBatch
from tests.factories import make_member
from tests.factories_security import inside_and_outside

pytestmark = pytest.mark.django_db

KEPT = [
    Candidate,
    Introducer,
    DossierDocument,
    BranchVote,
    GrassrootsResolution,
    AdmissionDecision,
    Member,
    Membership,
    StatusEvent,
    Position,
    Transfer,
    Evaluation,
    OrganizationEvaluation,
    Dues,
    BadgeAward,
    OrganizationNode,
    NodePlacement,
    Meeting,
    Attendance,
    MeetingGuest,
    ImportBatch,
    ExportRecord,
    DeletedUpload,
]


@pytest.fixture
def root(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", password="x-long-password-1")
    client.force_login(user)
    return user


def _admin_url(obj, view):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[obj.pk])


@pytest.mark.parametrize("model", KEPT, ids=lambda m: m.__name__)
def test_kept_records_cannot_be_deleted_or_edited_in_the_admin(root, model):
    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        return  # not in the admin at all
    request = RequestFactory().get("/admin/")
    request.user = root
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_add_permission(request)
    assert "delete_selected" not in model_admin.get_actions(request)
    for inline in model_admin.get_inline_instances(request):
        assert not inline.has_delete_permission(request)
        assert not inline.has_change_permission(request)


def test_deleting_a_member_candidate_or_node_in_the_admin_is_refused(world, client, root):
    inside, _outside = inside_and_outside(world)
    for obj in (inside.member, inside.candidate, world.branch_b):
        url = _admin_url(obj, "delete")
        assert client.get(url).status_code == 403
        assert client.post(url, {"post": "yes"}).status_code == 403
        assert type(obj).objects.filter(pk=obj.pk).exists()
    changelist = reverse("admin:members_member_changelist")
    response = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [inside.member.pk]}
    )
    assert Member.objects.filter(pk=inside.member.pk).exists()
    assert response.status_code in {200, 302}


def test_a_member_and_its_dated_rows_are_read_only_in_the_admin(world, client, root):
    member = make_member(world.branch_a, residence="Thôn 1")
    url = _admin_url(member, "change")
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="residence"' not in page and "Thôn 1" in page
    assert 'name="memberships-0-start_date"' not in page
    data = {
        "residence": "Thôn 9",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": member.memberships.get().pk,
        "memberships-0-start_date": "2001-01-01",
        "memberships-0-DELETE": "on",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    assert client.post(url, data).status_code == 403
    member.refresh_from_db()
    assert member.residence == "Thôn 1"
    assert member.memberships.get().start_date == datetime.date(2010, 3, 15)
    assert member.history.count() == 1


def test_the_tree_cannot_be_moved_or_edited_in_the_admin(world, client, root):
    node = world.branch_b
    path = node.path
    # treebeard's drag-and-drop move view is not served.
    move = reverse("admin:branches_organizationnode_changelist") + "move/"
    response = client.post(
        move, {"node_id": node.pk, "sibling_id": world.other_branch.pk, "as_child": 1}
    )
    assert response.status_code in {301, 302, 404}
    response = client.post(
        _admin_url(node, "change"),
        {"code": node.code, "name": "Đổi tên", "_position": "first-child", "_ref_node_id": ""},
    )
    assert response.status_code == 403
    node.refresh_from_db()
    assert (node.path, node.name) == (path, "Chi bộ thôn 2")
    assert NodePlacement.objects.filter(node=node).count() == 1
    page = client.get(_admin_url(node, "change")).content.decode()
    assert "_ref_node_id" not in page


def test_accounts_cannot_be_deleted_in_the_admin(world, client, root):
    url = reverse("admin:auth_user_delete", args=[world.viewer.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert get_user_model().objects.filter(pk=world.viewer.pk).exists()


def test_reference_tables_edited_in_the_admin_keep_who_changed_them(world, client, root):
    response = client.post(
        reverse("admin:partyorg_holiday_add"), {"date": "2030-05-19", "name": "Ngày lễ thử"}
    )
    assert response.status_code == 302
    holiday = Holiday.objects.get(date=datetime.date(2030, 5, 19))
    assert holiday.history.get().history_user == root
    role = world.viewer.party_role
    response = client.post(
        reverse("admin:branches_userrole_change", args=[role.pk]),
        {
            "user": world.viewer.pk,
            "node": world.commune.pk,
            "role": role.role,
            "started_on": role.started_on.isoformat(),
        },
    )
    assert response.status_code == 302
    latest = role.history.latest()
    assert (latest.node_id, latest.history_user) == (world.commune.pk, root)
