"""The sandbox's CloudWatch Logs side: pool log delivery, user-notification errors, trigger logs.

Everything is written into moto's own logs backend, so the CloudWatch Logs reads
(FilterLogEvents, GetLogEvents, DescribeLogGroups, DescribeLogStreams) are moto's, served on
the sandbox's endpoint to requests signed for the `logs` service.
"""

from __future__ import annotations

import json
import math
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from moto.logs.models import logs_backends

from app.sandbox.auth import ACCOUNT_ID
from app.sandbox.model import InboxMessage, TriggerRun
from app.sandbox.trigger import TriggerLog

USER_NOTIFICATION: Final = "userNotification"
LAMBDA_LOG_GROUP: Final = "/aws/lambda/sandbox-custom-message"
NOTIFICATION_STREAM: Final = "sandbox-user-notification"
# Amazon SES's mailbox simulator bounce address: mail to it always bounces
# (https://docs.aws.amazon.com/ses/latest/dg/send-an-email-from-console.html).
BOUNCE_ADDRESS: Final = "bounce@simulator.amazonses.com"
_EVENT_SOURCES: Final = ("userNotification", "userAuthEvents")
_LOG_LEVELS: Final = ("ERROR", "INFO")


class LogDeliveryError(Exception):
    """A Get/SetLogDeliveryConfiguration request Cognito would refuse (__type, message)."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message


def user_notification_group(user_pool_id: str) -> str:
    return f"/aws/cognito/userpools/{user_pool_id}/user-notification"


def log_group_arn(region: str, name: str) -> str:
    return f"arn:aws:logs:{region}:{ACCOUNT_ID}:log-group:{name}"


def _group_from_arn(arn: str) -> str | None:
    # arn:aws:logs:<region>:<account>:log-group:<name>[:*]
    _, found, name = arn.partition(":log-group:")
    if not found or not name:
        return None
    return name[:-2] if name.endswith(":*") else name


def _millis(when: datetime) -> int:
    return int(when.timestamp() * 1000)


class SandboxLogs:
    """Log delivery configurations per pool, and the events the sandbox writes to them."""

    def __init__(self, region: str, clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self._region = region
        self._clock = clock
        self._lock = threading.Lock()
        self._configs: dict[str, list[dict[str, Any]]] = {}

    def _backend(self) -> Any:
        return logs_backends[ACCOUNT_ID][self._region]

    # -- Get/SetLogDeliveryConfiguration ----------------------------------------------------

    def get_configuration(self, user_pool_id: str) -> dict[str, Any]:
        """GetLogDeliveryConfiguration's answer (no configurations: an empty list)."""
        with self._lock:
            configurations = [dict(c) for c in self._configs.get(user_pool_id, [])]
        return {
            "LogDeliveryConfiguration": {
                "UserPoolId": user_pool_id,
                "LogConfigurations": configurations,
            }
        }

    def set_configuration(self, user_pool_id: str, configurations: Any) -> dict[str, Any]:
        """SetLogDeliveryConfiguration: validated as the API reference constrains it."""
        if not isinstance(configurations, list) or len(configurations) > 2:
            raise LogDeliveryError(
                "InvalidParameterException",
                "1 validation error detected: Value at 'logConfigurations' failed to satisfy "
                "constraint: Member must have length less than or equal to 2",
            )
        kept: list[dict[str, Any]] = []
        for item in configurations:
            if not isinstance(item, dict):
                raise LogDeliveryError("SerializationException", "LogConfigurations item")
            if item.get("EventSource") not in _EVENT_SOURCES:
                raise LogDeliveryError(
                    "InvalidParameterException",
                    "1 validation error detected: Value at 'logConfigurations.1.member."
                    "eventSource' failed to satisfy constraint: Member must satisfy enum value "
                    "set: [userNotification, userAuthEvents]",
                )
            if item.get("LogLevel") not in _LOG_LEVELS:
                raise LogDeliveryError(
                    "InvalidParameterException",
                    "1 validation error detected: Value at 'logConfigurations.1.member.logLevel'"
                    " failed to satisfy constraint: Member must satisfy enum value set: "
                    "[ERROR, INFO]",
                )
            kept.append(dict(item))
        with self._lock:
            self._configs[user_pool_id] = kept
        return self.get_configuration(user_pool_id)

    def configure_user_notification(self, user_pool_id: str) -> None:
        """The seed's delivery: ERROR user notifications to the pool's own log group."""
        name = user_notification_group(user_pool_id)
        self._ensure_group(name)
        self.set_configuration(
            user_pool_id,
            [
                {
                    "EventSource": USER_NOTIFICATION,
                    "LogLevel": "ERROR",
                    "CloudWatchLogsConfiguration": {
                        "LogGroupArn": log_group_arn(self._region, name)
                    },
                }
            ],
        )

    def forget(self, keep: set[str]) -> None:
        """Drop configurations of pools other than `keep` (reset)."""
        with self._lock:
            for pool_id in [p for p in self._configs if p not in keep]:
                del self._configs[pool_id]

    def clear_groups(self, prefixes: tuple[str, ...]) -> None:
        """Delete the sandbox's own log groups (reset); they are made again on demand."""
        backend = self._backend()
        for name in list(backend.groups):
            if name.startswith(prefixes):
                backend.delete_log_group(name)

    # -- events -----------------------------------------------------------------------------

    def record_delivery(
        self, message: InboxMessage, user_pool_id: str, sub: str | None, bounce: bool
    ) -> bool:
        """After a delivered code: write the bounce error when it bounces; True if it did.

        A message bounces when it goes to SES's bounce simulator address or a `bounce`
        fault was injected for it. The event has the shape of Cognito's exported
        user-notification logs (developer guide, "Exporting logs from Amazon Cognito user
        pools": eventTimestamp, eventSource USER_NOTIFICATION, logLevel ERROR,
        message.details, logSourceId.userPoolId). The details text is sandbox wording; it
        names the user (username, sub) and the address so a search for either finds it.
        """
        if not bounce and message.destination.lower() != BOUNCE_ADDRESS:
            return False
        group = self._notification_group(user_pool_id)
        if group is None:
            return True
        medium = "email" if message.medium == "EMAIL" else "SMS"
        details = (
            f"Message delivery failed: the {medium} message to {message.destination} bounced "
            f"(hard bounce; recipient rejected). username: {message.username}, sub: {sub}, "
            f"requestId: {message.request_id}"
        )
        now = self._clock()
        event = {
            "eventTimestamp": str(_millis(now)),
            "eventSource": "USER_NOTIFICATION",
            "logLevel": "ERROR",
            "message": {"details": details},
            "logSourceId": {"userPoolId": user_pool_id},
        }
        self._put(group, NOTIFICATION_STREAM, [(now, json.dumps(event))])
        return True

    def record_trigger_run(self, run: TriggerRun) -> None:
        """The CustomMessage handler's run as Lambda logs it: START, its output, END, REPORT."""
        started = _parse(run.started_at) or self._clock()
        ended = started + timedelta(milliseconds=run.duration_ms)
        request_id = str(uuid.uuid4())
        # Lambda's stream name: date/[version]<instance id>
        # (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html).
        stream = f"{started:%Y/%m/%d}/[$LATEST]{uuid.uuid5(uuid.NAMESPACE_URL, run.handler).hex}"
        lines: list[tuple[datetime, str]] = [
            (started, f"START RequestId: {request_id} Version: $LATEST")
        ]
        for output in (run.stdout, run.stderr):
            for line in output.splitlines():
                lines.append((started, line))
        if run.error_type is not None:
            lines.append((ended, f"{run.error_type}: {run.error_message}"))
        billed = max(1, math.ceil(run.duration_ms))
        lines += [
            (ended, f"END RequestId: {request_id}"),
            (
                ended,
                f"REPORT RequestId: {request_id}\tDuration: {run.duration_ms:.2f} ms\t"
                f"Billed Duration: {billed} ms\tMemory Size: 128 MB\tMax Memory Used: 0 MB",
            ),
        ]
        self._ensure_group(LAMBDA_LOG_GROUP)
        self._put(LAMBDA_LOG_GROUP, stream, lines)

    def _notification_group(self, user_pool_id: str) -> str | None:
        with self._lock:
            configurations = list(self._configs.get(user_pool_id, []))
        for item in configurations:
            arn = (item.get("CloudWatchLogsConfiguration") or {}).get("LogGroupArn")
            if item.get("EventSource") == USER_NOTIFICATION and isinstance(arn, str):
                return _group_from_arn(arn)
        return None

    def _ensure_group(self, name: str) -> None:
        backend = self._backend()
        if name not in backend.groups:
            backend.create_log_group(name, {})

    def _put(self, group: str, stream: str, lines: list[tuple[datetime, str]]) -> None:
        with self._lock:
            # Cognito delivers into a group the customer made; a missing one drops the events.
            backend = self._backend()
            if group not in backend.groups:
                return
            if stream not in backend.groups[group].streams:
                backend.create_log_stream(group, stream)
            backend.put_log_events(
                group, stream, [{"timestamp": _millis(t), "message": m} for t, m in lines]
            )


class LambdaLoggingTriggerLog(TriggerLog):
    """The trigger's run log that also writes each run to the function's log group."""

    def __init__(self, logs: SandboxLogs) -> None:
        super().__init__()
        self._logs = logs

    def add(self, run: TriggerRun) -> None:
        super().add(run)
        self._logs.record_trigger_run(run)


def _parse(stamp: str) -> datetime | None:
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
