"""Dues: a branch's monthly collection sheet and the year's unpaid months."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from branches.queries import require_write
from branchwork import dues
from branchwork.forms import DuesRowForm
from branchwork.views.overview import node_in_scope
from partyorg.locking import Stale, show_sheet_conflicts

FIRST_YEAR = 2000


@login_required
@require_http_methods(["GET", "POST"])
def dues_sheet(request, code, year, month):
    """The collection sheet of a branch for a month: one row per member."""
    today = timezone.localdate()
    if not (1 <= month <= 12 and year >= FIRST_YEAR) or (year, month) > (today.year, today.month):
        raise Http404
    branch = node_in_scope(request, code)
    if not branch.is_branch:
        raise Http404
    rule, rows = dues.sheet(branch, year, month)
    data = request.POST if request.method == "POST" else None
    if data is not None:
        require_write(request.user)
    lines = []
    for row in rows:
        initial = {
            "basis": row.basis,
            "income": row.income,
            "extra": row.extra,
            "paid_on": row.paid_on,
            "excused": row.excused,
            "version": row.version,
        }
        form = DuesRowForm(data, prefix=f"m{row.member.pk}", initial=initial)
        lines.append({"row": row, "form": form})
    problems = []
    if data is not None:
        if all([line["form"].is_valid() for line in lines]):
            for line in lines:
                cleaned = line["form"].cleaned_data
                row = line["row"]
                row.basis = cleaned["basis"]
                row.income = cleaned["income"]
                row.extra = cleaned["extra"] or 0
                row.paid_on = cleaned["paid_on"]
                row.excused = cleaned["excused"]
                row.version = cleaned["version"]
            try:
                dues.save_sheet(branch=branch, year=year, month=month, rows=rows, by=request.user)
            except Stale as stale:
                forms = {line["row"].member.pk: line["form"] for line in lines}
                problems = [show_sheet_conflicts(forms, stale)]
            except ValidationError as error:
                problems = error.messages
            else:
                messages.success(request, _("The collection sheet was saved."))
                return redirect(request.path)
        else:
            problems = [_("Correct the marked rows; nothing was saved.")]
    previous = (year, month - 1) if month > 1 else (year - 1, 12)
    following = (year, month + 1) if month < 12 else (year + 1, 1)
    context = {
        "branch": branch,
        "year": year,
        "month": month,
        "rule": rule,
        "lines": lines,
        "totals": dues.sheet_totals(rows),
        "problems": problems,
        "previous": previous,
        "following": following if following <= (today.year, today.month) else None,
    }
    return render(request, "branchwork/dues/dues_sheet.html", context)
