"""Typed records the sandbox hands out: its clients, users, connection facts and inbox messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SandboxClient:
    """One seeded app client; the secret is a throw-away value generated at start."""

    name: str
    client_id: str
    # Kept out of repr: SandboxInfo reprs end up in debug logs (qasync logs results).
    client_secret: str | None = field(repr=False)
    prevents_user_existence_errors: bool
    # The pool this client belongs to (the sandbox seeds three pools).
    user_pool_id: str = ""
    pool_name: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "prevents_user_existence_errors": self.prevents_user_existence_errors,
            "user_pool_id": self.user_pool_id,
            "pool_name": self.pool_name,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SandboxClient:
        return cls(
            name=str(data["name"]),
            client_id=str(data["client_id"]),
            client_secret=None if data.get("client_secret") is None else str(data["client_secret"]),
            prevents_user_existence_errors=bool(data["prevents_user_existence_errors"]),
            user_pool_id=str(data.get("user_pool_id", "")),
            pool_name=str(data.get("pool_name", "")),
        )


@dataclass(frozen=True)
class SandboxUser:
    """One seeded user; `destination` is unmasked because the sandbox owns this fake address."""

    username: str
    status: str
    delivery_attribute: str
    destination: str
    user_pool_id: str = ""
    pool_name: str = ""
    enabled: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "status": self.status,
            "delivery_attribute": self.delivery_attribute,
            "destination": self.destination,
            "user_pool_id": self.user_pool_id,
            "pool_name": self.pool_name,
            "enabled": self.enabled,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SandboxUser:
        return cls(
            username=str(data["username"]),
            status=str(data["status"]),
            delivery_attribute=str(data["delivery_attribute"]),
            destination=str(data["destination"]),
            user_pool_id=str(data.get("user_pool_id", "")),
            pool_name=str(data.get("pool_name", "")),
            enabled=bool(data.get("enabled", True)),
        )


@dataclass(frozen=True)
class AwsKeyPair:
    """One IAM-style access key the sandbox accepts on SigV4-signed (admin) calls."""

    access_key_id: str
    # Kept out of repr for the same reason as client secrets.
    secret_access_key: str = field(repr=False)

    def to_json(self) -> dict[str, str]:
        return {"access_key_id": self.access_key_id, "secret_access_key": self.secret_access_key}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AwsKeyPair:
        return cls(str(data["access_key_id"]), str(data["secret_access_key"]))


@dataclass(frozen=True)
class AwsCredentials:
    """The sandbox's two key pairs, random per start: `admin` may do everything,
    `read_only` the List*/Describe*/Get*/AdminGetUser calls and the CloudWatch Logs reads."""

    admin: AwsKeyPair
    read_only: AwsKeyPair

    def to_json(self) -> dict[str, Any]:
        return {"admin": self.admin.to_json(), "read_only": self.read_only.to_json()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AwsCredentials:
        return cls(AwsKeyPair.from_json(data["admin"]), AwsKeyPair.from_json(data["read_only"]))


# Placeholder for SandboxInfo records built without keys (older JSON, hand-made infos).
NO_AWS_CREDENTIALS = AwsCredentials(AwsKeyPair("", ""), AwsKeyPair("", ""))


@dataclass(frozen=True)
class SandboxInfo:
    """Everything a client needs to talk to a running sandbox."""

    endpoint_url: str
    region: str
    user_pool_id: str
    clients: tuple[SandboxClient, ...]
    users: tuple[SandboxUser, ...]
    # SigV4 keys for the admin (IAM-authorised) calls; `user_pool_id` is the main pool's.
    aws_credentials: AwsCredentials = NO_AWS_CREDENTIALS

    def to_json(self) -> dict[str, Any]:
        """The dict the sandbox's first `--json` line and GET /_sandbox/info print."""
        return {
            "endpoint_url": self.endpoint_url,
            "region": self.region,
            "user_pool_id": self.user_pool_id,
            "clients": [c.to_json() for c in self.clients],
            "users": [u.to_json() for u in self.users],
            "aws_credentials": self.aws_credentials.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SandboxInfo:
        return cls(
            endpoint_url=str(data["endpoint_url"]),
            region=str(data["region"]),
            user_pool_id=str(data["user_pool_id"]),
            clients=tuple(SandboxClient.from_json(c) for c in data["clients"]),
            users=tuple(SandboxUser.from_json(u) for u in data["users"]),
            aws_credentials=(
                AwsCredentials.from_json(data["aws_credentials"])
                if data.get("aws_credentials")
                else NO_AWS_CREDENTIALS
            ),
        )

    def client(self, name: str) -> SandboxClient:
        """The seeded client called `name` (public, protected, secret, no-verify or link)."""
        for candidate in self.clients:
            if candidate.name == name:
                return candidate
        known = ", ".join(c.name for c in self.clients)
        raise KeyError(f"no sandbox client named {name!r} (known: {known})")

    def user(self, username: str) -> SandboxUser:
        """The seeded user called `username`, in whichever pool it lives."""
        for candidate in self.users:
            if candidate.username == username:
                return candidate
        raise KeyError(f"no seeded sandbox user named {username!r}")

    def pool_id(self, pool_name: str) -> str:
        """The id of the seeded pool called `pool_name` (e.g. "sandbox-pool-link")."""
        for client in self.clients:
            if client.pool_name == pool_name:
                return client.user_pool_id
        raise KeyError(f"no seeded sandbox pool named {pool_name!r}")


@dataclass(frozen=True)
class TriggerRun:
    """One call of the local CustomMessage trigger: what it got, what it answered, how it went.

    `error_type`/`error_message` are the Cognito error the resend answered with (None when
    the answer was used); `answer` is the handler's return value when it produced one.
    """

    handler: str
    username: str
    request_id: str | None
    started_at: str
    event: dict[str, Any] = field(hash=False)
    answer: Any = field(hash=False)
    error_type: str | None
    error_message: str | None
    stdout: str
    stderr: str
    duration_ms: float
    exit_code: int | None
    # Each try of this call (Cognito retries a trigger that does not answer in 5 s, three
    # tries at most): {"started_at", "duration_ms", "outcome", "exit_code"}.
    tries: tuple[dict[str, Any], ...] = field(default=(), hash=False)
    # Why the handler's text was not used although the run succeeded (an over-long
    # message Cognito silently replaces with the default one).
    dropped: tuple[str, ...] = ()
    trigger_source: str = "CustomMessage_ResendCode"

    @property
    def ok(self) -> bool:
        return self.error_type is None

    def to_json(self) -> dict[str, Any]:
        return {
            "handler": self.handler,
            "username": self.username,
            "request_id": self.request_id,
            "started_at": self.started_at,
            "event": self.event,
            "answer": self.answer,
            "error_type": self.error_type,
            "error_message": self.error_message,
            "stdout": self.stdout,
            "stderr": self.stderr,
            "duration_ms": self.duration_ms,
            "exit_code": self.exit_code,
            "tries": [dict(t) for t in self.tries],
            "dropped": list(self.dropped),
            "trigger_source": self.trigger_source,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TriggerRun:
        def _opt(key: str) -> str | None:
            value = data.get(key)
            return None if value is None else str(value)

        exit_code = data.get("exit_code")
        return cls(
            handler=str(data["handler"]),
            username=str(data["username"]),
            request_id=_opt("request_id"),
            started_at=str(data["started_at"]),
            event=dict(data["event"]),
            answer=data.get("answer"),
            error_type=_opt("error_type"),
            error_message=_opt("error_message"),
            stdout=str(data.get("stdout", "")),
            stderr=str(data.get("stderr", "")),
            duration_ms=float(data["duration_ms"]),
            exit_code=None if exit_code is None else int(exit_code),
            tries=tuple(dict(t) for t in data.get("tries") or ()),
            dropped=tuple(str(d) for d in data.get("dropped") or ()),
            trigger_source=str(data.get("trigger_source") or "CustomMessage_ResendCode"),
        )


@dataclass(frozen=True)
class InboxMessage:
    """A confirmation code the sandbox "sent"; what a real user would find in mail or SMS.

    `subject` is set when a CustomMessage trigger chose one; `trigger` is that trigger's run.
    `trigger_source` tells a sign-up's first code from a resend's; the newest message of a
    user holds the only valid code, until `expires_at` (24 hours after `sent_at`).
    """

    username: str
    code: str
    medium: str
    destination: str
    client_id: str
    client_metadata: dict[str, str] = field(hash=False)
    sent_at: str
    message: str
    subject: str | None = None
    request_id: str | None = None
    trigger: TriggerRun | None = field(default=None, hash=False)
    trigger_source: str = "CustomMessage_ResendCode"
    expires_at: str | None = None
    # Set when the pool confirms by link (CONFIRM_WITH_LINK): the link the email carries.
    link: str | None = None
    # "confirmation" (a sign-up code or link) or "invitation" (AdminCreateUser's message).
    kind: str = "confirmation"

    def to_json(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "code": self.code,
            "medium": self.medium,
            "destination": self.destination,
            "client_id": self.client_id,
            "client_metadata": dict(self.client_metadata),
            "sent_at": self.sent_at,
            "message": self.message,
            "subject": self.subject,
            "request_id": self.request_id,
            "trigger": None if self.trigger is None else self.trigger.to_json(),
            "trigger_source": self.trigger_source,
            "expires_at": self.expires_at,
            "link": self.link,
            "kind": self.kind,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InboxMessage:
        trigger = data.get("trigger")
        return cls(
            username=str(data["username"]),
            code=str(data["code"]),
            medium=str(data["medium"]),
            destination=str(data["destination"]),
            client_id=str(data["client_id"]),
            client_metadata={str(k): str(v) for k, v in data["client_metadata"].items()},
            sent_at=str(data["sent_at"]),
            message=str(data["message"]),
            subject=None if data.get("subject") is None else str(data["subject"]),
            request_id=None if data.get("request_id") is None else str(data["request_id"]),
            trigger=None if trigger is None else TriggerRun.from_json(trigger),
            trigger_source=str(data.get("trigger_source") or "CustomMessage_ResendCode"),
            expires_at=None if data.get("expires_at") is None else str(data["expires_at"]),
            link=None if data.get("link") is None else str(data["link"]),
            kind=str(data.get("kind", "confirmation")),
        )
