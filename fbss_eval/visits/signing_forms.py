"""The forms of signing and amending a visit (CSRF through the base form)."""

from __future__ import annotations

from wtforms import PasswordField
from wtforms import RadioField
from wtforms import TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import InputRequired
from wtforms.validators import Length

from ..forms.base import BaseForm
from ..services.signing import MEANING_LABELS
from ..services.signing import REASON_MAX


class SignForm(BaseForm):
    """The meaning of the signature and the signer's password, typed again."""

    meaning = RadioField(
        "Meaning of this signature",
        choices=[SelectChoice(value, label) for value, label in MEANING_LABELS.items()],
        validators=[InputRequired("Choose what your signature means.")],
    )
    password = PasswordField(
        "Your password",
        validators=[DataRequired("Enter your password to sign.")],
        description="Typing your password again is your electronic signature.",
    )


class AmendForm(BaseForm):
    """Why a signed visit is amended."""

    reason = TextAreaField(
        "Reason for the amendment",
        validators=[DataRequired("Give the reason for the amendment."), Length(max=REASON_MAX)],
        description="E.g. 'Imaging report received after signing: MRI findings added'.",
    )
