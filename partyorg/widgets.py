"""Form widgets shared by the apps."""

from django import forms


class FlatSelect(forms.Select):
    """A single-choice <select> drawn by one loop in one template. Django's Select
    includes a template for each option and another for its attributes: on the minutes
    form the chair and minute-taker selects (an option per member of the branch) were
    most of the page's rendering time. Options carry no attributes and no groups."""

    template_name = "partyorg/widgets/flat_select.html"

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)
        chosen = context["widget"]["value"]
        options, found = [], False
        for option_value, label in self.choices:
            option_value = str(option_value)
            selected = not found and option_value in chosen
            found = found or selected
            options.append((option_value, label, selected))
        context["widget"]["options"] = options
        return context
