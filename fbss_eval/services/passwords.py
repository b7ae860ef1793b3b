"""Password hashing with argon2id (argon2-cffi), rehashed on login when parameters change."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError
from argon2.exceptions import VerificationError
from flask import current_app

# argon2-cffi's defaults (t=3, m=64 MiB, p=4, argon2id) exceed OWASP ASVS 5.0 Appendix C.
_STRONG = PasswordHasher()
# Tests only: the ASVS minimum shape at a tiny memory cost, to keep the suite fast.
_FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

MIN_LENGTH = 12
MAX_LENGTH = 128
# A short offline list of the most common passwords (ASVS 6.2.4 asks for a check like this).
COMMON = frozenset(
    """password password1 password123 123456789012 qwertyuiopas letmein12345 welcome12345
    adminadmin12 administrator changeme1234 iloveyou1234 passwordpassword 1234567890ab
    qwerty123456 abc123456789 trustno1trustno1 football1234 baseball1234 monkey123456
    hospital1234 clinic123456 doctor123456 spinespine12 fbsseval1234""".split()
)


def _hasher() -> PasswordHasher:
    return _FAST if current_app.config.get("ARGON2_FAST") else _STRONG


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when the password matches; never raises for a wrong or malformed hash."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than the current ones."""
    try:
        return _hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def password_problem(password: str, username: str = "") -> str | None:
    """Why a new password is refused, or None when it is acceptable (ASVS 6.2: length, no
    composition rules, not a common password, not the username)."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if password.lower() in COMMON:
        return "This password is too common; choose another."
    if username and username.lower() in password.lower():
        return "The password must not contain the username."
    return None
