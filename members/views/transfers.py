"""Transfer letters, the receiving branch's inbox, and members arriving from outside."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from branches import competence
from branches.competence import Step
from branches.enums import BRANCH_KINDS
from branches.forms import too_many_to_list
from branches.issuers import as_on, issuer_lines, issuer_of, place_of
from branches.models import OrganizationNode
from branches.queries import branches_for, require_write
from members import transfers
from members.enums import TransferKind, TransferState
from members.forms_lifecycle import (
    AcceptForm,
    EndTemporaryForm,
    ReceiveForm,
    RejectForm,
    TransferRequestForm,
)
from members.queries import members_for
from members.views.records import PAGE_SIZE
from partyorg import registers
from partyorg.documents import pdf_file_response, write_pdf
from partyorg.posting import saved


def _active_branches():
    return OrganizationNode.objects.open().filter(kind__in=BRANCH_KINDS)


@login_required
@require_http_methods(["GET", "POST"])
def transfer_new(request, number):
    member = get_object_or_404(members_for(request.user), member_number=number)
    competence.require_competence(request.user, Step.TRANSFER_WITHIN, member.branch)
    # A letter may go to any branch of the system; the suggestions are the user's own.
    form = TransferRequestForm(
        request.POST or None,
        branches=_active_branches(),
        initial={"kind": TransferKind.OFFICIAL},
    )

    def save(data):
        step = competence.transfer_step(
            member.branch, data["to_branch"], official=data["kind"] == TransferKind.OFFICIAL
        )
        with competence.recording(competence.check_competence(request.user, step, member.branch)):
            return transfers.request_transfer(member, by=request.user, **data)

    suggestions = branches_for(request.user).exclude(pk=member.branch_id).order_by("code")
    if too_many_to_list(suggestions):
        suggestions = suggestions.none()
    return saved(request, form, save, _("The transfer letter was recorded.")) or render(
        request,
        "members/transfers/transfer_form.html",
        {"form": form, "member": member, "suggestions": suggestions.only("code", "name")},
    )


@login_required
def transfer_list(request):
    """The inbox of the user's branches, then every transfer the user can see."""
    inbox = list(transfers.inbox_for(request.user)[:PAGE_SIZE])
    others = transfers.transfers_for(request.user).exclude(pk__in=[t.pk for t in inbox])
    state = request.GET.get("state", "")
    if state in TransferState.values:
        others = others.filter(state=state)
    page = Paginator(others, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "members/transfers/transfer_list.html",
        {
            "inbox": inbox,
            "page": page,
            "state": state,
            "states": TransferState.choices,
            "query": f"state={state}" if state else "",
        },
    )


@login_required
def transfer_detail(request, pk):
    transfer = get_object_or_404(transfers.transfers_for(request.user), pk=pk)
    context = {
        "transfer": transfer,
        "can_decide": transfers.can_decide(request.user, transfer),
        "letter_issued": _issued_letter(transfer) is not None,
        "accept_form": AcceptForm(),
        "reject_form": RejectForm(),
        "end_form": EndTemporaryForm(),
        "changes": transfer.history.select_related("history_user").order_by("-history_date")[:20],
    }
    return render(request, "members/transfers/transfer_detail.html", context)


def _issued_letter(transfer):
    """(issuer, signature) of a letter the app issued from its register; None for a letter
    typed from paper or received from outside the system."""
    if not transfer.from_branch_id:
        return None
    issuer = transfers.letter_issuer(transfer)
    signature = issuer and registers.signature_of(
        issuer, transfer.letter_number, transfer.letter_date
    )
    return (issuer, signature) if signature else None


@login_required
def transfer_letter(request, pk):
    """The letter of introduction (giấy giới thiệu sinh hoạt đảng) the app issued, as its
    register holds it: 404 for a letter typed from paper or received from outside."""
    transfer = get_object_or_404(
        transfers.transfers_for(request.user).select_related("member", "from_branch"), pk=pk
    )
    issued = _issued_letter(transfer)
    if issued is None:
        raise Http404
    issuer, signature = issued
    context = {
        "transfer": transfer,
        "member": transfer.member,
        "issuer_name": issuer_of(as_on(issuer, transfer.letter_date)).name,
        "heading": issuer_lines(issuer, transfer.letter_date),
        "place": place_of(issuer),
        "date": transfer.letter_date,
        "signature": signature,
        "pdf": True,
    }
    with translation.override("vi"):
        html = render_to_string("members/transfers/letter.html", context, request=request)
    template = "members/transfers/letter.html"
    pdf = write_pdf(html, template_name=template, stylesheets=["css/party_documents.css"])
    return pdf_file_response(pdf, f"giay-gioi-thieu-{transfer.pk}.pdf")


def _decision(request, pk, form_class, change, *, receiver: bool):
    transfer = get_object_or_404(transfers.transfers_for(request.user), pk=pk)
    require_write(request.user)
    if receiver and not transfers.can_decide(request.user, transfer):
        raise PermissionDenied
    if not receiver and not members_for(request.user).filter(pk=transfer.member_id).exists():
        raise PermissionDenied
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(transfer)
    try:
        change(transfer, by=request.user, **(form.cleaned_data if form else {}))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The transfer was updated."))
    return redirect(transfer)


def _decision_view(form_class, change, *, receiver: bool):
    @login_required
    @require_POST
    def view(request, pk):
        return _decision(request, pk, form_class, change, receiver=receiver)

    return view


transfer_accept = _decision_view(AcceptForm, transfers.accept_transfer, receiver=True)
transfer_reject = _decision_view(RejectForm, transfers.reject_transfer, receiver=True)
transfer_cancel = _decision_view(None, transfers.cancel_transfer, receiver=False)
transfer_end = _decision_view(EndTemporaryForm, transfers.end_temporary, receiver=False)


@login_required
@require_http_methods(["GET", "POST"])
def transfer_receive(request):
    """Record a member arriving by official transfer from outside the system."""
    require_write(request.user)
    form = ReceiveForm(request.POST or None, branches=branches_for(request.user).order_by("name"))

    def save(data):
        return transfers.receive_from_outside(
            form.instance,
            branch=data["branch"],
            from_outside=data["from_outside"],
            letter_number=data["letter_number"],
            letter_date=data["letter_date"],
            on=data["on"],
            by=request.user,
        )

    return saved(request, form, save, _("The member was received.")) or render(
        request, "members/transfers/receive_form.html", {"form": form}
    )
