import datetime

import factory
from django.contrib.auth import get_user_model

from branches import domain as tree
from branches.enums import NodeKind, RoleKind, Sector
from branches.models import ResidentialArea, UserRole
from members import domain as records
from members import transfers
from members.enums import Gender, GeneralEducation, Occupation, TransferKind
from members.models import Member


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_user(node, role=RoleKind.OFFICER, **kwargs):
    user = UserFactory(**kwargs)
    UserRole.objects.create(user=user, node=node, role=role)
    return user


_codes = iter(range(1, 10**9))


def make_node(parent=None, kind=None, name=None, sector="", established=None, code=None):
    """A tree node through the domain function, so placements exist as in real use."""
    if kind is None:
        kind = NodeKind.PROVINCE_COMMITTEE if parent is None else NodeKind.BRANCH
    if kind in {NodeKind.GRASSROOTS_COMMITTEE, NodeKind.GRASSROOTS_BRANCH} and not sector:
        sector = Sector.COMMUNE
    number = next(_codes)
    return tree.create_node(
        parent=parent,
        code=code or f"N{number:05d}",
        name=name or f"Tổ chức {number}",
        kind=kind,
        sector=sector,
        established_on=established or datetime.date(2015, 1, 1),
    )


class MemberFactory(factory.django.DjangoModelFactory):
    """Build with MemberFactory.build(...) and register with make_member()."""

    class Meta:
        model = Member

    member_number = factory.Sequence(lambda n: f"9{n:07d}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thành {n}")
    gender = Gender.MALE
    date_of_birth = datetime.date(1980, 5, 17)
    general_education = GeneralEducation.UPPER_SECONDARY
    occupation = Occupation.CIVIL_SERVANT
    admission_decision_date = datetime.date(2010, 3, 1)
    admission_date = datetime.date(2010, 3, 15)
    official_date = datetime.date(2011, 3, 15)


def make_member(branch, by=None, joined_branch_on=None, **fields):
    member = MemberFactory.build(**fields)
    return records.register_member(member, branch=branch, joined_branch_on=joined_branch_on, by=by)


def transfer(member, to_branch, on, letter="CS-1", by=None, kind=TransferKind.OFFICIAL, **fields):
    """The letter workflow end to end: a letter dated `on`, accepted by the receiving
    branch the same day."""
    letter = transfers.request_transfer(
        member,
        kind=kind,
        letter_number=letter,
        letter_date=on,
        to_branch=to_branch,
        by=by,
        **fields,
    )
    transfers.accept_transfer(letter, on=on, by=by)
    return letter


def make_area(branch, name="Thôn 1", code=None, kind="village", since=None):
    """An area covered by `branch` from `since` (default: the branch's establishment)."""
    area = ResidentialArea.objects.create(
        code=code or f"A{next(_codes):05d}", name=name, kind=kind, branch=branch
    )
    tree.cover_areas([(area, branch, since or branch.established_on)], reason="test")
    return area


def form_data(form) -> dict:
    """What a browser would post back for an unbound form as rendered."""
    data = {}
    for field in form:
        value = field.value()
        if value is None:
            continue
        if hasattr(value, "strftime"):
            value = value.strftime("%d/%m/%Y")
        data[field.html_name] = value
    return data


def sheet_data(response) -> dict:
    """What a browser posts back for an entry sheet (evaluations, dues) as rendered."""
    data = {}
    for line in response.context["lines"]:
        data.update(form_data(line["form"]))
    if "sheet_form" in response.context:
        data.update(form_data(response.context["sheet_form"]))
    return data
