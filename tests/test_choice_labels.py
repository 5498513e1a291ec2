"""get_FOO_display() of the project's models (partyorg.choices.ChoiceLabels): Django's
labels in the active language, at the cost of one translation a call."""

from unittest.mock import patch

from django.utils import translation

from branches.enums import NodeKind
from branches.models import OrganizationNode


def test_the_label_follows_the_language_active_at_each_call():
    node = OrganizationNode(kind=NodeKind.BRANCH)
    with translation.override("vi"):
        assert node.get_kind_display() == "Chi bộ"
    with translation.override("en"):
        assert node.get_kind_display() == "Branch"
    with translation.override("vi"):
        assert node.get_kind_display() == "Chi bộ"


def test_a_value_outside_the_choices_shows_as_it_is_stored():
    assert OrganizationNode(kind="retired_kind").get_kind_display() == "retired_kind"


def test_a_label_costs_one_translation_however_many_choices_the_field_has():
    # Django's own get_FOO_display() translates every label of the field on each call
    # (8 for a node's kind), once per row of a list: 1,629 on the province's tree page.
    node = OrganizationNode(kind=NodeKind.BRANCH)
    active = translation._trans
    with translation.override("vi"):
        node.get_kind_display()  # the table built
        with patch.object(active, "gettext", wraps=active.gettext) as gettext:
            assert node.get_kind_display() == "Chi bộ"
    assert gettext.call_count == 1
