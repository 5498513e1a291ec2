"""Import and export of yearly admission targets (chỉ tiêu kết nạp) as spreadsheets.

Natural key: the organization's code and the year. A row sets the target through
admission.domain.set_target; the same file imported twice changes nothing.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from admission import domain
from admission.forms import FIRST_TARGET_YEAR, current_year
from admission.models import AdmissionTarget
from branches.resources import ScopedResource, node_code_widget
from partyorg.imports.columns import Column, IntegerWidget, TextWidget
from partyorg.imports.resources import SpreadsheetResource, add_error, chunks
from partyorg.text import fold


class TargetResource(ScopedResource):
    node_code = Column(
        "node_code",
        "Mã tổ chức",
        node_code_widget(required=True),
        help=gettext_lazy("Code of the organization, inside your part of the tree."),
    )
    node_name = Column(
        "node_name",
        "Tên tổ chức",
        TextWidget(max_length=200),
        help=gettext_lazy("The organization's name, to catch a mistyped code; may be empty."),
    )
    year = Column(
        "year",
        "Năm",
        IntegerWidget(required=True, minimum=FIRST_TARGET_YEAR, maximum=9999),
        help=gettext_lazy("The year of the target, from 2000 to next year."),
    )
    target = Column(
        "target",
        "Chỉ tiêu kết nạp",
        IntegerWidget(required=True, maximum=100_000),
        help=gettext_lazy("How many admissions the organization plans for the year."),
    )

    examples = [["X1", "Đảng bộ xã Hương Phú", "2020", "12"], ["X1-B1", "", "2020", "2"]]

    class Meta(SpreadsheetResource.Meta):
        model = AdmissionTarget
        name = gettext_lazy("Admission targets")
        fields = ["node_code", "node_name", "year", "target"]

    def dehydrate_node_code(self, target):
        return target.node.code

    def dehydrate_node_name(self, target):
        return target.node.name

    @classmethod
    def exported(cls, nodes):
        found = AdmissionTarget.objects.filter(node__in=nodes).select_related("node")
        return found.order_by("-year", "node__path")

    def _key(self, row):
        return self.cell(row, "node_code"), self.cell(row, "year")

    def prefetch(self, rows):
        self.nodes = self.nodes_by_code(self.column_values(rows, "node_code"))
        self.stored = {}
        for part in chunks([n.pk for n in self.nodes.values()]):
            for target in AdmissionTarget.objects.filter(node__any=part).select_related("node"):
                self.stored[(target.node.code, target.year)] = target
        self.seen = set()

    def existing(self, row):
        return self.stored.get(self._key(row))

    def check_row(self, instance, row, errors, *, new):
        key = self._key(row)
        if key in self.seen and None not in key:
            add_error(errors, "year", _("The same organization and year appear twice."))
        self.seen.add(key)
        code = getattr(instance, "node_code", None)
        if code:
            node = self.nodes.get(code)
            message = self.node_error(code, node)
            name = getattr(instance, "node_name", "")
            if message:
                add_error(errors, "node_code", message)
            elif name and fold(name) != fold(node.name):
                add_error(
                    errors,
                    "node_name",
                    _("%(code)s is “%(name)s”; check the code.")
                    % {"code": code, "name": node.name},
                )
            elif new:
                instance.node = node
        year = getattr(instance, "year", None)
        if year and year > current_year() + 1 and "year" not in errors:
            add_error(
                errors,
                "year",
                _("Targets are set up to next year, %(year)d.") % {"year": current_year() + 1},
            )

    def write(self):
        for target in [*self.updates, *self.creates]:
            domain.set_target(target.node, year=target.year, target=target.target, by=self.user)
