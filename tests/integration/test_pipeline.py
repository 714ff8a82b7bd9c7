"""The resend pipeline over real HTTP: exactly one history write per attempt, trigger or not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.outcome import Attempt, Status
from app.core.profile import Profile
from app.core.request import ResendInput
from app.sandbox.server import Sandbox
from app.services.cognito_gateway import CognitoGateway, GatewayConfig
from app.services.credentials import CredentialResolver, ResolvedCredentials
from app.services.history_sink import HistorySink
from app.services.pipeline import ResendPipeline
from app.services.sandbox_profile import sandbox_target
from app.services.trigger_service import TriggerService

pytestmark = pytest.mark.timeout(60)

HANDLERS = Path(__file__).resolve().parents[1] / "data" / "triggers" / "handlers.py"


class CountingSink:
    """A HistorySink that counts every write (no cast needed to pass it in)."""

    def __init__(self) -> None:
        self.writes: list[Attempt] = []

    def append(self, attempt: Attempt, /) -> None:
        self.writes.append(attempt)


@pytest.fixture
def box(sandbox: Sandbox) -> Iterator[Sandbox]:
    # The session sandbox, reset: the trigger a test attaches must not leak.
    sandbox.reset()
    yield sandbox
    sandbox.reset()


@pytest.fixture
def gateway(no_aws_credentials: None) -> CognitoGateway:
    return CognitoGateway(GatewayConfig(backoff_base=0.01, backoff_cap=0.05))


def _pipeline(box: Sandbox, gateway: CognitoGateway, sink: HistorySink) -> ResendPipeline:
    target = sandbox_target(box.info, "secret")
    resolver = CredentialResolver(None, sandbox=lambda: target.credentials)
    return ResendPipeline(gateway, sink, resolver, TriggerService())


def _send(pipeline: ResendPipeline, profile: Profile, username: str = "alice") -> Attempt:
    raw = ResendInput(client_id="", username=username, client_metadata=(("flow", "qa"),))
    prepared = pipeline.prepare(profile, raw, pipeline.resolver.resolve(profile))
    assert prepared.attempt.status is Status.PENDING and prepared.request is not None
    return pipeline.execute(prepared)


def test_one_history_write_without_a_trigger(box: Sandbox, gateway: CognitoGateway) -> None:
    sink = CountingSink()
    profile = sandbox_target(box.info, "secret").profile
    final = _send(_pipeline(box, gateway, sink), profile)
    assert final.status is Status.DELIVERED, final.failure
    assert final.used_secret_hash and final.notes in (None, "")
    assert sink.writes == [final]


def test_one_history_write_with_a_local_trigger_notes_included(
    box: Sandbox, gateway: CognitoGateway
) -> None:
    box.set_custom_message_trigger(f"{HANDLERS}:ok")
    sink = CountingSink()
    profile = sandbox_target(box.info, "secret").profile
    final = _send(_pipeline(box, gateway, sink), profile)
    assert final.status is Status.DELIVERED, final.failure
    assert final.notes is not None and "Local CustomMessage trigger" in final.notes
    assert "Your code (qa)" in final.notes
    # The single write already holds the notes: nobody has to write the row again.
    assert sink.writes == [final]


def test_one_history_write_when_refused_before_sending(
    box: Sandbox, gateway: CognitoGateway
) -> None:
    sink = CountingSink()
    pipeline = ResendPipeline(gateway, sink, CredentialResolver(None), TriggerService())
    stored = Profile(name="stored", region=box.info.region, endpoint_url=box.info.endpoint_url)
    raw = ResendInput(client_id="", username="alice")
    prepared = pipeline.prepare(stored, raw, pipeline.resolver.resolve(stored))
    assert prepared.request is None and prepared.refusal is not None
    final = pipeline.execute(prepared)
    assert final.failure is not None and final.failure.code == "CredentialsUnavailable"
    assert sink.writes == [final]
    assert box.inbox() == []


def test_one_history_write_for_an_invalid_request(box: Sandbox, gateway: CognitoGateway) -> None:
    sink = CountingSink()
    target = sandbox_target(box.info, "public")
    pipeline = _pipeline(box, gateway, sink)
    raw = ResendInput(client_id="", username="two words")
    prepared = pipeline.prepare(target.profile, raw, ResolvedCredentials(target.credentials))
    final = pipeline.execute(prepared)
    assert final.failure is not None and final.failure.code == "ParamValidation"
    assert sink.writes == [final]
