"""Rows of an import that name a member by number (positions, events, evaluations, badges):
the members of a file fetched once, and each row's member found in the importer's part of
the tree, with the name the row gives (if any) checked against the record."""

from django.utils.translation import gettext as _

from members.models import Member
from partyorg.imports.resources import add_error, chunks
from partyorg.text import fold


class MemberRows:
    """For a ScopedResource whose rows have "member_number" and "holder_name" columns."""

    def members_by_number(self, rows) -> dict[str, Member]:
        numbers = set(self.column_values(rows, "member_number")) - {None, ""}
        members = {}
        for part in chunks(numbers):
            found = Member.objects.filter(member_number__any=part).select_related("branch")
            members |= {m.member_number: m for m in found}
        return members

    def member_of_row(self, instance, errors) -> Member | None:
        """The row's member (from self.members), or None with the error on its column."""
        number = getattr(instance, "member_number", None)
        member = self.members.get(number)
        if number and (member is None or not self.in_scope(member.branch)):
            message = _("There is no member with number “%(number)s” in your part of the tree.")
            add_error(errors, "member_number", message % {"number": number})
            return None
        name = getattr(instance, "holder_name", "")
        if member and name and fold(name) != fold(member.full_name):
            add_error(
                errors,
                "holder_name",
                _("Member %(number)s is %(name)s; check the member number.")
                % {"number": number, "name": member.full_name},
            )
        return member
