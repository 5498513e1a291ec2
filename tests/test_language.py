import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vietnamese_default")]


@pytest.fixture
def vietnamese_default(settings):
    settings.LANGUAGE_CODE = "vi"


def test_interface_is_vietnamese_whatever_the_browser_asks(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đăng nhập" in page


def test_language_switch_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Sign in" in client.get(reverse("login")).content.decode()
    client.post(reverse("set_language"), {"language": "vi", "next": "/login/"})
    assert "Đăng nhập" in client.get(reverse("login")).content.decode()


def test_numbers_and_dates_render_the_vietnamese_way():
    import datetime

    from django.template import Context, Template
    from django.utils import translation

    template = Template(
        "{% load humanize %}{{ n|intcomma }} {{ share|floatformat:1 }} "
        "{{ day|date:'SHORT_DATE_FORMAT' }}"
    )
    context = Context({"n": 2152, "share": 7.6, "day": datetime.date(2023, 12, 15)})
    with translation.override("vi"):
        assert template.render(context) == "2.152 7,6 15/12/2023"


def test_production_settings_default_to_vietnamese_in_vietnam():
    from partyorg import settings as production

    assert production.LANGUAGE_CODE == "vi"
    assert production.TIME_ZONE == "Asia/Ho_Chi_Minh"
