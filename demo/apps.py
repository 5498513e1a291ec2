from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data: `manage.py seed_demo` and its generators, one module a part of the data."""

    name = "demo"
    verbose_name = _("Demo data")
