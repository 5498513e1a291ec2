from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from branches.models import OrganizationNode
from branches.queries import organizations_for, start_node


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


def node_in_scope(request) -> OrganizationNode:
    """The node chosen with ?node=CODE inside the user's subtree, or the user's own node."""
    code = request.GET.get("node")
    if code:
        return get_object_or_404(organizations_for(request.user), code=code)
    root = start_node(request.user)
    if root is None:
        raise Http404
    return root
