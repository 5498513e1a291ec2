"""Import and export of member records (đảng viên) as spreadsheets.

Natural keys: the member number (số lý lịch) and the party card number, both unique.
A row for a known member updates the personal fields; the branch and status of a known
member change only through transfers and events, so a different value is an error.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.resources import ScopedResource, node_code_widget
from members import domain
from members.enums import (
    Ethnicity,
    Gender,
    GeneralEducation,
    MembershipKind,
    MemberStatus,
    Occupation,
    PoliticalTheory,
    Qualification,
    Religion,
)
from members.forms import RECORD_FIELDS
from members.models import (
    MEMBER_NUMBER,
    MEMBER_NUMBER_REGISTERED,
    NATIONAL_ID_REGISTERED,
    PARTY_CARD_REGISTERED,
    Member,
    Membership,
)
from partyorg.imports.columns import ChoiceWidget, Column, DateWidget, TextWidget
from partyorg.imports.resources import SpreadsheetResource, add_error, chunks
from partyorg.validators import NATIONAL_ID, NATIONAL_ID_CELL

GENDER_WORDS = {Gender.MALE: "Nam", Gender.FEMALE: "Nữ"}
STATUS_WORDS = {
    MemberStatus.PROBATIONARY: "Dự bị",
    MemberStatus.OFFICIAL: "Chính thức",
    MemberStatus.EXEMPTED: "Miễn sinh hoạt",
    MemberStatus.TRANSFERRED_OUT: "Đã chuyển đi",
    MemberStatus.REMOVED: "Xóa tên",
    MemberStatus.EXPELLED: "Khai trừ",
    MemberStatus.LEFT: "Ra khỏi Đảng",
    MemberStatus.DECEASED: "Từ trần",
}
STATUS_ALIASES = {
    "Đảng viên dự bị": MemberStatus.PROBATIONARY,
    "Đảng viên chính thức": MemberStatus.OFFICIAL,
    "Miễn công tác và sinh hoạt đảng": MemberStatus.EXEMPTED,
    "Chuyển sinh hoạt": MemberStatus.TRANSFERRED_OUT,
    "Đã từ trần": MemberStatus.DECEASED,
    "Đã mất": MemberStatus.DECEASED,
    "Xin ra khỏi Đảng": MemberStatus.LEFT,
}
ETHNICITY_WORDS = {value: str(label) for value, label in Ethnicity.choices} | {
    Ethnicity.OTHER: "Khác"
}
RELIGION_WORDS = {
    Religion.NONE: "Không",
    Religion.BUDDHISM: "Phật giáo",
    Religion.CATHOLICISM: "Công giáo",
    Religion.PROTESTANTISM: "Tin lành",
    Religion.CAO_DAI: "Cao Đài",
    Religion.HOA_HAO: "Phật giáo Hòa Hảo",
    Religion.ISLAM: "Hồi giáo",
    Religion.OTHER: "Khác",
}
EDUCATION_WORDS = {
    GeneralEducation.PRIMARY: "5/12",
    GeneralEducation.LOWER_SECONDARY: "9/12",
    GeneralEducation.UPPER_SECONDARY: "12/12",
}
EDUCATION_ALIASES = {
    "Tiểu học": GeneralEducation.PRIMARY,
    "Trung học cơ sở": GeneralEducation.LOWER_SECONDARY,
    "THCS": GeneralEducation.LOWER_SECONDARY,
    "Trung học phổ thông": GeneralEducation.UPPER_SECONDARY,
    "THPT": GeneralEducation.UPPER_SECONDARY,
    "10/10": GeneralEducation.UPPER_SECONDARY,
}
QUALIFICATION_WORDS = {
    Qualification.NONE: "Không",
    Qualification.VOCATIONAL: "Trung cấp",
    Qualification.COLLEGE: "Cao đẳng",
    Qualification.BACHELOR: "Đại học",
    Qualification.MASTER: "Thạc sĩ",
    Qualification.DOCTOR: "Tiến sĩ",
}
QUALIFICATION_ALIASES = {"Sơ cấp": Qualification.VOCATIONAL, "Cử nhân": Qualification.BACHELOR}
THEORY_WORDS = {
    PoliticalTheory.NONE: "Không",
    PoliticalTheory.ELEMENTARY: "Sơ cấp",
    PoliticalTheory.INTERMEDIATE: "Trung cấp",
    PoliticalTheory.ADVANCED: "Cao cấp",
    PoliticalTheory.BACHELOR: "Cử nhân",
}
OCCUPATION_WORDS = {
    Occupation.CIVIL_SERVANT: "Cán bộ, công chức, viên chức",
    Occupation.TEACHER: "Giáo viên",
    Occupation.HEALTH_WORKER: "Y tế",
    Occupation.FARMER: "Nông dân",
    Occupation.WORKER: "Công nhân",
    Occupation.BUSINESS: "Kinh doanh",
    Occupation.STUDENT: "Học sinh, sinh viên",
    Occupation.ARMED_FORCES: "Lực lượng vũ trang",
    Occupation.RETIRED: "Nghỉ hưu",
    Occupation.OTHER: "Khác",
}
OCCUPATION_ALIASES = {
    "Công chức": Occupation.CIVIL_SERVANT,
    "Viên chức": Occupation.CIVIL_SERVANT,
    "Nhân viên y tế": Occupation.HEALTH_WORKER,
    "Sinh viên": Occupation.STUDENT,
    "Hưu trí": Occupation.RETIRED,
    "Quân đội": Occupation.ARMED_FORCES,
    "Công an": Occupation.ARMED_FORCES,
}
# Members entering the system by import are in the party now.
IMPORTABLE_STATUSES = {MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY}
DATE_RULE_FIELDS = ["date_of_birth", "admission_decision_date", "admission_date", "official_date"]


class PersonalColumns(ScopedResource):
    """The personal-data columns members and candidates share, with the same headers."""

    full_name = Column(
        "full_name",
        "Họ và tên",
        TextWidget(max_length=120, required=True),
        help=gettext_lazy("Full name with diacritics."),
    )
    gender = Column(
        "gender",
        "Giới tính",
        ChoiceWidget(Gender, GENDER_WORDS, required=True),
        help=gettext_lazy("Gender."),
    )
    date_of_birth = Column(
        "date_of_birth", "Ngày sinh", DateWidget(required=True), help=gettext_lazy("Date of birth.")
    )
    ethnicity = Column(
        "ethnicity",
        "Dân tộc",
        ChoiceWidget(Ethnicity, ETHNICITY_WORDS, default=Ethnicity.KINH),
        help=gettext_lazy("Ethnic group; empty means Kinh."),
    )
    religion = Column(
        "religion",
        "Tôn giáo",
        ChoiceWidget(Religion, RELIGION_WORDS, default=Religion.NONE),
        help=gettext_lazy("Religion; empty means none."),
    )
    hometown = Column(
        "hometown", "Quê quán", TextWidget(max_length=200), help=gettext_lazy("Hometown.")
    )
    residence = Column(
        "residence",
        "Nơi ở hiện nay",
        TextWidget(max_length=200),
        help=gettext_lazy("Current residence."),
    )
    general_education = Column(
        "general_education",
        "Giáo dục phổ thông",
        ChoiceWidget(GeneralEducation, EDUCATION_WORDS, aliases=EDUCATION_ALIASES, required=True),
        help=gettext_lazy("General education, in the 12-grade system."),
    )
    qualification = Column(
        "qualification",
        "Chuyên môn",
        ChoiceWidget(
            Qualification,
            QUALIFICATION_WORDS,
            aliases=QUALIFICATION_ALIASES,
            default=Qualification.NONE,
        ),
        help=gettext_lazy("Highest professional qualification; empty means none."),
    )
    political_theory = Column(
        "political_theory",
        "Lý luận chính trị",
        ChoiceWidget(PoliticalTheory, THEORY_WORDS, default=PoliticalTheory.NONE),
        help=gettext_lazy("Highest political-theory level; empty means none."),
    )
    occupation = Column(
        "occupation",
        "Nghề nghiệp",
        ChoiceWidget(Occupation, OCCUPATION_WORDS, aliases=OCCUPATION_ALIASES, required=True),
        help=gettext_lazy("Occupation."),
    )


class MemberResource(PersonalColumns):
    member_number = Column(
        "member_number",
        "Số lý lịch",
        TextWidget(max_length=20, required=True, validator=MEMBER_NUMBER),
        help=gettext_lazy("Member number (số lý lịch đảng viên); identifies the member."),
    )
    national_id = Column(
        "national_id",
        "Số CCCD",
        TextWidget(max_length=12, validator=NATIONAL_ID, description=NATIONAL_ID_CELL),
        help=gettext_lazy("Citizen identity card number; unique."),
    )
    party_card_number = Column(
        "party_card_number",
        "Số thẻ đảng viên",
        TextWidget(max_length=20),
        help=gettext_lazy("Party card number, written as text to keep leading zeros; unique."),
    )
    admission_decision_date = Column(
        "admission_decision_date",
        "Ngày quyết định kết nạp",
        DateWidget(required=True),
        help=gettext_lazy("Date the admission decision was signed; party age counts from it."),
    )
    admission_date = Column(
        "admission_date",
        "Ngày kết nạp",
        DateWidget(required=True),
        help=gettext_lazy("Date of the admission ceremony."),
    )
    official_date = Column(
        "official_date",
        "Ngày chính thức",
        DateWidget(),
        help=gettext_lazy("Date the member became official; empty for a probationary member."),
    )
    branch_code = Column(
        "branch_code",
        "Mã chi bộ",
        node_code_widget(required=True),
        help=gettext_lazy("Code of the member's branch, inside your part of the tree."),
    )
    joined_branch_on = Column(
        "joined_branch_on",
        "Sinh hoạt tại chi bộ từ ngày",
        DateWidget(),
        help=gettext_lazy(
            "The day the member came to this branch; empty means the admission ceremony. "
            "For a known member it must match the record."
        ),
    )
    status = Column(
        "import_status",
        "Trạng thái",
        ChoiceWidget(MemberStatus, STATUS_WORDS, aliases=STATUS_ALIASES),
        help=gettext_lazy(
            "Status. New members are official or probationary (from the official date); "
            "for a known member it must match the record."
        ),
    )

    unique_in_file = ("member_number", "party_card_number", "national_id")
    # Left out of the exports of users who are not officers: what identifies and locates
    # a person, and what the law on personal data calls sensitive (ethnicity, religion).
    personal_data_columns = (
        "national_id",
        "date_of_birth",
        "ethnicity",
        "religion",
        "hometown",
        "residence",
    )

    class Meta(SpreadsheetResource.Meta):
        model = Member
        name = gettext_lazy("Party members")
        fields = [*RECORD_FIELDS, "branch_code", "status", "joined_branch_on"]

    def __init__(self, *, personal_data=True, **kwargs):
        super().__init__(**kwargs)
        self.personal_data = personal_data

    def get_export_fields(self, selected_fields=None):
        fields = super().get_export_fields(selected_fields)
        if self.personal_data:
            return fields
        return [f for f in fields if f.attribute not in self.personal_data_columns]

    def dehydrate_branch_code(self, member):
        return member.branch.code

    def dehydrate_joined_branch_on(self, member):
        """Annotated by members.queries.with_branch_since."""
        return self.column("joined_branch_on").widget.render(member.branch_since)

    def dehydrate_status(self, member):
        return STATUS_WORDS[member.status]

    def prefetch(self, rows):
        numbers = set(self.column_values(rows, "member_number")) - {None, ""}
        self.members = {}
        for part in chunks(numbers):
            self.members |= {
                m.member_number: m
                for m in Member.objects.filter(member_number__any=part).select_related("branch")
            }
        self.nodes = self.nodes_by_code(self.column_values(rows, "branch_code"))
        self.since = {}
        if self.column("joined_branch_on").column_name in rows[0]:
            for part in chunks([m.pk for m in self.members.values()]):
                self.since |= dict(
                    Membership.objects.open()
                    .filter(member__any=part, kind=MembershipKind.HOME)
                    .values_list("member_id", "start_date")
                )
        self.owners = {}
        for attribute in ("party_card_number", "national_id"):
            # Numbers already on the members of this file need no query.
            owners = {getattr(m, attribute): number for number, m in self.members.items()}
            values = set(self.column_values(rows, attribute)) - {None, ""} - set(owners)
            for part in chunks(values):
                owners |= dict(
                    Member.objects.filter(**{f"{attribute}__any": part}).values_list(
                        attribute, "member_number"
                    )
                )
            owners.pop("", None)
            self.owners[attribute] = owners
        self.today = timezone.localdate()

    def existing(self, row):
        return self.members.get(self.cell(row, "member_number"))

    def check_row(self, instance, row, errors, *, new):
        if not new and not self.in_scope(instance.branch):
            errors.clear()
            add_error(errors, "member_number", str(MEMBER_NUMBER_REGISTERED))
            return
        self._check_branch(instance, errors, new=new)
        self._check_joined(instance, errors, new=new)
        self._check_status(instance, errors, new=new)
        for attribute, registered in (
            ("party_card_number", PARTY_CARD_REGISTERED),
            ("national_id", NATIONAL_ID_REGISTERED),
        ):
            value = getattr(instance, attribute)
            owner = self.owners[attribute].get(value)
            if value and owner and owner != instance.member_number and attribute not in errors:
                add_error(errors, attribute, str(registered))
        dates = {name: getattr(instance, name) for name in DATE_RULE_FIELDS}
        if not any(name in errors for name in DATE_RULE_FIELDS):
            for name, message in domain.member_record_errors(**dates, today=self.today).items():
                add_error(errors, name, message)

    def _check_branch(self, instance, errors, *, new):
        code = getattr(instance, "branch_code", None)
        if not code:
            return
        node = self.nodes.get(code)
        message = self.node_error(code, node)
        if message is None and not node.is_branch:
            message = _("“%(code)s” is not a branch; members belong to branches.") % {"code": code}
        if message is None and new and not node.is_active:
            message = _("The branch “%(code)s” has been dissolved.") % {"code": code}
        if message is None and not new and node.pk != instance.branch_id:
            message = _(
                "The member is in branch %(code)s; a move to another branch is recorded "
                "as a transfer on the member's page."
            ) % {"code": instance.branch.code}
        if message:
            add_error(errors, "branch_code", message)
        elif new:
            instance.branch = node

    def _check_joined(self, instance, errors, *, new):
        joined = getattr(instance, "joined_branch_on", None)
        if not joined or "joined_branch_on" in errors:
            return
        if new:
            if instance.admission_date and "admission_date" not in errors:
                problem = domain.joined_branch_error(
                    joined, instance.admission_date, today=self.today
                )
                if problem:
                    add_error(errors, "joined_branch_on", problem)
        elif joined != self.since.get(instance.pk):
            add_error(
                errors,
                "joined_branch_on",
                _(
                    "The record says the member is in this branch since %(day)s; a move is "
                    "recorded as a transfer on the member's page."
                )
                % {"day": self.since[instance.pk].strftime("%d/%m/%Y")}
                if self.since.get(instance.pk)
                else _("The member has no branch now."),
            )

    def _check_status(self, instance, errors, *, new):
        status = getattr(instance, "import_status", "")
        if new:
            expected = (
                MemberStatus.OFFICIAL if instance.official_date else MemberStatus.PROBATIONARY
            )
            if status and status not in IMPORTABLE_STATUSES:
                add_error(
                    errors,
                    "import_status",
                    _("A new member can only be imported as official or probationary."),
                )
            elif status and status != expected and "official_date" not in errors:
                add_error(
                    errors,
                    "import_status",
                    _("An official member needs an official date; a probationary one has none."),
                )
        elif status and status != instance.status:
            add_error(
                errors,
                "import_status",
                _(
                    "The record says “%(status)s”; status changes are recorded as events "
                    "on the member's page."
                )
                % {"status": STATUS_WORDS[instance.status]},
            )

    def write(self):
        domain.register_members(self.creates, by=self.user, reason=self.label)
        domain.update_members(
            self.updates,
            fields=[f for f in self.snapshot_fields() if f not in {"member_number"}],
            by=self.user,
            reason=self.label,
        )
