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


class AuditFilterForm(BaseForm):
    """Filters over the audit trail (GET)."""

    class Meta:
        csrf = False

    user = StringField("User", validators=[Optional(), Length(max=80)])
    action = StringField("Action", validators=[Optional(), Length(max=40)])
    entity = StringField("Entity", validators=[Optional(), Length(max=40)])
    entity_id = StringField("Record id", validators=[Optional(), Regexp(r"^[0-9]{1,12}$", message="A number.")])
    since = IsoDateField("From", validators=[Optional()])
    until = IsoDateField("To", validators=[Optional()])

    def validate_until(self, field: IsoDateField) -> None:
        """The search runs up to the end of the day: the calendar's last day has no next day."""
        if field.data is not None and field.data >= date.max:
            raise ValidationError(f"Enter a date before {date.max.isoformat()}.")


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
