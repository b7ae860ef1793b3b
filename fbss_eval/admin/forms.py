"""Admin forms.

``VisitFilterForm``: the visit list's filters (GET, in the URL so that a filtered list can be
bookmarked). A value that is not one of the choices, or a date that is not a date, is an error
beside its field; the list then shows no visits (``validate()`` is False), never "all of them".
Every choice list comes from the checklist (statuses from the model), so a new option reaches the
filter with no edit here. The CSV export reads the same form: ``VisitFilterForm.to_filter()``.
"""

from __future__ import annotations

from datetime import date

from wtforms import BooleanField
from wtforms import HiddenField
from wtforms import PasswordField
from wtforms import SelectField
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import Optional
from wtforms.validators import Regexp
from wtforms.validators import ValidationError

from ..checklist import all_sections
from ..checklist.bands import band_scales
from ..checklist.categories import LIKELIHOODS
from ..checklist.categories import PAIN_GENERATORS
from ..checklist.categories import PSPS_T2_CATEGORIES
from ..checklist.instruments import INSTRUMENTS
from ..checklist.schema import Option
from ..checklist.sections.visit import VISIT_TYPES
from ..forms.base import BaseForm
from ..forms.fields import IsoDateField
from ..models import Role
from ..models import VisitStatus
from ..services.audit_query import AuditFilter
from ..services.audit_query import patient_id_of
from ..services.audit_view import ACTIONS
from ..services.audit_view import ENTITIES
from ..services.visit_query import SORTS
from ..services.visit_query import VisitFilter
from ..services.visits import scoring_settings

ROLE_CHOICES = [SelectChoice(Role.CLINICIAN.value, "Clinician"), SelectChoice(Role.ADMIN.value, "Admin")]


class UserForm(BaseForm):
    """Create a user (with a first password) or edit one."""

    username = StringField(
        "Username",
        validators=[
            DataRequired("Enter a username."),
            Length(min=2, max=80, message="Between 2 and 80 characters."),
            Regexp(r"^[A-Za-z0-9._-]+$", message="Use letters, digits, '.', '_' or '-' only."),
        ],
    )
    full_name = StringField(
        "Full name", validators=[DataRequired("Enter the person's name."), Length(max=200)]
    )
    role = SelectField("Role", choices=ROLE_CHOICES)
    active = BooleanField("Active (may log in)", default=True)
    password = PasswordField(
        "Password",
        validators=[Optional(), Length(max=128)],
        description="At least 12 characters. Leave empty to keep the current password.",
    )
    # The account's version when the form was loaded (optimistic locking); edit form only.
    version_id = HiddenField()


ACTION_CHOICES = [SelectChoice("", "Any action")] + [
    SelectChoice(key, f"{label} ({key})") for key, label in sorted(ACTIONS.items(), key=lambda item: item[1])]
ENTITY_CHOICES = [SelectChoice("", "Any record")] + [SelectChoice(key, label) for key, label in ENTITIES.items()]


class AuditFilterForm(BaseForm):
    """Filters over the audit trail (GET). An invalid filter shows nothing, never the whole trail."""

    class Meta:
        csrf = False

    user = StringField("User", validators=[Optional(), Length(max=80)])
    action = SelectField("Action", choices=ACTION_CHOICES, default="", validate_choice=True)
    entity = SelectField("Record type", choices=ENTITY_CHOICES, default="", validate_choice=True)
    entity_id = StringField("Record id", validators=[Optional(), Regexp(r"^[0-9]{1,12}$", message="A number.")])
    patient = StringField("Patient MRN", validators=[Optional(), Length(max=40)],
                          description="The patient's record and all their visits.")
    since = IsoDateField("From", validators=[Optional()])
    until = IsoDateField("To", validators=[Optional()])

    def validate_until(self, field: IsoDateField) -> None:
        """The search runs up to the end of the day: the calendar's last day has no next day; and a
        range that ends before it starts is a mistake, not an empty search."""
        if field.data is not None and field.data >= date.max:
            raise ValidationError(f"Enter a date before {date.max.isoformat()}.")
        if field.data is not None and self.since.data is not None and field.data < self.since.data:
            raise ValidationError("The end date is before the start date.")

    def to_filter(self) -> AuditFilter | None:
        """The valid filter, or None with the errors beside the fields (an unknown MRN too)."""
        if not self.validate():
            return None
        patient_id = None
        if (self.patient.data or "").strip():
            patient_id = patient_id_of(self.patient.data or "")
            if patient_id is None:
                self.patient.errors = [*self.patient.errors, "No patient has this MRN."]
                return None
        return AuditFilter(
            user=self.user.data or None, action=self.action.data or None, entity=self.entity.data or None,
            entity_id=int(self.entity_id.data) if self.entity_id.data else None,
            since=self.since.data, until=self.until.data, patient_id=patient_id,
        )


ANY = SelectChoice("", "Any")
BAND_HINT = (
    "The band given when the visit was saved. “Unverified threshold”: the published sources do not "
    "settle the cut-off; the clinic's scoring setting applies."
)
# A finding row is only written for a likelihood that was rated (projections.write_findings).
RATED_LIKELIHOODS = tuple(option for option in LIKELIHOODS if option.value != "not_assessed")
# The query-string names of the filters (the CSV export link passes them on unchanged).
FILTER_KEYS = (
    "status", "include_voided", "clinician", "date_from", "date_to", "visit_type", "unsigned_days",
    "red_flag", "alert_unacknowledged", "critical_unacknowledged", "band", "category", "likelihood",
    "psps_t2", "plan_option", "missing_section", "carried_forward", "q", "sort",
)


def _choices(options: tuple[Option, ...]) -> list[SelectChoice]:
    return [ANY, *(SelectChoice(opt.value, opt.label) for opt in options)]


def _status_choices() -> list[SelectChoice]:
    return [ANY, *(SelectChoice(status.value, status.value.replace("_", " ").capitalize()) for status in VisitStatus)]


def _band_choices() -> list[SelectChoice]:
    # Worded under the clinic's scoring settings (a configurable cut-off shows its value).
    return [ANY, *(SelectChoice(band.value, band.choice_label)
                   for scale in band_scales(scoring_settings()).values() for band in scale)]


def _plan_choices() -> list[SelectChoice]:
    plan = next(section for section in all_sections() if section.key == "plan")
    return _choices(next(field for field in plan.fields() if field.key == "options").options)


def _section_choices() -> list[SelectChoice]:
    return [ANY, *(SelectChoice(s.key, s.title) for s in all_sections(INSTRUMENTS.keys()) if s.required)]


class VisitFilterForm(BaseForm):
    """Filters over the visits (GET). ``clinician.choices`` are set by the view (the users)."""

    class Meta:
        csrf = False

    q = StringField("Patient name or MRN", validators=[Optional(), Length(max=100)])
    status = SelectField("Status", choices=_status_choices, default="")
    include_voided = BooleanField("Include voided visits")
    clinician = SelectField("Clinician", choices=[ANY], default="")
    date_from = IsoDateField("Visit from", validators=[Optional()])
    date_to = IsoDateField("Visit to", validators=[Optional()])
    visit_type = SelectField("Visit type", choices=_choices(VISIT_TYPES), default="")
    unsigned_days = StringField("Draft, visit more than N days ago", validators=[
        Optional(), Regexp(r"^[0-9]{1,5}$", message="A whole number of days.")])
    red_flag = BooleanField("Red flag present")
    alert_unacknowledged = BooleanField("Alert not acknowledged")
    critical_unacknowledged = BooleanField("Critical alert not acknowledged")
    band = SelectField("Instrument band", choices=_band_choices, default="", description=BAND_HINT)
    category = SelectField("Pain generator", choices=_choices(PAIN_GENERATORS), default="")
    likelihood = SelectField("Likelihood", choices=_choices(RATED_LIKELIHOODS), default="")
    psps_t2 = SelectField("PSPS-T2 category", choices=_choices(PSPS_T2_CATEGORIES), default="")
    plan_option = SelectField("Plan option", choices=_plan_choices, default="")
    missing_section = SelectField("Section missing", choices=_section_choices, default="")
    carried_forward = BooleanField("Carried forward, not confirmed")
    sort = SelectField("Sort", choices=[SelectChoice(k, v) for k, v in SORTS.items()], default="newest")

    def validate_date_to(self, field: IsoDateField) -> None:
        """A range that ends before it starts is a mistake, not an empty list."""
        start = self.date_from.data
        if isinstance(field.data, date) and isinstance(start, date) and field.data < start:
            raise ValidationError("The end date is before the start date.")

    def to_filter(self, today: date | None = None) -> VisitFilter:
        """The validated filters as a ``VisitFilter``."""
        return VisitFilter(
            status=self.status.data or None, include_voided=bool(self.include_voided.data),
            clinician_id=int(self.clinician.data) if self.clinician.data else None,
            date_from=self.date_from.data, date_to=self.date_to.data, visit_type=self.visit_type.data or None,
            unsigned_days=int(self.unsigned_days.data) if self.unsigned_days.data else None,
            red_flag=bool(self.red_flag.data), alert_unacknowledged=bool(self.alert_unacknowledged.data),
            critical_unacknowledged=bool(self.critical_unacknowledged.data), band=self.band.data or None,
            category=self.category.data or None, likelihood=self.likelihood.data or None,
            psps_t2=self.psps_t2.data or None, plan_option=self.plan_option.data or None,
            missing_section=self.missing_section.data or None, carried_forward=bool(self.carried_forward.data),
            q=self.q.data or None, sort=self.sort.data or "newest", today=today,
        )
