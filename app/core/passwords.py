"""Cognito password policies: the default policy, what a password lacks, and a generator."""

from __future__ import annotations

import random
import secrets
import string
from dataclasses import dataclass

from app.core.secrets import Secret

# The special characters Cognito counts for "require symbols" (developer guide, "Adding
# user pool password requirements"). The space, which it also counts when neither leading
# nor trailing, is left out: the SignUp model's Password pattern `[\S]+` refuses it.
COGNITO_SYMBOLS = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-"


@dataclass(frozen=True)
class PasswordPolicy:
    """A pool's PasswordPolicyType, the parts a password can be checked against."""

    minimum_length: int = 8
    require_uppercase: bool = True
    require_lowercase: bool = True
    require_numbers: bool = True
    require_symbols: bool = True


# Cognito's default: at least 8 characters with upper case, lower case, a number and a symbol.
DEFAULT_POLICY = PasswordPolicy()


def policy_problems(password: str, policy: PasswordPolicy = DEFAULT_POLICY) -> list[str]:
    """What `password` lacks under `policy`, in words (never quoting the password)."""
    problems: list[str] = []
    if len(password) < policy.minimum_length:
        problems.append(f"at least {policy.minimum_length} characters")
    if policy.require_uppercase and not any(ch in string.ascii_uppercase for ch in password):
        problems.append("an upper-case letter")
    if policy.require_lowercase and not any(ch in string.ascii_lowercase for ch in password):
        problems.append("a lower-case letter")
    if policy.require_numbers and not any(ch in string.digits for ch in password):
        problems.append("a number")
    if policy.require_symbols and not any(ch in COGNITO_SYMBOLS for ch in password):
        problems.append("a symbol such as ! # % or -")
    return problems


def generate_password(
    policy: PasswordPolicy = DEFAULT_POLICY,
    *,
    length: int = 20,
    rng: random.Random | None = None,
) -> Secret:
    """A random password that meets `policy` (one of each required class, then any).

    `rng` defaults to the operating system's generator (`secrets`); tests pass a seeded one.
    """
    chooser = rng or secrets.SystemRandom()
    size = max(length, policy.minimum_length, 4)
    chars = [
        chooser.choice(string.ascii_uppercase),
        chooser.choice(string.ascii_lowercase),
        chooser.choice(string.digits),
        chooser.choice(COGNITO_SYMBOLS),
    ]
    alphabet = string.ascii_letters + string.digits + COGNITO_SYMBOLS
    chars += [chooser.choice(alphabet) for _ in range(size - len(chars))]
    chooser.shuffle(chars)
    return Secret("".join(chars))
