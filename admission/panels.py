from django.utils import timezone

from admission.queries import attention, candidates_for, stage_counts

SHOWN = 8


def admission_panel(request, root):
    """Candidates by stage, and what is overdue or due soon, for the home page. The late
    files are read from their kept deadlines (admission.kept_deadlines)."""
    candidates = candidates_for(request.user)
    stages = stage_counts(candidates)
    if not any(count for _, count in stages):
        return None
    found = attention(candidates, timezone.localdate(), shown=SHOWN)
    return {
        "template": "admission/panel.html",
        "stages": stages,
        "attention": found,
        "overdue": found.overdue,
        "due_soon": found.due_soon,
    }
