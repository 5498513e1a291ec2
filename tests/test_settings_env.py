import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from partyorg.env import env_bool, env_int, env_list, env_str


def test_env_bool_is_strict(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "off")
    assert env_bool("FLAG", default=True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("FLAG")


def test_env_int_rejects_words(monkeypatch):
    monkeypatch.setenv("NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured):
        env_int("NUMBER", 1)


def test_env_int_rejects_a_value_below_its_minimum(monkeypatch):
    monkeypatch.setenv("WORK_STALE_AFTER_SECONDS", "5")
    with pytest.raises(ImproperlyConfigured, match="minimum of 60"):
        env_int("WORK_STALE_AFTER_SECONDS", 900, minimum=60)
    monkeypatch.setenv("WORK_STALE_AFTER_SECONDS", "600")
    assert env_int("WORK_STALE_AFTER_SECONDS", 900, minimum=60) == 600


SHOW_RETENTION = (
    "import django; django.setup(); "
    "from django.conf import settings; print(settings.UPLOAD_RETENTION_DAYS)"
)


@pytest.mark.parametrize(("value", "accepted"), [("30", True), ("0", False), ("-5", False)])
def test_upload_retention_days_must_be_positive(value, accepted):
    """The settings module stops at a period that would delete every upload at once."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "partyorg.settings",
        "DEBUG": "true",
        "UPLOAD_RETENTION_DAYS": value,
    }
    result = subprocess.run(
        [sys.executable, "-c", SHOW_RETENTION], env=environment, capture_output=True, text=True
    )
    assert (result.returncode == 0) is accepted, result.stderr
    if accepted:
        assert result.stdout.strip() == value
    else:
        assert "UPLOAD_RETENTION_DAYS='" + value + "' is below the minimum of" in result.stderr


def test_env_list_and_required(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.vn, b.vn ,,")
    assert env_list("HOSTS", []) == ["a.vn", "b.vn"]
    monkeypatch.delenv("MISSING_VALUE", raising=False)
    with pytest.raises(ImproperlyConfigured):
        env_str("MISSING_VALUE")
