"""Import of admission candidates (quần chúng ưu tú) from a spreadsheet.

Natural key: the citizen identity card number (CCCD), required here because a candidate
has no party number yet. A new row opens a file through admission.domain (identified,
and the awareness course when its date is given); a known row updates personal data.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from admission import domain
from admission.enums import CANDIDATE_STAGES, EducationException, SourceOrganization
from admission.models import Candidate
from admission.rules import eligibility_problems
from branches.resources import node_code_widget
from members.models import NATIONAL_ID_REGISTERED
from members.resources import PersonalColumns
from partyorg.imports.columns import ChoiceWidget, Column, DateWidget, TextWidget
from partyorg.imports.resources import SpreadsheetResource, add_error, chunks
from partyorg.validators import NATIONAL_ID, NATIONAL_ID_CELL

SOURCE_WORDS = {
    SourceOrganization.YOUTH_UNION: "Đoàn Thanh niên",
    SourceOrganization.VETERANS: "Hội Cựu chiến binh",
    SourceOrganization.FARMERS: "Hội Nông dân",
    SourceOrganization.WOMENS_UNION: "Hội Liên hiệp Phụ nữ",
    SourceOrganization.DEMOBILIZED: "Quân nhân xuất ngũ",
    SourceOrganization.SCHOOL: "Trường học",
    SourceOrganization.HEALTH: "Y tế",
    SourceOrganization.ENTERPRISE: "Doanh nghiệp",
    SourceOrganization.OTHER: "Khác",
}
SOURCE_ALIASES = {
    "Đoàn TNCS Hồ Chí Minh": SourceOrganization.YOUTH_UNION,
    "Đoàn viên": SourceOrganization.YOUTH_UNION,
    "Cựu chiến binh": SourceOrganization.VETERANS,
    "Phụ nữ": SourceOrganization.WOMENS_UNION,
    "Giáo viên": SourceOrganization.SCHOOL,
    "Học sinh, sinh viên": SourceOrganization.SCHOOL,
    "Công nhân": SourceOrganization.ENTERPRISE,
}
EXCEPTION_WORDS = {
    EducationException.MOUNTAIN: "Miền núi",
    EducationException.BORDER: "Biên giới",
    EducationException.ISLAND: "Hải đảo",
    EducationException.ETHNIC_MINORITY: "Vùng đồng bào dân tộc thiểu số",
    EducationException.DISADVANTAGED: "Vùng khó khăn",
}
COURSE_FIELDS = ("course_date", "course_certificate")


class CandidateResource(PersonalColumns):
    national_id = Column(
        "national_id",
        "Số CCCD",
        TextWidget(
            max_length=12, required=True, validator=NATIONAL_ID, description=NATIONAL_ID_CELL
        ),
        help=gettext_lazy("Citizen identity card number; identifies the candidate."),
    )
    education_exception = Column(
        "education_exception",
        "Vùng được áp dụng ngoại lệ học vấn",
        ChoiceWidget(EducationException, EXCEPTION_WORDS, default=""),
        help=gettext_lazy("Only for a candidate with primary education in an area the rule names."),
    )
    education_exception_document = Column(
        "education_exception_document",
        "Văn bản cho phép ngoại lệ",
        TextWidget(max_length=100),
        help=gettext_lazy("Number and date of the document allowing the education exception."),
    )
    source = Column(
        "source",
        "Nguồn giới thiệu",
        ChoiceWidget(SourceOrganization, SOURCE_WORDS, aliases=SOURCE_ALIASES, required=True),
        help=gettext_lazy("The organization the candidate comes from."),
    )
    branch_code = Column(
        "branch_code",
        "Mã chi bộ",
        node_code_widget(required=True),
        help=gettext_lazy(
            "Code of the branch following the candidate, inside your part of the tree."
        ),
    )
    identified_on = Column(
        "identified_on",
        "Ngày phát hiện",
        DateWidget(required=True),
        help=gettext_lazy("Date the branch identified the candidate."),
    )
    course_date = Column(
        "course_date",
        "Ngày hoàn thành lớp nhận thức về Đảng",
        DateWidget(),
        help=gettext_lazy(
            "Date of the party-awareness course certificate (valid 5 years); "
            "read for new candidates only."
        ),
    )
    course_certificate = Column(
        "course_certificate",
        "Số giấy chứng nhận",
        TextWidget(max_length=50),
        help=gettext_lazy("Number of the course certificate; required with the course date."),
    )

    unique_in_file = ("national_id",)

    class Meta(SpreadsheetResource.Meta):
        model = Candidate
        name = gettext_lazy("Admission candidates")
        fields = [
            "national_id",
            "full_name",
            "gender",
            "date_of_birth",
            "ethnicity",
            "religion",
            "hometown",
            "residence",
            "general_education",
            "education_exception",
            "education_exception_document",
            "qualification",
            "political_theory",
            "occupation",
            "source",
            "branch_code",
            "identified_on",
            "course_date",
            "course_certificate",
        ]

    def dehydrate_branch_code(self, candidate):
        return candidate.branch.code

    def prefetch(self, rows):
        numbers = set(self.column_values(rows, "national_id")) - {None, ""}
        self.candidates = {}
        for part in chunks(numbers):
            self.candidates |= {
                c.national_id: c
                for c in Candidate.objects.filter(national_id__any=part).select_related("branch")
            }
        self.courses = {
            c.pk: (c.course_date, c.course_certificate) for c in self.candidates.values()
        }
        self.nodes = self.nodes_by_code(self.column_values(rows, "branch_code"))
        self.today = timezone.localdate()

    def existing(self, row):
        return self.candidates.get(self.cell(row, "national_id"))

    def snapshot_fields(self):
        return [f for f in super().snapshot_fields() if f not in COURSE_FIELDS]

    def check_row(self, instance, row, errors, *, new):
        if not new and not self.in_scope(instance.branch):
            errors.clear()
            add_error(errors, "national_id", str(NATIONAL_ID_REGISTERED))
            return
        if not new:
            # The course of a known candidate is recorded on its page, not by import.
            instance.course_date, instance.course_certificate = self.courses[instance.pk]
        self._check_branch(instance, errors, new=new)
        if not new and instance.stage not in CANDIDATE_STAGES:
            add_error(
                errors,
                "national_id",
                _("This candidate has been admitted; the member record is updated instead."),
            )
        for name in ("date_of_birth", "identified_on", "course_date"):
            day = getattr(instance, name, None)
            if day and day > self.today and name not in errors:
                add_error(errors, name, _("This date is in the future."))
        if new and bool(instance.course_date) != bool(instance.course_certificate):
            add_error(
                errors,
                "course_certificate",
                _("Give both the course date and the certificate number, or neither."),
            )
        if errors or getattr(instance, "branch", None) is None:
            return
        for field, message in eligibility_problems(
            instance, instance.identified_on, at_vote=False
        ).items():
            add_error(errors, field if field in self.Meta.fields else "date_of_birth", message)

    def _check_branch(self, instance, errors, *, new):
        code = getattr(instance, "branch_code", None)
        if not code:
            return
        node = self.nodes.get(code)
        message = self.node_error(code, node)
        if message is None and not (node.is_branch and node.is_active):
            message = _("“%(code)s” is not an active branch.") % {"code": code}
        if message is None and not new and node.pk != instance.branch_id:
            message = _("The candidate is followed by branch %(code)s.") % {
                "code": instance.branch.code
            }
        if message:
            add_error(errors, "branch_code", message)
        elif new:
            instance.branch = node

    def write(self):
        """One domain call per candidate: candidate lists are hundreds of rows, and each
        file must go through the same checks as one entered on its page. The history rows
        get the import's user and label from partyorg.imports.history.recorded_as."""
        for candidate in self.creates:
            course = (candidate.course_date, candidate.course_certificate)
            candidate.course_date, candidate.course_certificate = None, ""
            domain.identify_candidate(candidate, by=self.user)
            if course[0]:
                domain.record_course(
                    candidate, course_date=course[0], certificate_number=course[1], by=self.user
                )
        for candidate in self.updates:
            domain.update_candidate(candidate, by=self.user)
