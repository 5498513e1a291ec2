from branches.queries import can_write, role_of


def user_role(request):
    """The signed-in user's role, for the navigation and the write buttons. A request
    refused before the authentication middleware ran (400) has no user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"party_role": role_of(user), "user_can_write": can_write(user)}


# Pages of the members app about one member's record; the app's other pages (transfers,
# badges, evaluations, dues, the removal rule) are the office's record work.
MEMBER_RECORD_PAGES = {
    "list",
    "create",
    "detail",
    "edit",
    "transfer",
    "exempt",
    "resume",
    "exit",
    "readmit",
    "transfer_new",
}


def nav_section(app: str, name: str) -> str:
    """The item of the main navigation a page belongs to."""
    if app == "branches":
        if name.startswith("meeting"):
            return "meetings"
        return "record-work" if name.startswith("inspection") else "organizations"
    if app == "members":
        return "members" if name in MEMBER_RECORD_PAGES else "record-work"
    return app or name


def navigation(request):
    match = request.resolver_match
    return {"nav_section": nav_section(match.app_name, match.url_name)} if match else {}
