"""Start a sign-up or confirmation attempt: the PENDING record, with what was sent in notes."""

from __future__ import annotations

from dataclasses import replace

from app.core.attempts import begin_attempt
from app.core.outcome import Attempt, AttemptKind
from app.core.profile import Profile
from app.core.signup import ConfirmInput, SignUpInput


def _sent_notes(raw: SignUpInput) -> list[str]:
    lines: list[str] = []
    attributes = [f"{n}={v}" for n, v in raw.user_attributes if n or v]
    if attributes:
        lines.append("User attributes: " + "; ".join(attributes))
    # ValidationData goes to the pre sign-up trigger only; its names say enough.
    names = [n for n, _ in raw.validation_data if n]
    if names:
        lines.append("Validation data names: " + ", ".join(names))
    return lines


def begin_signup(
    profile: Profile, raw: SignUpInput, *, client_id: str = "", generated: bool = False
) -> Attempt:
    """A PENDING sign-up attempt. Its notes name the attributes sent and where the password
    came from; the password itself is never part of an Attempt."""
    if raw.password is None:
        source = "none (a passwordless sign-up)"
    else:
        source = "generated for this user, shown only when asked for" if generated else "typed"
    lines = [*_sent_notes(raw), f"Password: {source}"]
    attempt = begin_attempt(profile, raw.common, client_id=client_id)
    return replace(attempt, kind=AttemptKind.SIGNUP, notes="\n".join(lines))


def begin_confirm(profile: Profile, raw: ConfirmInput, *, client_id: str = "") -> Attempt:
    """A PENDING confirmation attempt; its notes keep the code that was tried (a one-time
    code, not a secret: the history must show that an old code was refused)."""
    lines = [f"Confirmation code: {raw.confirmation_code.strip()}"]
    if raw.force_alias_creation:
        lines.append("ForceAliasCreation: yes (an alias held by another user moves to this one)")
    attempt = begin_attempt(profile, raw.common, client_id=client_id)
    return replace(attempt, kind=AttemptKind.CONFIRM, notes="\n".join(lines))
