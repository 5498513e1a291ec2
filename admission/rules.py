"""Admission eligibility, stored with the regulation that set it and chosen by date.

Each rule version keeps its own values even where they did not change, so a check made
under 24-QĐ/TW in 2023 is judged again by 24-QĐ/TW, not by today's rule.
"""

import datetime

from django.utils.translation import gettext as _

from admission.enums import IntroducerKind
from members.enums import GeneralEducation, MemberStatus
from members.party_age import months_between
from partyorg.dated import add_months
from partyorg.rules import AdmissionRule, RuleKind, rule_in_force

EDUCATION_RANK = {
    GeneralEducation.PRIMARY: 1,
    GeneralEducation.LOWER_SECONDARY: 2,
    GeneralEducation.UPPER_SECONDARY: 3,
}


def rule_on(day: datetime.date) -> AdmissionRule:
    """The admission rule in force on `day` (partyorg.rules)."""
    return rule_in_force(RuleKind.ADMISSION, day)


def age_in_months(born: datetime.date, on: datetime.date) -> int:
    return months_between(born, on)


def age_problems(candidate, on: datetime.date, *, at_vote: bool) -> dict[str, str]:
    """Age rules on `on`. Under 18 only counts at the vote: a younger candidate may be
    identified and trained before."""
    rule = rule_on(on)
    months = age_in_months(candidate.date_of_birth, on)
    if at_vote and months < rule.min_age_months:
        return {
            "date_of_birth": _(
                "The candidate is %(years)s years %(months)s months old on %(day)s; "
                "the branch may vote from %(minimum)s years (%(rule)s)."
            )
            % {
                "years": months // 12,
                "months": months % 12,
                "day": f"{on:%d/%m/%Y}",
                "minimum": rule.min_age_months // 12,
                "rule": rule,
            }
        }
    if months > rule.max_age_months and not candidate.over_age_approval:
        return {
            "over_age_approval": _(
                "The candidate is over %(maximum)s on %(day)s (%(years)s years %(months)s months): "
                "record the higher committee's approval (%(rule)s)."
            )
            % {
                "years": months // 12,
                "months": months % 12,
                "day": f"{on:%d/%m/%Y}",
                "maximum": rule.max_age_months // 12,
                "rule": rule,
            }
        }
    return {}


def education_problems(candidate) -> dict[str, str]:
    rank = EDUCATION_RANK[candidate.general_education]
    if rank >= EDUCATION_RANK[GeneralEducation.LOWER_SECONDARY]:
        return {}
    if candidate.education_exception and candidate.education_exception_document:
        return {}
    return {
        "education_exception": _(
            "Lower secondary education is required; primary education is accepted only in "
            "mountain, border, island, ethnic-minority or disadvantaged areas, with the "
            "exception and its document recorded."
        )
    }


def eligibility_problems(candidate, on: datetime.date, *, at_vote: bool) -> dict[str, str]:
    """Every eligibility problem of `candidate` on `on`, by field."""
    return age_problems(candidate, on, at_vote=at_vote) | education_problems(candidate)


def is_youth_union_age(candidate, on: datetime.date) -> bool:
    rule = rule_on(on)
    return age_in_months(candidate.date_of_birth, on) < rule.youth_union_age_below * 12


def introducer_problems(candidate, introducers, on: datetime.date) -> list[str]:
    """Problems with a pair of introducers assigned on `on`. Each introducer needs kind,
    member (for a member), working_with_since."""
    rule = rule_on(on)
    problems = []
    if len(introducers) != rule.introducers:
        problems.append(_("A candidate needs exactly two introducers."))
    youth = [i for i in introducers if i.kind == IntroducerKind.YOUTH_UNION]
    if youth and (len(youth) > 1 or not is_youth_union_age(candidate, on)):
        problems.append(
            _(
                "The Youth Union committee may introduce only a candidate under 30, "
                "together with one party member."
            )
        )
    members = [i.member for i in introducers if i.kind == IntroducerKind.MEMBER and i.member]
    if len({m.pk for m in members}) != len(members):
        problems.append(_("The two introducers must be different people."))
    for introducer in introducers:
        if add_months(introducer.working_with_since, rule.introducer_min_acquaintance_months) > on:
            problems.append(
                _("%(name)s has worked with the candidate for less than a year.")
                % {"name": introducer.member or introducer.name}
            )
        member = introducer.member if introducer.kind == IntroducerKind.MEMBER else None
        if member is None:
            continue
        if (
            member.status != MemberStatus.OFFICIAL
            or member.official_date is None
            or add_months(member.official_date, rule.introducer_min_official_months) > on
        ):
            problems.append(
                _("%(name)s is not an official member of at least one year.") % {"name": member}
            )
    return problems


def course_valid_until(course_date: datetime.date, on: datetime.date) -> datetime.date:
    return add_months(course_date, rule_on(on).course_valid_years * 12)
