"""Plain words for support staff: a diagnosis or an attempt as a short story, and ticket text."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from app.core.diagnosis_result import Code, Diagnosis, NextStep
from app.core.outcome import (
    Attempt,
    DeliveryMedium,
    DeliveryVerdict,
    FailureKind,
    Status,
)
from app.core.story import CustomerStory, Tone

# Domains reserved for examples and tests (RFC 2606) and the SES mailbox simulator: an
# address on one of them is a test address, anything else may be a real customer's.
TEST_DOMAINS = ("example.com", "example.org", "example.net", "simulator.amazonses.com")

SANDBOX_NOTICE = "Sandbox — a test pool on this computer; no real customer gets anything"
SANDBOX_REAL_EMAIL_HINT = (
    "That looks like a real customer's address, but the Sandbox is a test pool on this "
    "computer: it only knows its own test users (alice, bob, carol… @example.com), and no "
    "message leaves this computer. To help a real customer, connect your user pool "
    "(Add a profile)."
)


def _how(medium: DeliveryMedium | None) -> str:
    return "by text message (SMS)" if medium is DeliveryMedium.SMS else "by email"


def _link(diagnosis: Diagnosis | None) -> bool:
    return diagnosis is not None and diagnosis.has(Code.CONFIRM_WITH_LINK)


def _on_its_way(destination: str, medium: DeliveryMedium | None, link: bool) -> str:
    where = f" to {destination}" if destination else ""
    if link:
        return (
            f"A new confirmation link is on its way{where} {_how(medium)}. It can take a "
            "couple of minutes; ask them to check spam and to click the link in the newest "
            "message. It works for 24 hours."
        )
    spam = "; ask them to check spam" if medium is not DeliveryMedium.SMS else ""
    return (
        f"A new code is on its way{where} {_how(medium)}. It can take a couple of "
        f"minutes{spam}. It works for 24 hours and replaces any earlier code."
    )


# ---------------------------------------------------------------- before sending


def diagnosis_story(d: Diagnosis) -> CustomerStory:
    """What Send will do for the customer typed, in plain words (the support view's card)."""
    user, p = d.user, d.prediction
    if user.found is False:
        return CustomerStory(
            Tone.WARNING,
            "No account found",
            f"This user pool has no account with the email, phone number or username "
            f"“{d.identifier}”.",
            "Check the spelling, ask the customer which email or phone number they signed "
            "up with, and check that the right user pool is selected.",
        )
    if user.found and user.username is None:
        return CustomerStory(
            Tone.WARNING,
            "Several accounts match",
            f"“{d.identifier}” belongs to more than one account: {', '.join(d.matches)}.",
            "Type the exact username of the customer's account.",
        )
    if user.found:
        told = _account_story(d)
        if told is not None:
            return told
    if p.will_send is True:
        who = _who(d)
        link = _link(d)
        what = "a new confirmation link" if link else "a new code"
        return CustomerStory(
            Tone.SUCCESS,
            "Ready to send",
            f"{who}Send will send {what} to {p.destination} {_how(p.medium)}.",
            _recent_hint(d),
        )
    if p.will_send is False:
        return CustomerStory(
            Tone.WARNING,
            "Send will not reach them",
            f"{_who(d)}No code can be sent: {p.reason}.",
            _remedy(d),
        )
    return CustomerStory(
        Tone.INFO,
        "Could not check the account",
        "The app could not look this account up"
        + (f" ({d.not_checked[0].why})" if d.not_checked else "")
        + ". You can still send; the result will say what happened.",
    )


def _who(d: Diagnosis) -> str:
    user = d.user
    if user.username and user.username != d.identifier.strip():
        return f"Found the account (username {user.username}). "
    return ""


def _account_story(d: Diagnosis) -> CustomerStory | None:
    """The account states in which no confirmation code is the answer."""
    user = d.user
    if user.enabled is False:
        return CustomerStory(
            Tone.WARNING,
            "The account is disabled",
            f"{_who(d)}This account is disabled, so it cannot get a code.",
            "An administrator has to enable the account first.",
        )
    if user.status == "CONFIRMED":
        return CustomerStory(
            Tone.INFO,
            "Already confirmed",
            f"{_who(d)}This account is already confirmed: they can sign in, there is "
            "nothing to send.",
            "If they forgot their password, they can use “Forgot password” on the sign-in page.",
        )
    if user.status == "FORCE_CHANGE_PASSWORD":
        return CustomerStory(
            Tone.WARNING,
            "Waiting for their first sign-in",
            f"{_who(d)}An administrator created this account and the customer has not signed "
            "in yet, so a sign-up code is not for them.",
            "Their invitation (with a temporary password) has to be sent again: use "
            "“Resend the invitation” below, or ask an administrator.",
        )
    if user.status == "RESET_REQUIRED":
        return CustomerStory(
            Tone.WARNING,
            "Password reset needed",
            f"{_who(d)}This account must reset its password; a sign-up code is not for them.",
            "Ask them to use “Forgot password” on the sign-in page.",
        )
    if d.next_step is NextStep.WAIT:
        return CustomerStory(
            Tone.WARNING,
            "Too many codes lately",
            f"{_who(d)}This account hit the limit of new codes in the last hour.",
            "Wait about an hour before sending again: every new try makes the wait longer.",
        )
    return None


def _recent_hint(d: Diagnosis) -> str:
    for f in d.findings:
        if f.code is Code.RECENT_ATTEMPTS and f.severity.value == "warning":
            return (
                "Several codes went out in the last hour: only the newest works, so ask them "
                "to wait for it. A few more tries and Cognito pauses new codes."
            )
    return ""


def _remedy(d: Diagnosis) -> str:
    if d.has(Code.NO_AUTO_VERIFIED_ATTRIBUTE):
        return (
            "This user pool does not send codes at all: confirm the account without a code "
            "(below), or ask an administrator."
        )
    if d.has(Code.NO_DELIVERY_ATTRIBUTE):
        return "The account has no email or phone number to send to; an administrator can add one."
    if d.has(Code.SECRET_MISSING):
        return "The profile lacks the app client's secret; ask whoever set it up to add it."
    return "Ask an administrator, or open the developer view for the details."


# ---------------------------------------------------------------- after sending


def attempt_story(a: Attempt, diagnosis: Diagnosis | None = None) -> CustomerStory:
    """What happened, in the customer's terms, for one finished (or pending) attempt."""
    if a.status is Status.PENDING:
        return CustomerStory(Tone.BUSY, "Sending…", f"Asking Cognito to send {a.username} a code.")
    if a.status is Status.DELIVERED:
        return _delivered(a, diagnosis)
    return _failed(a, diagnosis)


def _delivered(a: Attempt, diagnosis: Diagnosis | None) -> CustomerStory:
    d = a.delivery
    destination = d.destination if d is not None else ""
    medium = d.medium if d is not None else None
    if a.verdict is DeliveryVerdict.SIMULATED:
        why = "no account matches it"
        if diagnosis is not None and diagnosis.user.enabled is False:
            why = "the account is disabled"
        elif diagnosis is not None and diagnosis.has(Code.UNVERIFIED_ALIAS):
            why = "the address is not confirmed on the account yet"
        return CustomerStory(
            Tone.WARNING,
            "Nothing was sent",
            f"Cognito answered as if a code went out for “{a.username}”, but {why}, so "
            "nothing was sent: this user pool hides whether an account exists.",
            "Check the spelling, or ask the customer which email or phone number they signed "
            "up with.",
        )
    story = _on_its_way(destination, medium, _link(diagnosis))
    if a.verdict is DeliveryVerdict.MAYBE_SIMULATED:
        return CustomerStory(
            Tone.WARNING,
            "Probably on its way — not certain",
            story + " The account could not be checked, and this user pool answers the same "
            "for accounts that do not exist.",
            "If nothing arrives in a few minutes, check which address they signed up with.",
        )
    return CustomerStory(Tone.SUCCESS, "A new code is on its way", story)


def _failed(a: Attempt, diagnosis: Diagnosis | None) -> CustomerStory:
    f = a.failure
    if f is None:
        return CustomerStory(Tone.ERROR, "Not sent", "The send failed for an unknown reason.")
    message = f.aws_message
    invited = diagnosis is not None and diagnosis.user.status == "FORCE_CHANGE_PASSWORD"
    if f.code == "InvalidParameterException" and message.startswith("User is already confirmed"):
        if invited:
            return CustomerStory(
                Tone.WARNING,
                "Waiting for their first sign-in",
                "An administrator created this account and the customer has not signed in "
                "yet, so there is no sign-up code to send.",
                "Their invitation has to be sent again — in the developer view, or by an "
                "administrator.",
            )
        return CustomerStory(
            Tone.INFO,
            "Already confirmed",
            "This account is already confirmed: they can sign in, there is nothing to send.",
            "If they forgot their password, they can use “Forgot password” on the sign-in page.",
        )
    if f.code == "InvalidParameterException" and "Auto verification not turned on" in message:
        return CustomerStory(
            Tone.WARNING,
            "This user pool sends no codes",
            "This user pool does not send confirmation codes at all, so nothing was sent.",
            "An administrator can confirm the account without a code.",
        )
    if f.code == "UserNotFoundException":
        return CustomerStory(
            Tone.WARNING,
            "No account found",
            f"There is no account “{a.username}” in this user pool, so nothing was sent.",
            "Check the spelling, ask the customer which email or phone number they signed up "
            "with, and check that the right user pool is selected.",
        )
    if f.code == "NotAuthorizedException" and "disabled" in message.casefold():
        return CustomerStory(
            Tone.WARNING,
            "The account is disabled",
            "This account is disabled, so it cannot get a code. Nothing was sent.",
            "An administrator has to enable the account first.",
        )
    if f.code == "LimitExceededException":
        return CustomerStory(
            Tone.WARNING,
            "Too many codes for now",
            "This account asked for too many codes recently, so Cognito is pausing new ones. "
            "Nothing was sent.",
            "Wait about an hour before trying again — every new try makes the wait longer. "
            "The newest code they already have may still work.",
        )
    if f.code == "TooManyRequestsException":
        return CustomerStory(
            Tone.WARNING,
            "Cognito is busy",
            "Cognito got too many requests at once and sent nothing.",
            "Try again in a moment.",
        )
    if f.kind is FailureKind.NETWORK:
        maybe = f.code in ("ReadTimeout", "ConnectionDropped", "Cancelled")
        story = (
            "The connection broke before Cognito answered, so the code may or may not have "
            "gone out."
            if maybe
            else "The app could not reach Amazon Cognito, so nothing was sent."
        )
        step = (
            "Ask the customer to check their inbox before you send again."
            if maybe
            else "Check the internet connection and try again in a moment."
        )
        return CustomerStory(Tone.ERROR, "Could not reach Cognito", story, step)
    if f.kind is FailureKind.CREDENTIALS:
        return CustomerStory(
            Tone.ERROR,
            "This user pool's settings could not be read",
            "The app could not read this profile's app client from the system keyring, so "
            "nothing was sent.",
            "Unlock the system keyring, or ask whoever set up the profile to enter it again.",
        )
    if f.code == "NotAuthorizedException" or f.title.startswith(("Wrong client", "Client secret")):
        return CustomerStory(
            Tone.ERROR,
            "The profile is set up wrongly",
            "Cognito refused this profile's app client settings, so nothing was sent.",
            "Ask whoever set up the profile to check its client secret.",
        )
    return CustomerStory(
        Tone.ERROR,
        f"Not sent: {f.title.lower()}",
        f"{f.cause} Nothing was confirmed as sent.",
        f.remedy,
    )


# ---------------------------------------------------------------- the ticket


def retarget(d: Diagnosis, username: str) -> Diagnosis:
    """The diagnosis as it holds for sending to the account's real `username`: Cognito always
    resolves a username, so the account is addressable exactly when it is enabled."""
    enabled = d.user.enabled
    return replace(d, identifier=username, addressable=None if enabled is None else enabled)


def looks_real_email(identifier: str, seeded: frozenset[str] = frozenset()) -> bool:
    """An email address that is not on a test domain nor one of the sandbox's own users."""
    text = identifier.strip().casefold()
    local, at, domain = text.rpartition("@")
    if not at or not local or "." not in domain or text in seeded:
        return False
    return not any(domain == t or domain.endswith("." + t) for t in TEST_DOMAINS)


def _when(value: datetime | None) -> str:
    if value is None:
        return "(not finished)"
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def ticket_text(a: Attempt, story: CustomerStory, *, typed: str = "") -> str:
    """Plain text to paste into a support ticket. It is built from the story and a few
    attempt fields only — never the client secret, the SecretHash or the client ID."""
    customer = typed.strip() or a.username
    lines = [f"Confirmation code resend: {story.title}", f"Customer: {customer}"]
    if a.username and a.username != customer:
        lines.append(f"Account: {a.username}")
    lines.append(f"When: {_when(a.finished_at or a.started_at)}")
    lines.append(f"User pool: {a.profile}" + (f" ({a.region})" if a.region else ""))
    lines.append("")
    lines.append(story.story)
    if story.next_step:
        lines.append(f"Next step: {story.next_step}")
    reference = a.request_id or (a.failure.request_id if a.failure else None)
    if reference:
        lines.append("")
        lines.append(f"Reference (AWS request ID): {reference}")
    return "\n".join(lines)
