"""Optimistic locking for edit forms: the second of two people saving the same record is
refused with a clear message, and nothing of either is lost."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Subquery
from django.utils.translation import gettext_lazy as _

STALE = _(
    "Someone else saved this record after you opened it. Your changes were not saved: "
    "reload the page to see theirs, then apply yours again."
)


class OptimisticLockForm(forms.ModelForm):
    """A ModelForm that remembers the record's `updated_at` when it was opened.

    The model needs an `updated_at = DateTimeField(auto_now=True)`. Call save() inside the
    form's own check: it locks the row, compares, and saves or adds a form error.
    """

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["loaded_version"].initial = self.instance.updated_at.isoformat()

    def save_if_unchanged(self) -> bool:
        """Save unless someone else saved the record since this form was opened."""
        model = type(self.instance)
        with transaction.atomic():
            current = model.objects.select_for_update().only("updated_at").get(pk=self.instance.pk)
            if current.updated_at.isoformat() != self.cleaned_data["loaded_version"]:
                self.add_error(None, STALE)
                return False
            self.save()
        return True


# Records written through domain functions (minutes, candidate files) need no timestamp
# column: every save writes a history row, so the id of the latest one is the version.


def _latest_history_id(model, pk):
    return model.history.filter(id=pk).order_by("-history_id").values("history_id")[:1]


def history_version(record) -> str:
    """A token that changes whenever `record` is saved: its latest history row's id."""
    latest = _latest_history_id(type(record), record.pk).values_list("history_id", flat=True)
    return str(latest.first() or "")


def version_field(record) -> forms.CharField:
    """The hidden form field carrying the version of `record` the form was opened on."""
    return forms.CharField(
        widget=forms.HiddenInput, required=False, initial=lambda: history_version(record)
    )


def check_unchanged(record, version: str | None) -> None:
    """Lock the record's row and refuse the save when it was saved since `version` was
    read. Call first inside the saving transaction. None (no version was posted) skips the
    check, for callers that are not an edit form."""
    if version is None:
        return
    model = type(record)
    current = (
        model.objects.select_for_update()
        .filter(pk=record.pk)
        .annotate(version=Subquery(_latest_history_id(model, record.pk)))
        .values_list("version", flat=True)
        .get()
    )
    if str(current or "") != version:
        raise ValidationError(STALE)
