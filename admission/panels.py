from django.utils import timezone

from admission.queries import attention, candidates_for, stage_counts

SHOWN = 8


def admission_panel(request, root, kept):
    """Candidates by stage, and what is overdue or due soon, for the home page."""
    candidates = candidates_for(request.user)
    today = timezone.localdate()
    stages = kept.get("admission-stages", lambda: stage_counts(candidates))
    if not any(count for _, count in stages):
        return None
    found = kept.get(
        "admission-attention", lambda: attention(candidates, today, shown=SHOWN), today
    )
    return {
        "template": "admission/panel.html",
        "stages": stages,
        "attention": found,
        "overdue": found.overdue,
        "due_soon": found.due_soon,
    }
