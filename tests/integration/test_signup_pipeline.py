"""The sign-up pipeline over real HTTP against the sandbox: one history write per call, the
SecretHash of a client with a secret, the local trigger's CustomMessage_SignUp run in the
notes, the newest code confirms."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from app.core.outcome import AttemptKind, Status
from app.core.request import ResendInput
from app.core.secrets import Secret
from app.core.signup import ConfirmInput, SignUpInput
from app.sandbox.server import Sandbox
from app.services.cognito_gateway import CognitoGateway, GatewayConfig
from app.services.credentials import CredentialResolver
from app.services.sandbox_profile import sandbox_target
from app.services.signup_pipeline import SignUpPipeline
from app.services.trigger_service import TriggerService
from tests.integration.test_pipeline import HANDLERS, CountingSink

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def box(sandbox: Sandbox) -> Iterator[Sandbox]:
    sandbox.reset()
    yield sandbox
    sandbox.reset()


def test_sign_up_with_a_secret_and_a_local_trigger_then_confirm(
    box: Sandbox, no_aws_credentials: None
) -> None:
    box.set_custom_message_trigger(f"{HANDLERS}:ok")
    target = sandbox_target(box.info, "secret")
    sink = CountingSink()
    pipeline = SignUpPipeline(
        CognitoGateway(GatewayConfig()), sink,
        CredentialResolver(None, sandbox=lambda: target.credentials), TriggerService(),
    )  # fmt: skip
    username = f"pipe-{uuid.uuid4().hex[:8]}"
    raw = SignUpInput(
        ResendInput("", username, client_metadata=(("flow", "qa"),)),
        password=Secret("Pipe-line-Pw1!"),
        user_attributes=[("email", f"{username}@example.com")],
    )
    signed = pipeline.sign_up(target.profile, raw)
    assert signed.status is Status.DELIVERED, signed.failure
    assert signed.kind is AttemptKind.SIGNUP and signed.used_secret_hash
    assert "Password: typed" in signed.notes and "User sub:" in signed.notes
    assert "Local CustomMessage trigger" in signed.notes  # CustomMessage_SignUp ran
    code = box.inbox(username)[-1].code
    assert code
    confirmed = pipeline.confirm(target.profile, ConfirmInput(ResendInput("", username), code))
    assert confirmed.status is Status.SUCCEEDED, confirmed.failure
    assert sink.writes == [signed, confirmed]
