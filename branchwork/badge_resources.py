"""Import and export of party badges awarded (Huy hiệu Đảng), one award a row, recorded
through branchwork.badges.award_badges: the member must have been due that badge (or
due it early, when the row says so) on the award day. A member holds each badge once:
a row for a badge already recorded is left alone."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.resources import ScopedResource
from branchwork.badges import award_badges
from branchwork.enums import BADGE_YEARS
from branchwork.models import BadgeAward
from members.import_rows import MemberRows
from members.models import MEMBER_NUMBER, Member
from partyorg.imports.columns import Column, DateWidget, IntegerWidget, TextWidget, YesWidget
from partyorg.imports.resources import (
    RehearsedResource,
    SpreadsheetResource,
    add_error,
    chunks,
)

FIELD_COLUMNS = {
    "award_date": "award_date",
    "decision_number": "decision_number",
    "years": "years",
}


class BadgeResource(MemberRows, RehearsedResource, ScopedResource):
    field_columns = FIELD_COLUMNS
    general_column = "years"

    member_number = Column(
        "member_number",
        "Số lý lịch",
        TextWidget(max_length=20, required=True, validator=MEMBER_NUMBER),
        help=gettext_lazy("Member number of the member, in your part of the tree."),
    )
    full_name = Column(
        "holder_name",
        "Họ và tên",
        TextWidget(max_length=120),
        help=gettext_lazy("The member's full name, to catch a mistyped number; may be empty."),
    )
    years = Column(
        "years",
        "Huy hiệu (năm tuổi Đảng)",
        IntegerWidget(required=True, minimum=30, maximum=90),
        help=gettext_lazy("The badge: 30, 40, 45, 50 … 90 years of party age."),
    )
    award_date = Column(
        "award_date",
        "Ngày trao",
        DateWidget(required=True),
        help=gettext_lazy("The award day: 3/2, 19/5, 2/9 or 7/11."),
    )
    decision_number = Column(
        "decision_number",
        "Số quyết định",
        TextWidget(max_length=50, required=True),
        help=gettext_lazy("Number of the award decision."),
    )
    early = Column(
        "early",
        "Trao sớm",
        YesWidget(),
        help=gettext_lazy("“Có” for a badge awarded early for serious illness."),
    )

    examples = [["0101-00012", "Nguyễn Văn An", "30", "03/02/2021", "125-QĐ/TU", ""]]

    class Meta(SpreadsheetResource.Meta):
        model = BadgeAward
        name = gettext_lazy("Party badges")
        fields = ["member_number", "full_name", "years", "award_date", "decision_number", "early"]

    def dehydrate_member_number(self, award):
        return award.member.member_number

    def dehydrate_full_name(self, award):
        return award.member.full_name

    @classmethod
    def exported(cls, nodes):
        found = BadgeAward.objects.filter(member__branch__in=nodes).select_related("member")
        return found.order_by("-award_date", "member__sort_key")

    def prefetch(self, rows):
        self.members = self.members_by_number(rows)
        self.stored = {}
        for part in chunks([m.pk for m in self.members.values()]):
            for award in BadgeAward.objects.filter(member__any=part).select_related("member"):
                self.stored[award.member.member_number, award.years] = award
        self.seen = set()

    def existing(self, row):
        return self.stored.get((self.cell(row, "member_number"), self.cell(row, "years")))

    def snapshot_fields(self):
        # A recorded badge is matched, not rewritten.
        return []

    def check_row(self, instance, row, errors, *, new):
        key = (getattr(instance, "member_number", None), getattr(instance, "years", None))
        if key in self.seen and None not in key:
            add_error(errors, "years", _("The same badge of the same member appears twice."))
        self.seen.add(key)
        if instance.years and instance.years not in BADGE_YEARS:
            allowed = ", ".join(str(y) for y in BADGE_YEARS)
            add_error(
                errors, "years", _("The badges are of %(allowed)s years.") % {"allowed": allowed}
            )
        member = self.member_of_row(instance, errors)
        if member is None:
            return
        if new and not errors:
            instance.member = member
            self.planned.append(instance)

    def perform(self, instance):
        ids = [instance.member.pk]
        (award,) = award_badges(
            members=Member.objects.filter(pk=instance.member.pk),
            award_date=instance.award_date,
            member_ids=[] if instance.early else ids,
            early_ids=ids if instance.early else [],
            decision_number=instance.decision_number,
            by=self.user,
        )
        if award.years != instance.years:
            raise ValidationError(
                {
                    "years": _("On that day the member was due the %(years)d-year badge.")
                    % {"years": award.years}
                }
            )
