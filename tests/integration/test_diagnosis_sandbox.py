"""Every finding through the sandbox over HTTP, signed with its keys; the support actions too."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

import pytest

from app.core.diagnosis_result import Code, Diagnosis, NextStep
from app.core.outcome import (
    Attempt,
    AttemptKind,
    DeliveryDetails,
    DeliveryMedium,
    DeliveryVerdict,
    Status,
)
from app.core.profile import SANDBOX_PROFILE_NAME, Profile
from app.core.secrets import Secret
from app.core.verdict import judge
from app.sandbox.server import Sandbox
from app.services.admin_reader import AdminReader, AdminReadError
from app.services.admin_targets import sandbox_target
from app.services.aws_session import AdminTarget, AwsClients, AwsCredentialSource, StaticKeys
from app.services.diagnosis_service import DiagnosisService
from app.services.support_actions import SupportActions

pytestmark = pytest.mark.usefixtures("no_aws_credentials")


@pytest.fixture(scope="module")
def service(sandbox: Sandbox) -> Iterator[DiagnosisService]:
    svc = DiagnosisService(AdminReader(AwsClients()))
    yield svc
    svc.close()


def _target(box: Sandbox, client: str = "protected") -> AdminTarget:
    info = box.info
    profile = Profile(SANDBOX_PROFILE_NAME, info.region, info.endpoint_url, builtin=True)
    return sandbox_target(info, profile, client)


def _diagnose(
    svc: DiagnosisService, box: Sandbox, who: str, client: str = "protected"
) -> Diagnosis:
    return svc.diagnose(_target(box, client), who)


def test_alice_by_username_gets_a_code_by_email(
    fresh_sandbox: Sandbox, service: DiagnosisService
) -> None:
    d = _diagnose(service, fresh_sandbox, "alice")
    assert d.user.found is True and d.user.status == "UNCONFIRMED"
    assert d.prediction.will_send is True and d.prediction.destination == "a***@e***"
    assert d.has(Code.DEFAULT_EMAIL_DAILY_CAP)
    assert set(d.checked) >= {"user", "pool", "client"}


def test_alices_email_is_not_a_verified_alias(
    fresh_sandbox: Sandbox, service: DiagnosisService
) -> None:
    d = _diagnose(service, fresh_sandbox, "alice@example.com")
    assert d.has(Code.UNVERIFIED_ALIAS) and d.has(Code.SIMULATED_DELIVERY)
    assert "'alice'" in next(f.detail for f in d.findings if f.code is Code.UNVERIFIED_ALIAS)
    legacy = _diagnose(service, fresh_sandbox, "alice@example.com", client="public")
    assert legacy.has(Code.UNVERIFIED_ALIAS) and not legacy.has(Code.SIMULATED_DELIVERY)


@pytest.mark.parametrize(
    ("who", "code", "step"),
    [
        ("carol", Code.ALREADY_CONFIRMED, NextStep.NONE),
        ("dave", Code.FORCE_CHANGE_PASSWORD, NextStep.RESEND_INVITATION),
        ("erin", Code.USER_DISABLED, NextStep.NONE),
        ("nobody-here", Code.USER_NOT_FOUND, NextStep.NONE),
    ],
)
def test_users_no_code_is_for(
    fresh_sandbox: Sandbox, service: DiagnosisService, who: str, code: Code, step: NextStep
) -> None:
    d = _diagnose(service, fresh_sandbox, who)
    assert d.has(code), d.findings
    assert d.next_step is step and d.prediction.will_send is False


def test_frank_gets_an_sms(fresh_sandbox: Sandbox, service: DiagnosisService) -> None:
    d = _diagnose(service, fresh_sandbox, "frank")
    assert d.prediction.medium is DeliveryMedium.SMS
    assert d.prediction.destination == "+*******0124"


def test_the_other_pools(fresh_sandbox: Sandbox, service: DiagnosisService) -> None:
    assert _diagnose(service, fresh_sandbox, "ivan", "no-verify").has(
        Code.NO_AUTO_VERIFIED_ATTRIBUTE
    )
    assert _diagnose(service, fresh_sandbox, "judy", "link").has(Code.CONFIRM_WITH_LINK)


def test_a_custom_message_trigger_is_named(
    fresh_sandbox: Sandbox, service: DiagnosisService
) -> None:
    fresh_sandbox.set_custom_message_trigger("tests/data/triggers/handlers.py:ok")
    try:
        service.reader.forget()
        d = _diagnose(service, fresh_sandbox, "alice")
    finally:
        fresh_sandbox.set_custom_message_trigger(None)
        service.reader.forget()
    finding = next(f for f in d.findings if f.code is Code.CUSTOM_MESSAGE_TRIGGER)
    assert "function:sandbox-custom-message" in finding.detail


def test_recent_attempts_come_from_the_history(fresh_sandbox: Sandbox) -> None:
    sent = Attempt("Sandbox", "alice", "c", "us-east-1").delivered(
        DeliveryDetails("a***", DeliveryMedium.EMAIL, "email"), request_id=None, http_status=200
    )
    svc = DiagnosisService(
        AdminReader(AwsClients()), lambda profile, names: (sent,) * 3 if "alice" in names else ()
    )
    try:
        d = _diagnose(svc, fresh_sandbox, "alice")
    finally:
        svc.close()
    assert d.has(Code.RECENT_ATTEMPTS) and "history" in d.checked


def test_the_verdict_is_exact(fresh_sandbox: Sandbox, service: DiagnosisService) -> None:
    delivered = Attempt("Sandbox", "x", "c", "us-east-1").delivered(
        DeliveryDetails("x", DeliveryMedium.EMAIL, "email"), request_id=None, http_status=200
    )
    real = judge(replace(delivered, username="alice"), _diagnose(service, fresh_sandbox, "alice"))
    assert real.verdict is DeliveryVerdict.DELIVERED
    fake = judge(replace(delivered, username="ghost"), _diagnose(service, fresh_sandbox, "ghost"))
    assert fake.verdict is DeliveryVerdict.SIMULATED and fake.outcome_label == "Simulated"


def test_an_unknown_key_is_decoded_and_said(fresh_sandbox: Sandbox) -> None:
    bad = replace(
        _target(fresh_sandbox),
        source=AwsCredentialSource(static=StaticKeys("AKIAUNKNOWN", Secret("nope"))),
    )
    with pytest.raises(AdminReadError) as caught:
        AdminReader(AwsClients()).pool(bad)
    assert caught.value.failure.title == "AWS keys not accepted"
    svc = DiagnosisService(AdminReader(AwsClients()))
    try:
        d = svc.diagnose(bad, "alice")
    finally:
        svc.close()
    assert d.user.found is None and {n.area for n in d.not_checked} >= {"user", "pool"}


class _History(list[Attempt]):
    def append(self, attempt: Attempt) -> None:
        super().append(attempt)


def test_support_actions_change_the_user_and_land_in_the_history(
    fresh_sandbox: Sandbox, service: DiagnosisService
) -> None:
    history = _History()
    clients = AwsClients()
    actions = SupportActions(AdminReader(clients), history)
    target = _target(fresh_sandbox)
    invited = actions.resend_invitation(target, "dave")
    assert invited.status is Status.DELIVERED, invited.failure
    assert invited.kind is AttemptKind.ADMIN_RESEND_INVITATION
    assert invited.delivery is not None and invited.delivery.destination == "d***@e***"
    confirmed = actions.confirm(target, "alice", mark_verified="email")
    assert confirmed.status is Status.SUCCEEDED, confirmed.failure
    assert confirmed.kind is AttemptKind.ADMIN_CONFIRM and confirmed.outcome_label == "Confirmed"
    assert history == [invited, confirmed]
    after = _diagnose(service, fresh_sandbox, "alice")
    assert after.user.status == "CONFIRMED" and after.user.email_verified is True
    # Now a verified alias: the email finds her, and she is confirmed.
    assert _diagnose(service, fresh_sandbox, "alice@example.com").has(Code.ALREADY_CONFIRMED)


def test_the_read_only_key_may_not_confirm(fresh_sandbox: Sandbox) -> None:
    keys = fresh_sandbox.info.aws_credentials.read_only
    target = replace(
        _target(fresh_sandbox),
        source=AwsCredentialSource(
            static=StaticKeys(keys.access_key_id, Secret(keys.secret_access_key))
        ),
    )
    history = _History()
    clients = AwsClients()
    attempt = SupportActions(AdminReader(clients), history).confirm(target, "bob")
    assert attempt.status is Status.FAILED and attempt.failure is not None
    assert attempt.failure.title == "Not allowed: cognito-idp:AdminConfirmSignUp"
    assert history == [attempt]
    assert keys.secret_access_key not in repr(attempt)


def test_why_didnt_it_arrive_reads_the_bounce(
    fresh_sandbox: Sandbox, service: DiagnosisService
) -> None:
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    info = fresh_sandbox.info
    cognito = boto3.session.Session().client(
        "cognito-idp", region_name=info.region, endpoint_url=info.endpoint_url,
        config=Config(signature_version=UNSIGNED, retries={"total_max_attempts": 1}),
    )  # fmt: skip
    started = Attempt("Sandbox", "grace", info.client("protected").client_id, info.region)
    answer = cognito.resend_confirmation_code(ClientId=started.client_id, Username="grace")
    details = answer["CodeDeliveryDetails"]
    sent = started.delivered(
        DeliveryDetails(details["Destination"], DeliveryMedium.EMAIL, "email"),
        request_id=None,
        http_status=200,
    )
    deadline = time.monotonic() + 5
    while True:
        items = service.why_not_arrived(_target(fresh_sandbox), sent)
        if items[0].title.startswith("Cognito logged") or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert items[0].title == "Cognito logged a delivery error for this user", items
    titles = [i.title for i in items]
    assert "Cognito's daily email cap" in titles and "Only the newest code works" in titles


def test_why_didnt_it_arrive_shows_the_triggers_log_lines(
    fresh_sandbox: Sandbox, service: DiagnosisService
) -> None:
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    info = fresh_sandbox.info
    fresh_sandbox.set_custom_message_trigger("tests/data/triggers/handlers.py:ok")
    service.reader.forget()
    try:
        cognito = boto3.session.Session().client(
            "cognito-idp", region_name=info.region, endpoint_url=info.endpoint_url,
            config=Config(signature_version=UNSIGNED, retries={"total_max_attempts": 1}),
        )  # fmt: skip
        started = Attempt("Sandbox", "alice", info.client("protected").client_id, info.region)
        cognito.resend_confirmation_code(ClientId=started.client_id, Username="alice")
        sent = started.delivered(
            DeliveryDetails("a***@e***", DeliveryMedium.EMAIL, "email"),
            request_id=None,
            http_status=200,
        )
        items = service.why_not_arrived(_target(fresh_sandbox), sent)
    finally:
        fresh_sandbox.set_custom_message_trigger(None)
        service.reader.forget()
    by_title = {i.title: i for i in items}
    trigger = by_title["The CustomMessage trigger's log lines around the send (best-effort)"]
    assert "START RequestId" in trigger.detail
    assert "A trigger may have changed the text" in by_title
    assert "No delivery error was logged" in by_title
