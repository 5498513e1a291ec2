"""An organization's officers and the concurrent roles in the villages its branch covers:
who holds which post, from when to when, by which document; appointed and ended here
by the organization's officer (or above it, on its behalf)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from branches import competence
from branches.competence import Step
from branches.queries import organizations_for
from members import positions
from members.forms_positions import AppointForm, EndTermForm
from members.models import Position
from members.queries import members_for

SHOWN_CHANGES = 30


def _node(request, code):
    return get_object_or_404(organizations_for(request.user), code=code)


def _posts(node):
    """The node's party posts and the roles in the areas it covers, open terms first."""
    held = Position.objects.filter(Q(node=node) | Q(residential_area__branch=node))
    return held.select_related("member", "residential_area").order_by(
        "residential_area__name", "role", "-start_date", "member__sort_key"
    )


def _form_errors(form, error: ValidationError) -> None:
    """The domain's errors on the form's fields where it has them, else above the form."""
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


@login_required
@require_http_methods(["GET", "POST"])
def node_positions(request, code):
    node = _node(request, code)
    found = competence.competence(request.user, Step.POSITIONS, node)
    areas = node.residential_areas.order_by("name")
    members = members_for(request.user).active().in_subtree(node).order_by("sort_key")
    form = None
    if found.allowed:
        form = AppointForm(request.POST or None, members=members, areas=areas)
    if request.method == "POST":
        competence.require_competence(request.user, Step.POSITIONS, node)
        if form.is_valid():
            data = form.cleaned_data
            area = data.get("residential_area")
            place = {"residential_area": area} if data["role"] in positions.AREA_ROLES else {}
            try:
                with competence.recording(found):
                    positions.appoint(
                        data["member"],
                        data["role"],
                        start=data["start_date"],
                        end=data["end_date"],
                        document_number=data["document_number"],
                        node=None if place else node,
                        residential_area=place.get("residential_area"),
                        by=request.user,
                    )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The appointment was recorded."))
                return redirect("members:positions", node.code)
    posts = list(_posts(node))
    today = timezone.localdate()
    changes = (
        Position.history.filter(id__in=[p.pk for p in posts])
        .select_related("history_user")
        .order_by("-history_date")[:SHOWN_CHANGES]
    )
    # Those who held a post here and have moved on out of the user's part of the tree
    # are named without a link to a page the user may not open.
    held_by = {post.member_id for post in posts}
    context = {
        "node": node,
        "members_shown": set(
            members_for(request.user).filter(pk__in=held_by).values_list("pk", flat=True)
        ),
        "party_posts": [p for p in posts if p.node_id == node.pk],
        "area_roles": [p for p in posts if p.residential_area_id],
        "has_areas": areas.exists(),
        "today": today,
        "form": form,
        "may_edit": found.allowed,
        "end_form": EndTermForm(initial={"on": today}),
        "changes": changes,
    }
    return render(request, "members/positions.html", context)


@login_required
@require_POST
def end_position(request, code, pk):
    node = _node(request, code)
    position = get_object_or_404(_posts(node).open(), pk=pk)
    found = competence.require_competence(request.user, Step.POSITIONS, node)
    form = EndTermForm(request.POST)
    if form.is_valid():
        try:
            with competence.recording(found):
                positions.end_term(position, on=form.cleaned_data["on"], by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The term was ended."))
    else:
        for message in form.errors.get("on", []):
            messages.error(request, message)
    return redirect("members:positions", node.code)
