from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def add_domain_errors(form, error: ValidationError) -> None:
    """Show a domain ValidationError on the form: on a field when the form has it, above
    the form otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target if field != NON_FIELD_ERRORS else None, message)
