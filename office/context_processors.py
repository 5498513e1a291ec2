from branches.queries import can_write, role_of


def user_role(request):
    """The signed-in user's role, for the navigation and the write buttons. A request
    refused before the authentication middleware ran (400) has no user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"party_role": role_of(user), "user_can_write": can_write(user)}


def navigation(request):
    """The item of the main navigation the page belongs to: its URL namespace (one for
    each item), or the name of a page outside them (the home page)."""
    match = request.resolver_match
    return {"nav_section": match.namespace or match.url_name} if match else {}
