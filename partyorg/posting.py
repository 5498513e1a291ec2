"""The common ending of a view that takes a posted form to the domain."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect


def saved(request, form, save, message):
    """The redirect once a posted, valid form has been saved, or None to show the form again.

    `save(cleaned_data)` writes through the domain and returns what to redirect to; a
    ValidationError it raises is shown on the form, and nothing is changed.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        target = save(form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, message)
    return redirect(target)
