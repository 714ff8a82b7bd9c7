"""The customer's story for every outcome: plain words, the right tone, no secret in the ticket."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.core.customer_story import (
    attempt_story,
    diagnosis_story,
    looks_real_email,
    retarget,
    ticket_text,
)
from app.core.diagnosis import diagnose
from app.core.errors import decode
from app.core.outcome import Attempt, DeliveryDetails, DeliveryMedium, DeliveryVerdict
from app.core.story import Tone
from tests.unit.core.diagnosis_cases import (
    ALICE,
    CAROL,
    DAVE,
    ENABLED,
    ERIN,
    POOL,
    by_email,
    given_input,
)

EMAIL = DeliveryDetails("j***@e***", DeliveryMedium.EMAIL, "email")
SMS = DeliveryDetails("+*******0123", DeliveryMedium.SMS, "phone_number")
JARGON = ("Exception", "COGNITO_DEFAULT", "SecretHash", "UNCONFIRMED", "PreventUserExistence")


def _attempt(username: str = "jane") -> Attempt:
    return Attempt(
        profile="Support pool", username=username, client_id="cid-123", region="eu-west-1"
    )


def _delivered(details: DeliveryDetails, verdict: DeliveryVerdict | None) -> Attempt:
    a = _attempt().delivered(details, request_id="req-1", http_status=200)
    return replace(a, verdict=verdict)


def _failed(code: str, message: str = "") -> Attempt:
    return _attempt().failed(decode(code, message, request_id="req-2", http_status=400))


def _plain(text: str) -> None:
    for word in JARGON:
        assert word not in text, (word, text)


def test_delivered_by_email_is_the_promised_sentence() -> None:
    s = attempt_story(_delivered(EMAIL, DeliveryVerdict.DELIVERED))
    assert s.tone is Tone.SUCCESS
    assert s.story == (
        "A new code is on its way to j***@e*** by email. It can take a couple of minutes; "
        "ask them to check spam. It works for 24 hours and replaces any earlier code."
    )


def test_delivered_by_sms_says_text_message_and_no_spam() -> None:
    s = attempt_story(_delivered(SMS, DeliveryVerdict.DELIVERED))
    assert s.tone is Tone.SUCCESS
    assert "+*******0123 by text message (SMS)" in s.story and "spam" not in s.story


def test_confirm_by_link_pool_says_link() -> None:
    link_pool = replace(POOL, default_email_option="CONFIRM_WITH_LINK")
    d = diagnose(given_input(ALICE, pool=link_pool))
    s = attempt_story(_delivered(EMAIL, DeliveryVerdict.DELIVERED), d)
    assert "confirmation link" in s.story and "click the link" in s.story
    assert "new confirmation link" in diagnosis_story(d).story


def test_simulated_says_nothing_was_sent() -> None:
    s = attempt_story(_delivered(EMAIL, DeliveryVerdict.SIMULATED))
    assert s.tone is Tone.WARNING
    assert s.title == "Nothing was sent" and "no account matches" in s.story
    _plain(s.story + s.next_step)


def test_simulated_for_a_disabled_account_says_so() -> None:
    d = diagnose(given_input(ERIN, client=ENABLED))
    s = attempt_story(_delivered(EMAIL, DeliveryVerdict.SIMULATED), d)
    assert "the account is disabled" in s.story


def test_may_be_simulated_is_hedged_not_promised() -> None:
    s = attempt_story(_delivered(EMAIL, DeliveryVerdict.MAYBE_SIMULATED))
    assert s.tone is Tone.WARNING and "not certain" in s.title
    assert "could not be checked" in s.story


def test_already_confirmed_is_information_not_failure() -> None:
    s = attempt_story(_failed("InvalidParameterException", "User is already confirmed."))
    assert s.tone is Tone.INFO
    assert (
        s.story == "This account is already confirmed: they can sign in, there is nothing to send."
    )
    _plain(s.title + s.story + s.next_step)


def test_already_confirmed_for_an_invited_user_means_resend_the_invitation() -> None:
    d = diagnose(given_input(DAVE))
    s = attempt_story(_failed("InvalidParameterException", "User is already confirmed."), d)
    assert s.title == "Waiting for their first sign-in" and "invitation" in s.next_step


@pytest.mark.parametrize(
    ("code", "message", "title", "tone"),
    [
        (
            "UserNotFoundException",
            "Username/client id combination not found.",
            "No account found",
            Tone.WARNING,
        ),
        (
            "LimitExceededException",
            "Attempt limit exceeded, please try after some time.",
            "Too many codes for now",
            Tone.WARNING,
        ),
        ("NotAuthorizedException", "User is disabled.", "The account is disabled", Tone.WARNING),
        ("EndpointUnreachable", "", "Could not reach Cognito", Tone.ERROR),
        ("CredentialsUnavailable", "", "This user pool's settings could not be read", Tone.ERROR),
        (
            "NotAuthorizedException",
            "Unable to verify secret hash for client abc",
            "The profile is set up wrongly",
            Tone.ERROR,
        ),
        (
            "InvalidParameterException",
            "Cannot resend codes. Auto verification not turned on.",
            "This user pool sends no codes",
            Tone.WARNING,
        ),
        ("TooManyRequestsException", "Rate exceeded", "Cognito is busy", Tone.WARNING),
    ],
)
def test_each_failure_has_plain_words(code: str, message: str, title: str, tone: Tone) -> None:
    s = attempt_story(_failed(code, message))
    assert (s.title, s.tone) == (title, tone)
    assert s.next_step
    _plain(s.title + s.story + s.next_step)


def test_a_read_timeout_may_have_sent() -> None:
    s = attempt_story(_failed("ReadTimeout"))
    assert "may or may not" in s.story and "inbox" in s.next_step


def test_pending_is_busy() -> None:
    assert attempt_story(_attempt()).tone is Tone.BUSY


# ---------------------------------------------------------------- before sending


def test_the_card_before_sending() -> None:
    ready = diagnosis_story(diagnose(given_input(ALICE)))
    assert ready.tone is Tone.SUCCESS and "a***@e*** by email" in ready.story
    confirmed = diagnosis_story(diagnose(given_input(CAROL)))
    assert confirmed.tone is Tone.INFO and "they can sign in" in confirmed.story
    invited = diagnosis_story(diagnose(given_input(DAVE)))
    assert "invitation" in invited.next_step
    disabled = diagnosis_story(diagnose(given_input(ERIN)))
    assert disabled.title == "The account is disabled"
    missing = diagnosis_story(diagnose(given_input(identifier="jane@acme.io")))
    assert missing.title == "No account found" and "jane@acme.io" in missing.story
    unknown = diagnosis_story(diagnose(given_input(ALICE, lookup=False, pool=None)))
    assert unknown.tone is Tone.INFO and "still send" in unknown.story
    for s in (ready, confirmed, invited, disabled, missing, unknown):
        _plain(s.title + s.story + s.next_step)


def test_retarget_to_the_real_username_makes_an_enabled_account_addressable() -> None:
    d = diagnose(given_input(by_email(ALICE), identifier="alice@example.com"))
    assert d.addressable is False  # the unverified alias as typed
    again = retarget(d, "alice")
    assert again.identifier == "alice" and again.addressable is True
    assert retarget(diagnose(given_input(by_email(ERIN))), "erin").addressable is False


# ---------------------------------------------------------------- sandbox and ticket


@pytest.mark.parametrize(
    ("text", "real"),
    [
        ("jane@acme.io", True),
        ("Jane.Doe@gmail.com", True),
        ("alice@example.com", False),
        ("bounce@simulator.amazonses.com", False),
        ("x@test.example.org", False),
        ("alice", False),
        ("+15555550123", False),
        ("nobody@localhost", False),
        ("seeded@corp.com", False),
    ],
)
def test_looks_real_email(text: str, real: bool) -> None:
    assert looks_real_email(text, frozenset({"seeded@corp.com"})) is real


def test_ticket_has_the_story_and_no_secret_or_client_id() -> None:
    secret = "s3cr3t-value"
    a = replace(
        _delivered(EMAIL, DeliveryVerdict.DELIVERED), used_secret_hash=True, username="jane"
    )
    s = attempt_story(a)
    text = ticket_text(a, s, typed="jane@acme.io")
    assert "Customer: jane@acme.io" in text and "Account: jane" in text
    assert s.story in text and "req-1" in text
    for forbidden in (secret, "SecretHash", "cid-123", "Secret"):
        assert forbidden not in text
