"""Error pages in the site's layout, in Vietnamese and English, with DEBUG off (as the
tests run). The 500 page renders without a request and without a query, so a broken
database or context processor cannot break it too."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def page(response) -> str:
    content = response.content.decode()
    assert 'class="topbar"' in content and 'id="error-page"' in content
    return content


def in_vietnamese(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    return client


def test_404_with_the_navigation(world, as_user):
    client = as_user(world.officer)
    response = client.get(reverse("members:detail", args=["99999999"]))
    assert response.status_code == 404
    content = page(response)
    assert "Page not found" in content and reverse("members:list") in content
    assert "Không tìm thấy trang" in in_vietnamese(client).get("/no-such-page/").content.decode()


def test_404_outside_the_subtree_is_the_same_page(world, as_user):
    response = as_user(world.secretary).get(
        reverse("organizations:node_detail", args=[world.other_branch.code])
    )
    assert response.status_code == 404 and "Page not found" in page(response)


def test_403_for_a_read_only_user(world, as_user):
    client = as_user(world.viewer)
    response = client.get(reverse("members:create"))
    assert response.status_code == 403
    assert "Not allowed" in page(response)
    assert "Không có quyền" in in_vietnamese(client).get(reverse("members:create")).content.decode()


def test_400_for_a_nul_character(world, as_user):
    client = as_user(world.officer)
    response = client.get(reverse("members:list") + "?q=%00")
    assert response.status_code == 400
    assert "Bad request" in page(response)
    vietnamese = in_vietnamese(client).get(reverse("members:list") + "?q=%00")
    assert "Yêu cầu không hợp lệ" in vietnamese.content.decode()


def test_csrf_failure_explains_what_to_do(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer)
    response = client.post(reverse("members:create"), {"full_name": "X"})
    assert response.status_code == 403
    assert "The form has expired" in page(response)
    vietnamese = in_vietnamese(client).post(reverse("members:create"), {})
    assert "Biểu mẫu đã hết hạn" in vietnamese.content.decode()


def test_500_renders_without_a_request_or_a_query(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        with translation.override("en"):
            response = server_error(rf.get("/"))
        assert response.status_code == 500
        assert "Server error" in page(response)
        with translation.override("vi"):
            assert "Lỗi máy chủ" in server_error(rf.get("/")).content.decode()


def test_an_error_in_a_view_answers_the_500_page(world, as_user, monkeypatch):
    client = as_user(world.officer)
    client.raise_request_exception = False

    def broken(*args, **kwargs):
        raise RuntimeError("a fault of the server")

    monkeypatch.setattr("office.home.headline_figures", broken)
    response = client.get(reverse("home"))
    assert response.status_code == 500 and "Server error" in page(response)


def test_a_404_leaves_the_messages_for_the_next_page(world, as_user):
    client = as_user(world.officer)
    response = client.post(reverse("reminder_settings"), {"email": "", "send_email": ""})
    assert response.status_code == 302
    assert client.get("/no-such-page/").status_code == 404
    page_after = client.get(response["Location"]).content.decode()
    assert "Your reminder settings were saved." in page_after
