"""Forms of the auth blueprint."""

from __future__ import annotations

from wtforms import PasswordField
from wtforms import StringField
from wtforms.validators import DataRequired
from wtforms.validators import EqualTo
from wtforms.validators import Length

from ..forms.base import BaseForm


class LoginForm(BaseForm):
    """Username and password."""

    username = StringField("Username", validators=[DataRequired("Enter your username."), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=256)])


class ChangePasswordForm(BaseForm):
    """A user's own password change (ends their other sessions)."""

    current = PasswordField("Current password", validators=[DataRequired("Enter your current password.")])
    new = PasswordField(
        "New password",
        validators=[DataRequired("Enter a new password."), Length(max=128)],
        description="At least 12 characters. A passphrase of several words works well.",
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired("Repeat the new password."), EqualTo("new", "The two passwords differ.")],
    )
