"""The local CustomMessage trigger on sign-up, its retries and the over-long fallback.

Cognito tries a trigger that does not answer within 5 s three times (developer guide,
Lambda triggers); a message over 20,000 (email) or 140 (SMS) characters is silently replaced
by the default message (reports: amazon-cognito-identity-js#396, #155). A sandbox with a
1-second limit keeps the retry tests short.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core.trigger_event import build_custom_message_event
from app.sandbox.control import SandboxControl
from app.sandbox.resend import DEFAULT_TEMPLATE
from app.sandbox.server import Sandbox
from tests.support.sandbox import make_cognito_client, running_sandbox

HANDLERS = Path(__file__).resolve().parents[1] / "data" / "triggers" / "handlers.py"
FLAKY = """\
import os
import time


def flaky(event, context):
    path = event["request"]["clientMetadata"]["count_file"]
    seen = int(open(path).read()) if os.path.exists(path) else 0
    with open(path, "w") as out:
        out.write(str(seen + 1))
    print("try", seen + 1)
    if seen < int(event["request"]["clientMetadata"]["hang_tries"]):
        time.sleep(30)
    event["response"]["emailMessage"] = "third time lucky: " + event["request"]["codeParameter"]
    return event
"""


@pytest.fixture
def fresh(sandbox: Sandbox) -> Iterator[Sandbox]:
    sandbox.reset()
    yield sandbox
    sandbox.reset()


@pytest.fixture(scope="module")
def quick() -> Iterator[Sandbox]:
    with running_sandbox(trigger_timeout_s=1.0) as box:
        yield box


@pytest.fixture
def flaky(quick: Sandbox, tmp_path: Path) -> Iterator[tuple[Sandbox, Any, Path]]:
    quick.reset()
    handler = tmp_path / "flaky.py"
    handler.write_text(FLAKY)
    quick.set_custom_message_trigger(f"{handler}:flaky")
    yield quick, make_cognito_client(quick.info), tmp_path / "count"
    quick.reset()


def _resend(box: Sandbox, cognito: Any, username: str = "alice", **metadata: str) -> Any:
    return cognito.resend_confirmation_code(
        ClientId=box.info.client("public").client_id, Username=username, ClientMetadata=metadata
    )


def test_a_trigger_that_answers_on_the_third_try_is_used(
    flaky: tuple[Sandbox, Any, Path],
) -> None:
    box, cognito, counter = flaky
    _resend(box, cognito, count_file=str(counter), hang_tries="2")
    [message] = box.inbox("alice")
    assert message.message == "third time lucky: " + message.code
    run = message.trigger
    assert run is not None and run.ok
    assert [t["outcome"] for t in run.tries] == ["timeout", "timeout", "ok"]
    assert all(t["duration_ms"] >= 1000 for t in run.tries[:2])
    assert run.stdout == "try 1\ntry 2\ntry 3\n"
    # The control endpoint serves the same record (what the app's notes show).
    [served] = SandboxControl(box.info.endpoint_url).trigger_runs()
    assert served.tries == run.tries


def test_three_timeouts_give_up(flaky: tuple[Sandbox, Any, Path]) -> None:
    from botocore.exceptions import ClientError

    box, cognito, counter = flaky
    with pytest.raises(ClientError) as caught:
        _resend(box, cognito, count_file=str(counter), hang_tries="3")
    assert caught.value.response["Error"]["Code"] == "UnexpectedLambdaException"
    assert counter.read_text() == "3"
    [run] = box.trigger_runs()
    assert [t["outcome"] for t in run.tries] == ["timeout"] * 3
    assert box.inbox("alice") == []


@pytest.mark.parametrize(("username", "key", "limit"), [("alice", "emailMessage", "20,000"),
                                                        ("bob", "smsMessage", "140")])  # fmt: skip
def test_an_over_long_message_falls_back_to_the_default(
    fresh: Sandbox, sandbox_cognito: Any, username: str, key: str, limit: str
) -> None:
    fresh.set_custom_message_trigger(f"{HANDLERS}:too_long")
    answer = _resend(fresh, sandbox_cognito, username)
    assert answer["CodeDeliveryDetails"]["Destination"]
    [message] = fresh.inbox(username)
    # The pool's own message, exactly what a resend without a trigger sends.
    fresh.set_custom_message_trigger(None)
    _resend(fresh, sandbox_cognito, username)
    plain = fresh.inbox(username)[-1]
    assert message.message == plain.message.replace(plain.code, message.code)
    assert plain.message.startswith(DEFAULT_TEMPLATE.split("{####}")[0])
    run = message.trigger
    assert run is not None and run.ok and run.error_type is None
    notes = [note for note in run.dropped if note.startswith(key)]
    assert len(notes) == 1 and f"limit is {limit}" in notes[0] and "dropped" in notes[0]
    # The run still shows what the handler returned.
    assert len(run.answer["response"][key]) > int(limit.replace(",", ""))


def test_sign_up_calls_the_trigger_with_custom_message_sign_up(
    fresh: Sandbox, sandbox_cognito: Any, tmp_path: Path
) -> None:
    dump_to = tmp_path / "event.json"
    fresh.set_custom_message_trigger(f"{HANDLERS}:dump")
    metadata = {"dump_to": str(dump_to), "flow": "signup"}
    client_id = fresh.info.client("public").client_id
    answer = sandbox_cognito.sign_up(
        ClientId=client_id,
        Username="nora",
        Password="Sandbox-Passw0rd!",
        UserAttributes=[{"Name": "email", "Value": "nora@example.net"}],
        ClientMetadata=metadata,
    )
    delivered = json.loads(dump_to.read_text(encoding="utf-8"))
    assert delivered["triggerSource"] == "CustomMessage_SignUp"
    [run] = fresh.trigger_runs()
    assert run.trigger_source == "CustomMessage_SignUp"
    assert fresh.inbox("nora")[0].trigger_source == "CustomMessage_SignUp"
    # Apart from triggerSource, the event is the one the app's own builder previews.
    preview = build_custom_message_event(
        region=fresh.info.region,
        user_pool_id=fresh.info.user_pool_id,
        username="nora",
        client_id=client_id,
        client_metadata=metadata,
        user_attributes=fresh.user_attributes("nora"),
    )
    assert {k: v for k, v in preview.items() if k != "triggerSource"} == {
        k: v for k, v in delivered.items() if k != "triggerSource"
    }
    assert delivered["request"]["userAttributes"]["sub"] == answer["UserSub"]
