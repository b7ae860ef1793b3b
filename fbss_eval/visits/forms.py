"""Small forms of the visits blueprint (the section forms come from forms.builder)."""

from __future__ import annotations

from datetime import date

from wtforms import HiddenField
from wtforms import SelectField
from wtforms import TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import ValidationError

from ..checklist import section_map
from ..checklist.schema import Field
from ..checklist.validate import check_value
from ..forms.base import BaseForm
from ..forms.fields import IsoDateField
from ..services.visits import NOT_ASSESSED_REASONS


def visit_type_choices() -> list[SelectChoice]:
    """Visit types, from the checklist's visit section (one source of truth)."""
    field = section_map()["visit"].item("visit_type")
    return [SelectChoice(opt.value, opt.label) for opt in getattr(field, "options", ())]


class StartVisitForm(BaseForm):
    """Date and type of a new visit."""

    visit_date = IsoDateField("Visit date", validators=[InputRequired("Enter the visit date.")])
    visit_type = SelectField("Visit type", validators=[DataRequired("Choose the visit type.")])
    # The date the clinician confirmed starting another visit on (the patient has one that day).
    confirm_same_day = HiddenField()

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.visit_type.choices = visit_type_choices()

    def validate_visit_date(self, field: IsoDateField) -> None:
        """Not in the future; otherwise the checklist's own rule for a visit date (after 1900)."""
        if field.data and field.data > date.today():
            raise ValidationError("The visit date cannot be in the future.")
        spec = section_map()["visit"].item("visit_date")
        problem = check_value(spec, field.data.isoformat()) if field.data and isinstance(spec, Field) else None
        if problem:
            raise ValidationError(problem)


class NotAssessedForm(BaseForm):
    """Mark a section as not assessed, with the reason."""

    rev = HiddenField()
    reason = SelectField(
        "Reason",
        choices=[SelectChoice(k, v) for k, v in NOT_ASSESSED_REASONS.items()],
        validators=[DataRequired("Choose why the section was not assessed.")],
    )


class ConfirmForm(BaseForm):
    """Confirm a carried-forward section unchanged (the revision the page showed)."""

    rev = HiddenField()


class AcknowledgeForm(BaseForm):
    """Acknowledge an alert with the action taken."""

    action_taken = TextAreaField(
        "Action taken",
        validators=[DataRequired("Describe the action taken."), Length(max=1000)],
        description="E.g. 'Same-day referral to on-call spinal team; emergency MRI requested'.",
    )


class VoidForm(BaseForm):
    """Void a visit started in error, with the reason."""

    reason = TextAreaField(
        "Reason for voiding",
        validators=[DataRequired("Give the reason for voiding this visit."), Length(max=500)],
        description="E.g. 'Duplicate: started twice for the same consultation' or 'Wrong patient'.",
    )
