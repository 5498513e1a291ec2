"""The secretary's one-screen form: meeting fields, one radio group per member, guests."""

from html import escape

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Value
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from branches.enums import RoleKind
from branches.models import OrganizationNode, UserRole
from branchwork.enums import AttendanceStatus, MeetingKind
from branchwork.meetings import MINUTES_SECTIONS, GuestEntry, RollEntry
from branchwork.models import Attendance, Meeting
from members.enums import PositionRole
from members.models import Position
from partyorg.locking import VersionField
from partyorg.widgets import FLAT_RENDERER, FlatSelect

MEETING_FORM_FIELDS = [
    "date",
    "kind",
    "with_thematic_part",
    "start_time",
    "end_time",
    "topic",
    "dues_collected",
    *MINUTES_SECTIONS,
]
ATTENDANCE_PREFIX = "att_"
REASON_PREFIX = "why_"
EXEMPTED_CHOICES = [
    (AttendanceStatus.PRESENT, AttendanceStatus.PRESENT.label),
    (AttendanceStatus.EXCUSED, _("Absent (exempted)")),
]


class MeetingForm(forms.Form):
    """Meeting fields and the attendance of every member on `roll`.

    `change_reason` is required when `meeting` is finalized.

    The attendance is not a pair of fields per member: building, cleaning and drawing a
    hundred fields was a third of the page's time. Each member's `att_<id>` and
    `why_<id>` are cleaned in `clean()` by the fields of ROLL_FIELDS (the same messages),
    their errors kept in `errors` under those names, and the rows drawn by
    `roll_groups()`.
    """

    default_renderer = FLAT_RENDERER

    def __init__(self, *args, roll: list[RollEntry], meeting: Meeting | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.roll = roll
        self.meeting = meeting
        self.fields.update(
            forms.fields_for_model(
                Meeting,
                fields=MEETING_FORM_FIELDS,
                widgets={
                    "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                    "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                    "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                    "kind": FlatSelect,
                    **{name: forms.Textarea(attrs={"rows": 3}) for name in MINUTES_SECTIONS},
                },
            )
        )
        # One list of options for both selects, each drawn by one loop (FlatSelect).
        people = [("", "—")] + [(str(e.member.pk), e.member.full_name) for e in roll]
        for name in ("chair", "minute_taker"):
            self.fields[name] = forms.TypedChoiceField(
                label=capfirst(Meeting._meta.get_field(name).verbose_name),
                choices=people,
                coerce=int,
                required=False,
                empty_value=None,
                widget=FlatSelect,
            )
        # Drawn by static/js/offline-minutes.js for each entry, so that an entry sent
        # again after a dropped connection is applied once.
        self.fields["entry_key"] = forms.UUIDField(required=False, widget=forms.HiddenInput)
        if meeting is not None:
            self.fields["version"] = VersionField(initial=meeting.version)
        if meeting is not None and meeting.is_final:
            self.fields["change_reason"] = forms.CharField(
                label=_("Reason for changing finalized minutes"), max_length=200
            )

    def meeting_fields(self):
        names = ["date", "kind", "with_thematic_part", "start_time", "end_time", "topic"]
        return [self[name] for name in [*names, "chair", "minute_taker"]]

    def minutes_fields(self):
        return [self[name] for name in MEETING_FORM_FIELDS[6:]]

    def roll_groups(self) -> list[tuple[bool, str]]:
        """The roll's rows as (exempted, HTML of the rows): the members expected at the
        meeting, then the exempted ones, each group in roll order and left out when
        empty.

        The rows are written here, with Python's own escaping, rather than by a template
        or format_html: drawn by the template's loop, their 40-odd nodes each were half
        of the page's time (a 59-member branch: 2,400 nodes), and format_html's escaping
        of each piece still cost 7 ms."""
        groups = {False: [], True: []}
        # Translated and escaped once, not once per member.
        words = {
            "probationary": escape(gettext("probationary")),
            "temporary": escape(gettext("temporarily attached")),
            "reason": escape(gettext("Reason")),
            "hint": escape(gettext("Reason for the absence")),
        }
        choices = {
            exempted: [(value, escape(str(label))) for value, label in _status_choices(exempted)]
            for exempted in groups
        }
        for entry in self.roll:
            groups[entry.exempted].append(self._roll_row(entry, choices[entry.exempted], words))
        return [(exempted, mark_safe("".join(rows))) for exempted, rows in groups.items() if rows]

    def _roll_row(self, entry: RollEntry, choices: list, words: dict) -> str:
        pk = entry.member.pk
        status, reason = f"{ATTENDANCE_PREFIX}{pk}", f"{REASON_PREFIX}{pk}"
        default = AttendanceStatus.EXCUSED if entry.exempted else AttendanceStatus.PRESENT
        chosen = str(self._roll_value(status, default))
        errors = [*self.errors.get(status, ()), *self.errors.get(reason, ())]
        return ROLL_ROW.format(
            error_class=" has-error" if errors else "",
            name=escape(entry.member.full_name),
            **{
                tag: ROLL_TAG.format(words[tag]) if getattr(entry, tag) else ""
                for tag in ("probationary", "temporary")
            },
            radios="".join(
                ROLL_RADIO.format(
                    name=status,
                    value=value,
                    id=f"id_{status}_{index}",
                    checked=" checked" if value == chosen else "",
                    label=label,
                )
                for index, (value, label) in enumerate(choices)
            ),
            reason_label=words["reason"],
            reason=reason,
            reason_id=f"id_{reason}",
            reason_value=escape(self._roll_value(reason, None) or ""),
            hint=words["hint"],
            errors="".join(ROLL_ERROR.format(escape(error)) for error in errors),
        )

    def _roll_value(self, name: str, default):
        """What a row shows: what was posted, or the initial value (when editing, what
        is saved)."""
        if self.is_bound:
            return self.data.get(name)
        return self.initial.get(name, default)

    def meeting_data(self) -> dict:
        """The cleaned meeting fields, with chair and minute-taker as members of the roll
        (or as an id the domain will refuse)."""
        data = {name: self.cleaned_data[name] for name in MEETING_FORM_FIELDS}
        members = {e.member.pk: e.member for e in self.roll}
        for name in ("chair", "minute_taker"):
            pk = self.cleaned_data[name]
            data[name] = members.get(pk) if pk is not None else None
        return data

    def attendance(self) -> dict[int, tuple[str, str]]:
        """member id -> (status, reason) for every attendance value posted, including ids
        not on the roll, which the domain refuses with a message."""
        result = {}
        for key, value in self.data.items():
            if not key.startswith(ATTENDANCE_PREFIX):
                continue
            try:
                pk = int(key.removeprefix(ATTENDANCE_PREFIX))
            except ValueError:
                continue
            if key in self.cleaned_data:
                value = self.cleaned_data[key]
            result[pk] = (value, self.cleaned_data.get(f"{REASON_PREFIX}{pk}", ""))
        return result

    def differences(self, saved: Meeting, rows: list[Attendance]) -> list[tuple[str, str, str]]:
        """(label, what `saved` holds, what this valid form holds) for each meeting field
        and each member's attendance on which the two differ: what someone saved since
        the form was opened next to what was entered."""
        names = {e.member.pk: e.member.full_name for e in self.roll}
        mine = self.cleaned_data
        result = []
        for name in [*MEETING_FORM_FIELDS, "chair", "minute_taker"]:
            value = getattr(saved, f"{name}_id" if name in ("chair", "minute_taker") else name)
            theirs, yours = (_shown(name, v, names) for v in (value, mine[name]))
            if theirs != yours:
                result.append((self.fields[name].label, theirs, yours))
        entered = self.attendance()
        for row in rows:
            theirs, yours = (
                _attendance_shown(*pair)
                for pair in ((row.status, row.reason), entered.get(row.member_id, ("", "")))
            )
            if theirs != yours:
                result.append((names.get(row.member_id, row.member.full_name), theirs, yours))
        return result

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") and cleaned["kind"] != MeetingKind.REGULAR:
            cleaned["with_thematic_part"] = False
        for entry in self.roll:
            pk = entry.member.pk
            for name, field in (
                (f"{ATTENDANCE_PREFIX}{pk}", ROLL_FIELDS[entry.exempted]),
                (f"{REASON_PREFIX}{pk}", ROLL_FIELDS["reason"]),
            ):
                try:
                    cleaned[name] = field.clean(self.data.get(name))
                except ValidationError as error:
                    # add_error() takes only the names of fields; these are the posted names.
                    self._errors[name] = self.error_class(error.error_list, renderer=self.renderer)
        return cleaned


# The fields that clean each member's attendance (by whether the member is exempted) and
# reason, as the form's own fields would.
ROLL_FIELDS = {
    False: forms.ChoiceField(choices=AttendanceStatus.choices),
    True: forms.ChoiceField(choices=EXEMPTED_CHOICES),
    "reason": forms.CharField(max_length=200, required=False),
}
ROLL_ROW = """
      <li class="roll-row{error_class}">
        <div class="who-row">
          <span class="name">{name}</span>
          {probationary}
          {temporary}
        </div>
        <div class="toggles" role="radiogroup" aria-label="{name}">
          {radios}
        </div>
        <div class="reason">
          <label for="{reason_id}" class="visually-hidden">{reason_label}</label>
          <input type="text" name="{reason}" id="{reason_id}" value="{reason_value}" maxlength="200" placeholder="{hint}">
        </div>
        {errors}
      </li>
    """  # noqa: E501 (the row as the browser gets it)
ROLL_TAG = '<span class="tag">{}</span>'
ROLL_RADIO = (
    '<input type="radio" name="{name}" value="{value}" id="{id}"{checked} required>'
    '<label for="{id}" class="t-{value}">{label}</label>'
)
ROLL_ERROR = '<small class="error">{}</small>'


def _status_choices(exempted: bool) -> list[tuple[str, str]]:
    return EXEMPTED_CHOICES if exempted else AttendanceStatus.choices


def _shown(name: str, value, names: dict) -> str:
    if value in (None, ""):
        return "—"
    if name in ("chair", "minute_taker"):
        return names.get(value, "—")
    if name == "kind":
        return str(MeetingKind(value).label)
    if name == "with_thematic_part":
        return gettext("yes") if value else gettext("no")
    if name == "date":
        return f"{value:%d/%m/%Y}"
    if name in ("start_time", "end_time"):
        return f"{value:%H:%M}"
    return str(value)


def _attendance_shown(status: str, reason: str) -> str:
    label = str(AttendanceStatus(status).label) if status in AttendanceStatus.values else "—"
    reason = reason.strip() if status != AttendanceStatus.PRESENT else ""
    return f"{label}: {reason}" if reason else label


def guest_choices(branch: OrganizationNode) -> list[tuple[str, str]]:
    """People of the committees above `branch` who may attend its meetings: current
    post holders of those committees and the officers holding a role there now, named
    as on their member record when their account has one, in one query. The keys and
    names are put together here: built by the ORM as SQL expressions, they cost more
    than the query."""
    steplen = OrganizationNode.steplen
    above = [branch.path[: steplen * depth] for depth in range(1, branch.depth)]
    posts = (
        Position.objects.open()
        .filter(node__path__in=above)
        .values_list(
            Value("m"), "member_id", "member__full_name", Value(""), Value(""), "role", "node__name"
        )
        .order_by()
    )
    accounts = (
        UserRole.objects.on(timezone.localdate())
        .filter(node__path__in=above, role=RoleKind.OFFICER)
        .values_list(
            Value("u"),
            "user_id",
            # The member behind the account, by the name on their record.
            "user__person__member__full_name",
            "user__last_name",
            "user__first_name",
            "role",
            "node__name",
        )
        .order_by()
    )
    people = [
        (f"{kind}{pk}", f"{last} {first}" if name is None else name, role, place)
        for kind, pk, name, last, first, role, place in posts.union(accounts)
    ]
    people.sort(key=lambda person: person[1])
    labels = {**dict(PositionRole.choices), **dict(RoleKind.choices)}
    return [
        (key, f"{person.strip() or key} — {labels.get(role, role)}, {place}")
        for key, person, role, place in people
    ]


class GuestForm(forms.Form):
    person = forms.ChoiceField(
        label=_("Person of a superior committee"), required=False, widget=FlatSelect
    )
    name = forms.CharField(label=_("or name"), max_length=120, required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)

    def __init__(self, *args, people, **kwargs):
        """`people` is a callable returning the choices, so a form posted without a
        chosen person never queries them."""
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = lambda: [("", "—"), *people()]
        self.people = people

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("title") and not (cleaned.get("person") or cleaned.get("name")):
            self.add_error("name", _("Give the guest's name or choose the person."))
        return cleaned

    def entry(self) -> GuestEntry | None:
        data = self.cleaned_data
        person = data.get("person")
        if not person and not data.get("name"):
            return None
        entry = GuestEntry(name=data.get("name", "").strip(), title=data.get("title", "").strip())
        if person:
            label = dict(self.people())[person]
            name, _sep, title = label.partition(" — ")
            entry.name = entry.name or name
            entry.title = entry.title or title
            if person.startswith("m"):
                entry.member_id = int(person[1:])
            else:
                entry.user_id = int(person[1:])
        return entry


GuestFormSet = forms.formset_factory(
    GuestForm, extra=2, max_num=10, validate_max=True, renderer=FLAT_RENDERER
)


def guest_initial(meeting: Meeting) -> list[dict]:
    return [
        {
            "person": f"m{g.member_id}" if g.member_id else (f"u{g.user_id}" if g.user_id else ""),
            "name": g.name,
            "title": g.title,
        }
        for g in meeting.guests.all()
    ]


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input: a list of uploads (empty when none was chosen)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]


class NoticeForm(forms.Form):
    """The documents of a coming meeting: its planned date and agenda (only the agenda
    once published) and files to add. Refused files are reported by branchwork.notices."""

    meeting_date = forms.DateField(
        label=_("Planned meeting date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 6}))
    files = MultipleFileField(
        label=_("Files (PDF, DOCX, PNG or JPEG)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.docx,.png,.jpg,.jpeg"}),
    )
    version = VersionField()

    def __init__(self, *args, published: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if published:
            del self.fields["meeting_date"]
        else:
            del self.fields["version"]
