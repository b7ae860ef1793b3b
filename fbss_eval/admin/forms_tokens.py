"""The form that issues an API token."""

from __future__ import annotations

from wtforms import SelectField
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import Length

from ..forms.base import BaseForm
from ..services.api_tokens import SCOPES


class TokenForm(BaseForm):
    """Name, scope and the account the token acts as (choices set by the view)."""

    name = StringField("Name (what uses it, e.g. 'Clinic tablet 2')",
                       validators=[DataRequired("Name the token."), Length(max=80)])
    scope = SelectField("Scope", choices=[SelectChoice(key, label) for key, label in SCOPES.items()])
    user_id = SelectField("Acts as", coerce=int, validate_choice=True)
