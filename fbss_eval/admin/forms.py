"""Admin forms."""

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

from ..forms.base import BaseForm
from ..forms.fields import IsoDateField
from ..models import Role
from ..services.audit_query import AuditFilter
from ..services.audit_query import patient_id_of
from ..services.audit_view import ACTIONS
from ..services.audit_view import ENTITIES

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


EXPORT_STATUS_CHOICES = [SelectChoice("", "Any status"), SelectChoice("draft", "Draft"),
                         SelectChoice("signed", "Signed"), SelectChoice("amending", "Amending")]


class VisitExportForm(BaseForm):
    """The filter of a visit export (GET): status and visit-date range, both days included."""

    class Meta:
        csrf = False

    status = SelectField("Status", choices=EXPORT_STATUS_CHOICES, default="", validate_choice=True)
    since = IsoDateField("Visit date from", validators=[Optional()])
    until = IsoDateField("Visit date to", validators=[Optional()])

    def validate_until(self, field: IsoDateField) -> None:
        """A range that ends before it starts is a mistake, not an empty export."""
        if field.data is not None and self.since.data is not None and field.data < self.since.data:
            raise ValidationError("The end date is before the start date.")
