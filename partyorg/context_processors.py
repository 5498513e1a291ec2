from branches.queries import can_write, role_of


def user_role(request):
    """The signed-in user's role, for the navigation and the write buttons."""
    if not request.user.is_authenticated:
        return {}
    return {"party_role": role_of(request.user), "user_can_write": can_write(request.user)}
