"""Test settings: the production module with a fast hasher and immediate tasks."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")

from partyorg.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Tests assert the English source messages; tests/test_language.py checks, with the
# production default, that the interface opens in Vietnamese.
LANGUAGE_CODE = "en"
# The replica alias reads the test database itself, so tests can see which alias a query
# went to. The router stays off (whatever REPLICA_DATABASE_URL says) except in
# tests/test_replica_router.py, which turns it on.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
DATABASE_ROUTERS = []
