"""The diagnosis rules: one test per finding (present when it applies, absent when not)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from hypothesis import given, settings

from app.core.diagnosis import diagnose
from app.core.diagnosis_delivery import delivery_attribute
from app.core.diagnosis_input import Area, NotChecked
from app.core.diagnosis_json import diagnosis_text, diagnosis_to_dict
from app.core.diagnosis_result import Code, NextStep, Severity
from app.core.errors import decode
from app.core.outcome import Attempt, AttemptKind, DeliveryDetails, DeliveryMedium

from .diagnosis_cases import (
    ALICE,
    BOB,
    CAROL,
    DAVE,
    ENABLED,
    ERIN,
    FRANK,
    LEGACY,
    NOW,
    POOL,
    by_email,
    given_input,
    inputs,
)

DETERMINISTIC = settings(derandomize=True, max_examples=300, deadline=None)


def codes(*args: object, **kw: object) -> set[Code]:
    return {f.code for f in diagnose(given_input(*args, **kw)).findings}  # type: ignore[arg-type]


def test_alice_gets_a_code_by_email_masked_like_cognito() -> None:
    d = diagnose(given_input(ALICE))
    assert d.user.found is True and d.user.username == "alice" and d.user.enabled is True
    assert d.prediction.will_send is True
    assert d.prediction.medium is DeliveryMedium.EMAIL
    assert d.prediction.attribute == "email"
    assert d.prediction.destination == "a***@e***"
    assert d.next_step is NextStep.RESEND
    assert d.addressable is True
    assert Code.DEFAULT_EMAIL_DAILY_CAP in {f.code for f in d.findings}


def test_phone_wins_when_both_are_auto_verified_and_present() -> None:
    d = diagnose(given_input(FRANK))
    assert d.prediction.medium is DeliveryMedium.SMS
    assert d.prediction.attribute == "phone_number"
    assert d.prediction.destination == "+*******0124"
    only_email = replace(POOL, auto_verified=("email",))
    assert diagnose(given_input(FRANK, pool=only_email)).prediction.medium is DeliveryMedium.EMAIL
    assert delivery_attribute(ALICE, POOL) == "email"


def test_already_confirmed() -> None:
    d = diagnose(given_input(CAROL))
    assert Code.ALREADY_CONFIRMED in {f.code for f in d.findings}
    assert d.prediction.will_send is False and d.next_step is NextStep.NONE
    assert Code.ALREADY_CONFIRMED not in codes(ALICE)


def test_user_not_found_and_simulated_only_where_the_client_prevents_existence_errors() -> None:
    legacy = codes(identifier="nobody", client=LEGACY)
    assert Code.USER_NOT_FOUND in legacy and Code.SIMULATED_DELIVERY not in legacy
    enabled = diagnose(given_input(identifier="nobody", client=ENABLED))
    assert {Code.USER_NOT_FOUND, Code.SIMULATED_DELIVERY} <= {f.code for f in enabled.findings}
    assert enabled.user.found is False and enabled.addressable is False
    assert Code.USER_NOT_FOUND not in codes(ALICE)


def test_unverified_alias_names_the_real_username() -> None:
    d = diagnose(given_input(by_email(ALICE), identifier="alice@example.com", client=ENABLED))
    alias = next(f for f in d.findings if f.code is Code.UNVERIFIED_ALIAS)
    assert "'alice'" in alias.detail and alias.severity is Severity.ERROR
    assert d.has(Code.SIMULATED_DELIVERY)
    assert d.next_step is NextStep.USE_USERNAME and d.addressable is False
    verified = by_email(replace(ALICE, email_verified=True))
    assert Code.UNVERIFIED_ALIAS not in codes(verified, identifier="alice@example.com")
    # Email as the username (UsernameAttributes) works in every API but ListUsers.
    as_username = replace(POOL, alias_attributes=(), username_attributes=("email",))
    assert Code.UNVERIFIED_ALIAS not in codes(by_email(ALICE), pool=as_username)
    no_alias = replace(POOL, alias_attributes=())
    assert Code.NOT_AN_ALIAS in codes(by_email(ALICE), pool=no_alias)


def test_force_change_password_offers_the_invitation() -> None:
    d = diagnose(given_input(DAVE))
    assert d.has(Code.FORCE_CHANGE_PASSWORD)
    assert d.next_step is NextStep.RESEND_INVITATION and d.prediction.will_send is False
    assert Code.FORCE_CHANGE_PASSWORD not in codes(ALICE)


def test_disabled_user() -> None:
    d = diagnose(given_input(ERIN, client=ENABLED))
    assert d.has(Code.USER_DISABLED) and d.has(Code.SIMULATED_DELIVERY)
    assert d.prediction.will_send is False and d.addressable is False
    assert d.user.enabled is False
    assert Code.USER_DISABLED not in codes(ALICE)


def test_no_auto_verified_attribute() -> None:
    off = replace(POOL, auto_verified=())
    d = diagnose(given_input(ALICE, pool=off))
    assert d.has(Code.NO_AUTO_VERIFIED_ATTRIBUTE) and d.prediction.will_send is False
    assert d.next_step is NextStep.CONFIRM
    # Known from the pool alone, even when the user could not be looked up.
    assert diagnose(given_input(pool=off, lookup=False)).has(Code.NO_AUTO_VERIFIED_ATTRIBUTE)
    assert Code.NO_AUTO_VERIFIED_ATTRIBUTE not in codes(ALICE)


def test_no_delivery_attribute() -> None:
    only_email = replace(POOL, auto_verified=("email",))
    assert Code.NO_DELIVERY_ATTRIBUTE in codes(BOB, pool=only_email)
    assert Code.NO_DELIVERY_ATTRIBUTE not in codes(BOB)


def test_default_email_cap_versus_ses() -> None:
    assert Code.DEFAULT_EMAIL_DAILY_CAP in codes(ALICE)
    ses = replace(POOL, email_sending_account="DEVELOPER", email_from="noreply@corp.example")
    found = codes(ALICE, pool=ses)
    assert Code.SES_SANDBOX_POSSIBLE in found and Code.DEFAULT_EMAIL_DAILY_CAP not in found
    assert Code.DEFAULT_EMAIL_DAILY_CAP not in codes(BOB)  # SMS, not email


def test_sms_sandbox_and_configuration_failure() -> None:
    assert Code.SMS_SANDBOX in codes(
        BOB, pool=replace(POOL, sms_configuration_failure="SNSSandbox")
    )
    other = replace(POOL, sms_configuration_failure="InvalidSmsRoleAccessPolicyException")
    assert Code.SMS_CONFIGURATION_FAILURE in codes(BOB, pool=other)
    plain = codes(BOB)
    assert Code.SMS_SANDBOX not in plain and Code.SMS_CONFIGURATION_FAILURE not in plain
    assert Code.SMS_LIMITS in plain


def test_confirm_with_link() -> None:
    link = replace(POOL, default_email_option="CONFIRM_WITH_LINK")
    assert Code.CONFIRM_WITH_LINK in codes(ALICE, pool=link)
    assert Code.CONFIRM_WITH_LINK not in codes(ALICE)
    assert Code.CONFIRM_WITH_LINK not in codes(BOB, pool=link)  # SMS always carries a code


def test_custom_message_and_sender_triggers() -> None:
    arn = "arn:aws:lambda:us-east-1:123456789012:function:sandbox-custom-message"
    d = diagnose(given_input(ALICE, pool=replace(POOL, custom_message_lambda=arn)))
    trigger = next(f for f in d.findings if f.code is Code.CUSTOM_MESSAGE_TRIGGER)
    assert arn in trigger.detail
    assert Code.CUSTOM_MESSAGE_TRIGGER not in codes(ALICE)
    sender = replace(POOL, custom_email_sender_lambda="arn:aws:lambda:x:1:function:send")
    assert Code.CUSTOM_SENDER_TRIGGER in codes(ALICE, pool=sender)
    assert Code.CUSTOM_SENDER_TRIGGER not in codes(BOB, pool=sender)


def test_secret_missing() -> None:
    secret = replace(LEGACY, has_secret=True)
    assert Code.SECRET_MISSING in codes(ALICE, client=secret, profile_has_secret=False)
    assert Code.SECRET_MISSING not in codes(ALICE, client=secret, profile_has_secret=True)
    assert Code.SECRET_MISSING not in codes(ALICE, profile_has_secret=False)


def _resend(minutes_ago: int, *, limited: bool = False, username: str = "alice") -> Attempt:
    a = Attempt("p", username, "cid", "us-east-1", started_at=NOW - timedelta(minutes=minutes_ago))
    if limited:
        return a.failed(decode("LimitExceededException", "Attempt limit exceeded"))
    return a.delivered(DeliveryDetails("a***", DeliveryMedium.EMAIL, "email"), request_id=None,
                       http_status=200)  # fmt: skip


def test_recent_attempts_warn_before_the_likely_limit() -> None:
    one = diagnose(given_input(ALICE, recent=(_resend(5),)))
    finding = next(f for f in one.findings if f.code is Code.RECENT_ATTEMPTS)
    assert finding.severity is Severity.INFO
    three = diagnose(given_input(ALICE, recent=tuple(_resend(m) for m in (1, 2, 3))))
    assert next(f for f in three.findings if f.code is Code.RECENT_ATTEMPTS).severity is (
        Severity.WARNING
    )
    # Older than an hour, another user, or another kind of attempt: not counted.
    other = (
        _resend(90),
        _resend(1, username="bob"),
        replace(_resend(1), kind=AttemptKind.SIGNUP),
    )
    assert Code.RECENT_ATTEMPTS not in codes(ALICE, recent=other)
    # Attempts made by email count for the user they belong to.
    assert Code.RECENT_ATTEMPTS in codes(ALICE, recent=(_resend(1, username="alice@example.com"),))


def test_attempt_limit_hit_says_wait() -> None:
    d = diagnose(given_input(ALICE, recent=(_resend(2, limited=True),)))
    assert d.has(Code.ATTEMPT_LIMIT_HIT) and d.next_step is NextStep.WAIT
    assert Code.ATTEMPT_LIMIT_HIT not in codes(ALICE, recent=(_resend(2),))


def test_several_matches_are_listed() -> None:
    twin = replace(ALICE, username="alice2")
    d = diagnose(given_input(by_email(ALICE), by_email(twin), identifier="alice@example.com"))
    assert d.has(Code.SEVERAL_MATCHES) and d.matches == ("alice", "alice2")
    assert d.prediction.will_send is None and d.next_step is NextStep.USE_USERNAME


def test_nothing_checked_without_credentials_is_said() -> None:
    why = NotChecked(Area.USER, "no AWS credentials", "name an AWS profile")
    d = diagnose(given_input(pool=None, client=None, lookup=False, not_checked=(why,)))
    assert d.user.found is None and d.prediction.will_send is None
    assert d.checked == (Area.HISTORY,)
    assert d.not_checked == (why,)
    assert d.findings == ()


def test_json_has_the_documented_keys() -> None:
    data = diagnosis_to_dict(diagnose(given_input(by_email(ALICE), identifier="alice@example.com")))
    assert set(data) >= {"user", "prediction", "findings", "checked", "not_checked"}
    user, prediction, findings = data["user"], data["prediction"], data["findings"]
    assert isinstance(user, dict) and isinstance(prediction, dict)
    assert isinstance(findings, list)
    assert set(user) >= {"found", "username", "status", "enabled"}
    assert set(prediction) >= {"will_send", "medium", "attribute", "destination", "reason"}
    for f in findings:
        assert set(f) == {"code", "severity", "title", "detail", "remedy"}
        assert f["severity"] in ("error", "warning", "info")
    json.dumps(data)


@DETERMINISTIC
@given(inputs)
def test_properties_hold_for_any_input(data: object) -> None:
    from app.core.diagnosis_result import DiagnosisInput

    assert isinstance(data, DiagnosisInput)
    d = diagnose(data)
    assert d == diagnose(data)  # pure
    found = [f.code for f in d.findings]
    assert len(found) == len(set(found)), found
    assert (d.user.found is None) == (data.matches is None)
    if d.prediction.will_send:
        assert data.matches is not None and len(data.matches) == 1
        user = data.matches[0]
        assert user.enabled and user.status == "UNCONFIRMED"
        assert data.pool is not None and data.pool.auto_verified
        assert d.prediction.attribute == delivery_attribute(user, data.pool)
        value = user.value(d.prediction.attribute or "") or ""
        assert d.prediction.destination and value not in d.prediction.destination
    if Code.SIMULATED_DELIVERY in found:
        assert data.client is not None and data.client.prevents_user_existence_errors
        assert d.addressable is False
    # Masked everywhere: no full address or number in the JSON.
    text = json.dumps(diagnosis_to_dict(d)) + diagnosis_text(d)
    for user in data.matches or ():
        for contact in (user.email, user.phone_number):
            if contact:
                assert contact not in text
