"""The admin reader: signed, read-only Cognito and CloudWatch Logs calls for the diagnosis."""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from app.core.arrival import LogLine
from app.core.aws_problems import AwsContext
from app.core.diagnosis_input import (
    ClientSettings,
    LookupKey,
    PoolSettings,
    UserRecord,
    client_from_api,
    pool_from_api,
    user_from_api,
)
from app.core.outcome import DecodedFailure
from app.services.aws_failures import map_aws_exception
from app.services.aws_session import AdminTarget, AwsClients

logger = logging.getLogger(__name__)

_T = TypeVar("_T")
_SUB_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_PHONE_RE = re.compile(r"^\+[0-9]{4,15}$")
# Cognito's event source for delivery errors (GetLogDeliveryConfiguration, developer guide
# "exporting user pool logs").
_USER_NOTIFICATION = "userNotification"
_MAX_LOG_EVENTS = 50


class AdminReadError(Exception):
    """A read that failed, decoded (credentials, permission, region, network, Cognito)."""

    def __init__(self, failure: DecodedFailure, action: str) -> None:
        super().__init__(f"{failure.title}: {failure.cause}")
        self.failure = failure
        self.action = action


@dataclass(frozen=True)
class LogWindow:
    """A time range of CloudWatch Logs to read, around or after a send."""

    start: datetime
    end: datetime


def lookup_keys(identifier: str) -> tuple[LookupKey, ...]:
    """Which ListUsers filters an identifier may match: always the username, and the
    attribute its shape suggests (an email, a +E.164 phone number, a sub)."""
    text = identifier.strip()
    keys = [LookupKey.USERNAME]
    if "@" in text:
        keys.append(LookupKey.EMAIL)
    elif _PHONE_RE.fullmatch(text):
        keys.append(LookupKey.PHONE)
    elif _SUB_RE.fullmatch(text):
        keys.append(LookupKey.SUB)
    return tuple(keys)


def list_users_filter(key: LookupKey, value: str) -> str:
    """A ListUsers Filter; quotes and backslashes in the value escaped as AWS asks."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{key.value} = "{escaped}"'


def _function_name(arn: str) -> str:
    # arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
    parts = arn.split(":")
    return parts[6] if len(parts) > 6 and parts[5] == "function" else arn


def _millis(t: datetime) -> int:
    aware = t if t.tzinfo else t.replace(tzinfo=UTC)
    return int(aware.timestamp() * 1000)


class AdminReader:
    """ListUsers, DescribeUserPool, DescribeUserPoolClient, GetLogDeliveryConfiguration and
    logs:FilterLogEvents. Pool and client settings are cached for the session (they change
    rarely, and a diagnosis per keystroke must not re-read them). Thread-safe."""

    def __init__(self, clients: AwsClients) -> None:
        self._clients = clients
        self._lock = threading.Lock()
        self._pools: dict[tuple[object, ...], PoolSettings] = {}
        self._app_clients: dict[tuple[object, ...], ClientSettings] = {}

    # -- plumbing ----------------------------------------------------------------------

    def call(
        self,
        target: AdminTarget,
        service: str,
        action: str,
        run: Callable[[Any], _T],
        *,
        write: bool = False,
    ) -> _T:
        """`run(client)` with `target`'s signed client; any failure raised as AdminReadError,
        decoded (the secret key scrubbed from any text). `write` calls are never retried;
        the support actions make theirs through here too."""
        context = AwsContext(
            action=f"{service}:{action}",
            aws_profile=target.source.aws_profile if target.source.static is None else None,
            region=target.region,
            pool_id=target.pool_id,
        )
        secrets = (target.source.static.secret_access_key.reveal(),) if target.source.static else ()
        try:
            client = self._clients.client(
                target.source, service, target.region, target.profile.endpoint_url, write=write
            )
            return run(client)
        except Exception as exc:  # every failure is decoded; none escapes undecoded
            failure = map_aws_exception(exc, context, secrets=secrets)
            logger.info("%s failed: %s (%s)", context.action, failure.code, failure.title)
            raise AdminReadError(failure, context.action) from None

    def _pool_key(self, target: AdminTarget) -> tuple[object, ...]:
        return (target.source, target.region, target.profile.endpoint_url, target.pool_id)

    # -- users -------------------------------------------------------------------------

    def find(self, target: AdminTarget, key: LookupKey, value: str) -> tuple[UserRecord, ...]:
        """Users whose `key` equals `value` (ListUsers: no cost impact, unlike AdminGetUser)."""
        flt = list_users_filter(key, value.strip())

        def run(client: Any) -> tuple[UserRecord, ...]:
            answer = client.list_users(UserPoolId=target.pool_id, Filter=flt, Limit=10)
            users = answer.get("Users") or []
            return tuple(user_from_api(u, key) for u in users if isinstance(u, Mapping))

        return self.call(target, "cognito-idp", "ListUsers", run)

    # -- pool and client (cached) ------------------------------------------------------

    def pool(self, target: AdminTarget) -> PoolSettings:
        key = self._pool_key(target)
        with self._lock:
            cached = self._pools.get(key)
        if cached is not None:
            return cached
        pool = self.call(
            target,
            "cognito-idp",
            "DescribeUserPool",
            lambda c: pool_from_api(c.describe_user_pool(UserPoolId=target.pool_id)),
        )
        with self._lock:
            self._pools[key] = pool
        return pool

    def app_client(self, target: AdminTarget) -> ClientSettings:
        key = (*self._pool_key(target), target.client_id)
        with self._lock:
            cached = self._app_clients.get(key)
        if cached is not None:
            return cached
        settings = self.call(
            target,
            "cognito-idp",
            "DescribeUserPoolClient",
            lambda c: client_from_api(
                c.describe_user_pool_client(UserPoolId=target.pool_id, ClientId=target.client_id)
            ),
        )
        with self._lock:
            self._app_clients[key] = settings
        return settings

    def is_cached(self, target: AdminTarget) -> bool:
        with self._lock:
            return self._pool_key(target) in self._pools

    def forget(self) -> None:
        """Drop the cached settings (a pool edited in the console meanwhile)."""
        with self._lock:
            self._pools.clear()
            self._app_clients.clear()

    # -- logs --------------------------------------------------------------------------

    def delivery_log_group(self, target: AdminTarget) -> str | None:
        """The CloudWatch Logs group the pool exports user-notification errors to, if any."""

        def run(client: Any) -> str | None:
            answer = client.get_log_delivery_configuration(UserPoolId=target.pool_id)
            config = answer.get("LogDeliveryConfiguration") or {}
            for item in config.get("LogConfigurations") or []:
                if item.get("EventSource") != _USER_NOTIFICATION:
                    continue
                arn = str((item.get("CloudWatchLogsConfiguration") or {}).get("LogGroupArn", ""))
                # arn:aws:logs:REGION:ACCOUNT:log-group:NAME[:*]
                if ":log-group:" in arn:
                    return arn.split(":log-group:", 1)[1].removesuffix(":*")
            return None

        return self.call(target, "cognito-idp", "GetLogDeliveryConfiguration", run)

    def log_lines(
        self, target: AdminTarget, group: str, window: LogWindow, pattern: str = ""
    ) -> tuple[LogLine, ...]:
        """Events of `group` in `window` (oldest first, at most 50), optionally filtered."""

        def run(client: Any) -> tuple[LogLine, ...]:
            params: dict[str, Any] = {
                "logGroupName": group,
                "startTime": _millis(window.start),
                "endTime": _millis(window.end),
                "limit": _MAX_LOG_EVENTS,
            }
            if pattern:
                params["filterPattern"] = pattern
            answer = client.filter_log_events(**params)
            lines = []
            for event in answer.get("events") or []:
                at = datetime.fromtimestamp(int(event.get("timestamp", 0)) / 1000, UTC)
                lines.append(
                    LogLine(at, str(event.get("message", "")), str(event.get("logStreamName", "")))
                )
            return tuple(lines)

        return self.call(target, "logs", "FilterLogEvents", run)

    def delivery_errors(
        self, target: AdminTarget, user: UserRecord, sent_at: datetime, minutes: int = 10
    ) -> tuple[LogLine, ...] | None:
        """The user's delivery errors in the minutes after a send; None when the pool
        exports no user-notification logs."""
        group = self.delivery_log_group(target)
        if group is None:
            return None
        window = LogWindow(sent_at - timedelta(seconds=5), sent_at + timedelta(minutes=minutes))
        lines = self.log_lines(target, group, window)
        names = {v for v in (user.username, user.sub, user.email, user.phone_number) if v}
        return tuple(line for line in lines if _mentions(line.message, names))

    def trigger_lines(
        self, target: AdminTarget, function_arn: str, around: datetime, seconds: int = 30
    ) -> tuple[LogLine, ...]:
        """The CustomMessage function's log lines around a send (best-effort: another
        call's lines in the same seconds cannot be told apart)."""
        group = f"/aws/lambda/{_function_name(function_arn)}"
        window = LogWindow(around - timedelta(seconds=seconds), around + timedelta(seconds=seconds))
        return self.log_lines(target, group, window)


def _mentions(message: str, names: set[str]) -> bool:
    """Whether a log event names one of `names` as a whole word (in a JSON value or the
    raw text): "alice" must not match "alice2". Cognito's exported events carry the user
    in free text (message.details), so the text is searched, not only exact values."""
    try:
        data = json.loads(message)
    except ValueError:
        data = message
    texts: list[str] = []
    stack: list[object] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            texts.append(item)
        elif isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    patterns = [re.compile(rf"(?<![\w@.+-]){re.escape(n)}(?![\w@+-]|\.\w)") for n in names]
    return any(p.search(text) for text in texts for p in patterns)
