import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from branches.enums import NodeKind, RoleKind
from tests.factories import make_node, make_user
from tests.factories_admission import make_officials


@pytest.fixture(autouse=True)
def language_of_the_settings():
    """Each test starts in the settings' language. A request with the Vietnamese cookie
    leaves Vietnamese active in its thread (LocaleMiddleware does not reset it), so a later
    test on the same xdist worker read its messages in Vietnamese or in English depending
    on which tests happened to run before it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


class World:
    """A small tree and the users the access tests need.

    province
    ├── district (officer, viewer)
    │   └── commune (grassroots committee)
    │       ├── branch_a (secretary)
    │       └── branch_b
    └── other_district (outsider officer)
        └── other_branch (grassroots branch; other_secretary)
    """


@pytest.fixture
def world(db):
    w = World()
    w.province = make_node(name="Đảng bộ tỉnh", code="TU")
    w.district = make_node(w.province, NodeKind.DISTRICT_COMMITTEE, "Đảng bộ huyện", code="H1")
    w.commune = make_node(w.district, NodeKind.GRASSROOTS_COMMITTEE, "Đảng bộ xã", code="X1")
    w.branch_a = make_node(w.commune, NodeKind.BRANCH, "Chi bộ thôn 1", code="X1-B1")
    w.branch_b = make_node(w.commune, NodeKind.BRANCH, "Chi bộ thôn 2", code="X1-B2")
    w.other_district = make_node(
        w.province, NodeKind.DISTRICT_COMMITTEE, "Đảng bộ huyện khác", code="H2"
    )
    w.other_branch = make_node(
        w.other_district, NodeKind.GRASSROOTS_BRANCH, "Chi bộ trường", code="H2-CB"
    )
    w.officer = make_user(w.district, RoleKind.OFFICER, username="officer")
    w.viewer = make_user(w.district, RoleKind.VIEWER, username="viewer")
    w.secretary = make_user(w.branch_a, RoleKind.SECRETARY, username="secretary")
    w.other_secretary = make_user(w.other_branch, RoleKind.SECRETARY, username="other_secretary")
    w.outsider = make_user(w.other_district, RoleKind.OFFICER, username="outsider")
    return w


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def officials(world):
    """Three official members of branch A."""
    return make_officials(world.branch_a, 3)


@pytest.fixture
def get_page(django_assert_max_num_queries):
    """GET a page that must answer 200 in at most `queries` database queries."""

    def get(client, queries, url, data=None):
        with django_assert_max_num_queries(queries):
            response = client.get(url, data)
        assert response.status_code == 200
        return response

    return get


@pytest.fixture
def migrations_applied_after():
    """For a test that migrates the database back to test a migration: every migration is
    applied again after it, so the transactional tests that follow in the same process
    find every table (a test that stopped at its own migration left the later ones out)."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
