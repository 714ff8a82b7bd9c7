"""The sandbox's CloudWatch Logs through a signed boto3 `logs` client: bounces, trigger runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from app.sandbox.server import Sandbox
from tests.support.sandbox import make_signed_client

HANDLERS = Path(__file__).resolve().parents[1] / "data" / "triggers" / "handlers.py"
LAMBDA_GROUP = "/aws/lambda/sandbox-custom-message"


@pytest.fixture
def box(clean_sandbox: Sandbox) -> Sandbox:
    return clean_sandbox


def _group(box: Sandbox) -> str:
    return f"/aws/cognito/userpools/{box.info.user_pool_id}/user-notification"


def _resend(cognito: Any, box: Sandbox, username: str, client: str = "public") -> Any:
    return cognito.resend_confirmation_code(
        ClientId=box.info.client(client).client_id, Username=username
    )


def _notifications(logs: Any, box: Sandbox, pattern: str | None = None) -> list[dict[str, Any]]:
    params: dict[str, Any] = {"logGroupName": _group(box)}
    if pattern is not None:
        params["filterPattern"] = pattern
    return [json.loads(e["message"]) for e in logs.filter_log_events(**params)["events"]]


def test_the_pool_log_group_exists_and_starts_empty(box: Sandbox, sandbox_logs: Any) -> None:
    groups = sandbox_logs.describe_log_groups(logGroupNamePrefix="/aws/cognito/userpools/")
    assert [g["logGroupName"] for g in groups["logGroups"]] == [_group(box)]
    assert _notifications(sandbox_logs, box) == []


def test_a_code_to_grace_bounces_into_the_user_notification_log(
    box: Sandbox, sandbox_cognito: Any, sandbox_logs: Any
) -> None:
    answer = _resend(sandbox_cognito, box, "grace")
    # The API said delivered, as Cognito does: the bounce shows only in the logs.
    assert answer["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    request_id = answer["ResponseMetadata"]["RequestId"]
    [event] = _notifications(sandbox_logs, box, '"grace"')
    assert set(event) == {"eventTimestamp", "eventSource", "logLevel", "message", "logSourceId"}
    assert (event["eventSource"], event["logLevel"]) == ("USER_NOTIFICATION", "ERROR")
    assert event["logSourceId"] == {"userPoolId": box.info.user_pool_id}
    details = event["message"]["details"]
    assert "bounce@simulator.amazonses.com" in details and "grace" in details
    assert request_id in details
    assert int(event["eventTimestamp"]) > 0
    streams = sandbox_logs.describe_log_streams(logGroupName=_group(box))["logStreams"]
    assert len(streams) == 1
    got = sandbox_logs.get_log_events(
        logGroupName=_group(box), logStreamName=streams[0]["logStreamName"]
    )["events"]
    assert len(got) == 1


def test_an_ordinary_delivery_writes_no_error(
    box: Sandbox, sandbox_cognito: Any, sandbox_logs: Any
) -> None:
    _resend(sandbox_cognito, box, "alice")
    _resend(sandbox_cognito, box, "frank")
    assert _notifications(sandbox_logs, box) == []


def test_an_injected_bounce_makes_the_next_delivered_code_bounce(
    box: Sandbox, sandbox_cognito: Any, sandbox_logs: Any
) -> None:
    box.inject("bounce")
    _resend(sandbox_cognito, box, "alice")
    _resend(sandbox_cognito, box, "qa-user-001")
    [event] = _notifications(sandbox_logs, box)
    assert "alice@example.com" in event["message"]["details"]
    assert box.inbox("alice")  # delivered as far as the API and the inbox are concerned


def test_a_user_named_fault_bounce_always_bounces(
    box: Sandbox, sandbox_cognito: Any, sandbox_logs: Any
) -> None:
    client_id = box.info.client("public").client_id
    sandbox_cognito.sign_up(
        ClientId=client_id,
        Username="fault-bounce",
        Password="Sandbox-Passw0rd!",
        UserAttributes=[{"Name": "email", "Value": "tester@example.com"}],
    )
    _resend(sandbox_cognito, box, "fault-bounce")
    [event] = _notifications(sandbox_logs, box, '"fault-bounce"')
    assert "tester@example.com" in event["message"]["details"]


def test_no_log_delivery_configured_no_event(
    box: Sandbox, sandbox_cognito: Any, sandbox_admin: Any, sandbox_logs: Any
) -> None:
    sandbox_admin.set_log_delivery_configuration(
        UserPoolId=box.info.user_pool_id, LogConfigurations=[]
    )
    _resend(sandbox_cognito, box, "grace")
    assert _notifications(sandbox_logs, box) == []


def test_trigger_output_goes_to_the_functions_log_group(
    box: Sandbox, sandbox_cognito: Any, sandbox_logs: Any
) -> None:
    box.set_custom_message_trigger(f"{HANDLERS}:ok")
    _resend(sandbox_cognito, box, "alice")
    streams = sandbox_logs.describe_log_streams(logGroupName=LAMBDA_GROUP)["logStreams"]
    assert len(streams) == 1
    assert "/[$LATEST]" in streams[0]["logStreamName"]
    lines = [
        e["message"]
        for e in sandbox_logs.get_log_events(
            logGroupName=LAMBDA_GROUP,
            logStreamName=streams[0]["logStreamName"],
            startFromHead=True,
        )["events"]
    ]
    assert lines[0].startswith("START RequestId: ") and lines[0].endswith(" Version: $LATEST")
    request_id = lines[0].split()[2]
    assert "ok handler for alice" in lines
    assert "a warning on stderr" in lines
    assert lines[-2] == f"END RequestId: {request_id}"
    assert lines[-1].startswith(f"REPORT RequestId: {request_id}\tDuration: ")
    assert "Billed Duration: " in lines[-1]


def test_a_failing_trigger_is_logged_too(
    box: Sandbox, sandbox_cognito: Any, sandbox_logs: Any
) -> None:
    box.set_custom_message_trigger(f"{HANDLERS}:raises")
    with pytest.raises(ClientError):
        _resend(sandbox_cognito, box, "alice")
    found = sandbox_logs.filter_log_events(logGroupName=LAMBDA_GROUP, filterPattern="START")
    assert len(found["events"]) >= 1
    every = sandbox_logs.filter_log_events(logGroupName=LAMBDA_GROUP)["events"]
    assert any("about to refuse" in e["message"] for e in every)


def test_read_only_key_reads_logs_but_cannot_write(
    box: Sandbox, sandbox_cognito: Any
) -> None:
    _resend(sandbox_cognito, box, "grace")
    reader = make_signed_client(box.info, "logs", key="read_only")
    assert len(reader.filter_log_events(logGroupName=_group(box))["events"]) == 1
    reader.describe_log_groups()
    reader.describe_log_streams(logGroupName=_group(box))
    with pytest.raises(ClientError) as caught:
        reader.create_log_group(logGroupName="/mine")
    assert caught.value.response["Error"]["Code"] == "AccessDeniedException"
    assert "logs:CreateLogGroup" in caught.value.response["Error"]["Message"]


def test_unsigned_logs_calls_are_refused(box: Sandbox) -> None:
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    client = boto3.session.Session().client(
        "logs",
        region_name=box.info.region,
        endpoint_url=box.info.endpoint_url,
        config=Config(signature_version=UNSIGNED, retries={"total_max_attempts": 1}),
    )
    with pytest.raises(ClientError) as caught:
        client.describe_log_groups()
    assert caught.value.response["Error"]["Code"] == "MissingAuthenticationTokenException"


def test_reset_empties_the_logs(box: Sandbox, sandbox_cognito: Any, sandbox_logs: Any) -> None:
    box.set_custom_message_trigger(f"{HANDLERS}:ok")
    _resend(sandbox_cognito, box, "grace")
    box.reset()
    assert _notifications(sandbox_logs, box) == []
    names = [g["logGroupName"] for g in sandbox_logs.describe_log_groups()["logGroups"]]
    assert LAMBDA_GROUP not in names
