"""Start a sign-up or confirmation attempt: the PENDING record of what is about to be sent."""

from __future__ import annotations

from dataclasses import replace

from app.core.attempts import begin_attempt
from app.core.outcome import Attempt, AttemptKind
from app.core.profile import Profile
from app.core.signup import ConfirmInput, SignUpInput


def begin_signup(
    profile: Profile, raw: SignUpInput, *, client_id: str = "", generated: bool = False
) -> Attempt:
    """A PENDING sign-up attempt with the attributes sent; its notes say where the password
    came from (the password itself is never part of an Attempt)."""
    if raw.password is None:
        source = "none (a passwordless sign-up)"
    else:
        source = "generated for this user, shown only when asked for" if generated else "typed"
    lines = [f"Password: {source}"]
    # ValidationData goes to the pre sign-up trigger only; its names say enough.
    names = [n for n, _ in raw.validation_data if n]
    if names:
        lines.append("Validation data names: " + ", ".join(names))
    attempt = begin_attempt(profile, raw.common, client_id=client_id)
    return replace(
        attempt,
        kind=AttemptKind.SIGNUP,
        user_attributes=tuple((n, v) for n, v in raw.user_attributes if n or v),
        notes="\n".join(lines),
    )


def begin_confirm(profile: Profile, raw: ConfirmInput, *, client_id: str = "") -> Attempt:
    """A PENDING confirmation attempt with the code that was tried."""
    notes = ""
    if raw.force_alias_creation:
        notes = "ForceAliasCreation: yes (an alias held by another user moves to this one)"
    attempt = begin_attempt(profile, raw.common, client_id=client_id)
    return replace(
        attempt,
        kind=AttemptKind.CONFIRM,
        confirmation_code=raw.confirmation_code.strip(),
        notes=notes,
    )
