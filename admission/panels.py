from django.utils import timezone

from admission.queries import attention, candidates_for, stage_counts

SHOWN = 8


def admission_panel(request, root, kept):
    """Candidates by stage, and what is overdue or due soon, for the home page. The late
    files are read fresh from their kept deadlines (admission.kept_deadlines)."""
    stages = kept.get(candidate_stages)
    if not any(count for _, count in stages):
        return None
    found = attention(candidates_for(request.user), timezone.localdate(), shown=SHOWN)
    return {
        "template": "admission/panel.html",
        "stages": stages,
        "attention": found,
        "overdue": found.overdue,
        "due_soon": found.due_soon,
    }


def candidate_stages(user, root):
    return stage_counts(candidates_for(user))
