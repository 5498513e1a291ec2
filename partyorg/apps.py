from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyorgConfig(AppConfig):
    name = "partyorg"
    verbose_name = _("Shared")

    def ready(self):
        from partyorg import lookups  # noqa: F401  registers the `any` lookup
