"""The delegations a committee above grassroots organizations gave (ủy quyền): the page
of the delegating committee, where its officers record and end them."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_http_methods

from admission.forms import date_field
from admission.views.common import add_domain_errors
from branches import competence, delegations
from branches.enums import DelegatedStep
from branches.models import Delegation, OrganizationNode
from branches.queries import organizations_for

STEP = DelegatedStep.ADMISSION_DECISION


class DelegationForm(forms.Form):
    delegate = forms.ModelChoiceField(
        label=_("Grassroots committee"), queryset=OrganizationNode.objects.none()
    )
    document = forms.CharField(
        label=_("Delegating document"),
        max_length=50,
        help_text=_("The number of the decision that delegates, e.g. 15-QĐ/HU."),
    )
    start_date = date_field(pgettext_lazy("term", "From"))

    def __init__(self, *args, delegates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = OrganizationNode.objects.filter(
            pk__in=[node.pk for node in delegates]
        ).order_by("name")


class EndForm(forms.Form):
    delegation = forms.IntegerField(widget=forms.HiddenInput)
    end_date = date_field(_("Ends on"))


@login_required
@require_http_methods(["GET", "POST"])
def delegation_page(request, code):
    node = get_object_or_404(organizations_for(request.user), code=code)
    if competence.LEVEL_OF_KIND[node.kind] < competence.Level.SUPERIOR:
        raise Http404
    found = competence.competence(request.user, STEP, node)
    rows = node.delegations_given.select_related("delegate").order_by("-start_date", "-id")
    add_form = DelegationForm(
        request.POST if "document" in request.POST else None,
        delegates=competence.delegates_of(node, STEP) if found.allowed else [],
    )
    end_form = EndForm(request.POST if "end_date" in request.POST else None)
    if request.method == "POST":
        competence.require_competence(request.user, STEP, node)
        form = add_form if add_form.is_bound else end_form
        if form.is_valid():
            try:
                if form is add_form:
                    delegations.delegate(node, step=STEP, by=request.user, **form.cleaned_data)
                    done = _("The delegation was recorded.")
                else:
                    delegation = get_object_or_404(rows, pk=form.cleaned_data["delegation"])
                    delegations.end_delegation(
                        delegation, on=form.cleaned_data["end_date"], by=request.user
                    )
                    done = _("The delegation was ended.")
            except ValidationError as error:
                add_domain_errors(form, error)
            else:
                messages.success(request, done)
                return redirect("admission:delegations", node.code)
    history = {
        row.id: row.history_user
        for row in Delegation.history.filter(delegating=node, history_type="+").select_related(
            "history_user"
        )
    }
    context = {
        "node": node,
        "rows": [(row, history.get(row.pk)) for row in rows],
        "can_record": found.allowed,
        "add_form": add_form,
        "end_form": end_form,
        "step": STEP.label,
    }
    return render(request, "admission/delegations.html", context)
