"""The patient form."""

from __future__ import annotations

from datetime import date
from typing import Any

from wtforms import HiddenField
from wtforms import SelectField
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import Optional
from wtforms.validators import Regexp
from wtforms.validators import ValidationError

from ..forms.base import BaseForm
from ..forms.fields import IsoDateField
from ..models.patient import SEX_LABELS
from ..services.patients import mrn_taken

MRN_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9\-/.]{0,39}$"
OLDEST_BIRTH_YEAR = 1900


class PatientForm(BaseForm):
    """Identifiers of a patient. Uniqueness of the MRN is checked by the service."""

    mrn = StringField(
        "MRN",
        validators=[
            DataRequired("Enter the medical record number."),
            Length(max=40, message="The MRN has at most 40 characters."),
            Regexp(MRN_PATTERN, message="Use letters, digits, '-', '/' or '.' only."),
        ],
        description="Medical record number, as on the hospital record.",
    )
    family_name = StringField(
        "Family name",
        validators=[DataRequired("Enter the family name."), Length(max=100, message="At most 100 characters.")],
    )
    given_name = StringField(
        "Given name",
        validators=[DataRequired("Enter the given name."), Length(max=100, message="At most 100 characters.")],
    )
    birth_date = IsoDateField(
        "Date of birth",
        validators=[InputRequired("Enter the date of birth.")],
    )
    sex = SelectField(
        "Sex",
        choices=[SelectChoice("", "Choose...")]
        + [SelectChoice(value.value, label) for value, label in SEX_LABELS.items()],
        validators=[DataRequired("Choose the sex recorded for the patient.")],
    )

    # The record's version when the form was loaded (optimistic locking); edit form only.
    version_id = HiddenField()
    # An admin changing the MRN says why (audited with the change); edit form only.
    mrn_reason = StringField(
        "Reason for changing the MRN",
        validators=[Optional(), Length(max=500, message="At most 500 characters.")],
        description="Required when the MRN changes, e.g. 'duplicate record merged by medical records'.",
    )

    def __init__(self, *args: Any, exclude_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._exclude_id = exclude_id

    def validate_mrn(self, field: StringField) -> None:
        """Unique across patients (case-insensitive)."""
        if field.data and mrn_taken(field.data, self._exclude_id):
            raise ValidationError("Another patient already has this MRN.")

    def validate_birth_date(self, field: IsoDateField) -> None:
        """Not in the future, not before 1900."""
        if field.data is None:
            return
        if field.data > date.today():
            raise ValidationError("The date of birth cannot be in the future.")
        if field.data.year < OLDEST_BIRTH_YEAR:
            raise ValidationError(f"The date of birth must be after {OLDEST_BIRTH_YEAR}.")


class SearchForm(BaseForm):
    """The patient search box (GET, no CSRF needed)."""

    class Meta:
        csrf = False

    q = StringField("Search by name or MRN", validators=[Length(max=100)])
