"""A sign-up or confirmation begins as a PENDING attempt of its kind; notes say what was sent."""

from __future__ import annotations

from app.core.outcome import AttemptKind, Status
from app.core.profile import Profile
from app.core.request import ResendInput
from app.core.secrets import Secret
from app.core.serialize import attempt_to_dict
from app.core.signup import ConfirmInput, SignUpInput
from app.core.signup_attempts import begin_confirm, begin_signup

PROFILE = Profile(name="qa", region=" eu-west-1 ", endpoint_url="http://127.0.0.1:1")


def test_signup_attempt_never_holds_the_password() -> None:
    raw = SignUpInput(
        ResendInput(" client ", " bob ", client_metadata=[("k", "v"), ("", "")]),
        password=Secret("Xy9!secret-pw"),
        user_attributes=[("email", "bob@example.com"), ("phone_number", "+15555550123")],
        validation_data=[("invite", "code-1")],
    )
    a = begin_signup(PROFILE, raw)
    assert (a.kind, a.status, a.username, a.client_id, a.region) == (
        AttemptKind.SIGNUP, Status.PENDING, "bob", "client", "eu-west-1")  # fmt: skip
    assert a.client_metadata == (("k", "v"),)
    assert a.user_attributes == (("email", "bob@example.com"), ("phone_number", "+15555550123"))
    assert "Validation data names: invite" in a.notes and "code-1" not in a.notes
    assert "Password: typed" in a.notes
    assert "Xy9!secret-pw" not in repr(attempt_to_dict(a)) + repr(a)


def test_generated_and_passwordless_are_said() -> None:
    raw = SignUpInput(ResendInput("c", "u"), password=Secret("P4ss!word"))
    assert "generated" in begin_signup(PROFILE, raw, generated=True).notes
    passwordless = begin_signup(PROFILE, SignUpInput(ResendInput("c", "u")))
    assert "passwordless" in passwordless.notes


def test_confirm_attempt_keeps_the_code_tried() -> None:
    a = begin_confirm(PROFILE, ConfirmInput(ResendInput("c", "u"), " 123456\n",
                                            force_alias_creation=True))  # fmt: skip
    assert a.kind is AttemptKind.CONFIRM
    assert a.confirmation_code == "123456" and "ForceAliasCreation: yes" in a.notes
