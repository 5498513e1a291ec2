from django.utils import timezone

from admission.queries import attention, candidates_for, stage_counts

SHOWN = 8


def admission_panel(request, root, kept):
    """Candidates by stage, and what is overdue or due soon, for the home page."""
    stages = kept.get(candidate_stages)
    if not any(count for _, count in stages):
        return None
    found = kept.get(candidates_needing_attention)
    return {
        "template": "admission/panel.html",
        "stages": stages,
        "attention": found,
        "overdue": found.overdue,
        "due_soon": found.due_soon,
    }


def candidate_stages(user, root):
    return stage_counts(candidates_for(user))


def candidates_needing_attention(user, root):
    return attention(candidates_for(user), timezone.localdate(), shown=SHOWN)
