from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchworkConfig(AppConfig):
    name = "branchwork"
    verbose_name = _("Work of the branches")
