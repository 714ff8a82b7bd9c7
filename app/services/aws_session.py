"""AWS credentials for the signed admin calls: botocore resolves them; we never store them."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.core.profile import Profile
from app.core.secrets import Secret

if TYPE_CHECKING:
    import botocore.session


@dataclass(frozen=True)
class StaticKeys:
    """An access key pair held in memory only (the running sandbox's own keys)."""

    access_key_id: str
    secret_access_key: Secret = field(repr=False)


@dataclass(frozen=True)
class AwsCredentialSource:
    """Where botocore gets credentials: a named AWS CLI profile (SSO and assume-role
    included), the default chain (aws_profile None), or the sandbox's static keys."""

    aws_profile: str | None = None
    static: StaticKeys | None = None

    def describe(self) -> str:
        if self.static is not None:
            return "the sandbox's admin keys"
        if self.aws_profile:
            return f"the AWS profile {self.aws_profile!r}"
        return "the default AWS credentials"


@dataclass(frozen=True)
class AdminTarget:
    """One pool and app client to read or act on, and whose credentials to sign with."""

    profile: Profile
    client_id: str
    source: AwsCredentialSource

    @property
    def region(self) -> str:
        return self.profile.region.strip()

    @property
    def pool_id(self) -> str:
        return (self.profile.user_pool_id or "").strip()


def source_for(profile: Profile) -> AwsCredentialSource:
    """A stored profile's credential source: its AWS profile, else the default chain."""
    return AwsCredentialSource(aws_profile=profile.aws_profile or None)


@dataclass(frozen=True)
class AdminClientConfig:
    """Timeouts and retries of the admin calls (reads may retry; writes never do)."""

    connect_timeout: float = 3.0
    read_timeout: float = 10.0
    max_attempts: int = 2


class AwsClients:
    """Signed botocore clients for cognito-idp and logs, one per (source, service, region,
    endpoint), created under a lock and shared between threads (botocore clients are
    thread-safe once created)."""

    def __init__(self, config: AdminClientConfig = AdminClientConfig()) -> None:  # noqa: B008
        self._config = config
        self._lock = threading.Lock()
        self._sessions: dict[AwsCredentialSource, botocore.session.Session] = {}
        self._clients: dict[tuple[AwsCredentialSource, str, str, str | None, bool], Any] = {}

    def client(
        self, source: AwsCredentialSource, service: str, region: str, endpoint_url: str | None,
        *, write: bool = False,
    ) -> Any:  # fmt: skip
        """The client; raises botocore's own exceptions (ProfileNotFound, ...) for the
        caller to decode. `write` clients never retry: a retried write may act twice."""
        key = (source, service, region, endpoint_url or None, write)
        with self._lock:
            cached = self._clients.get(key)
            if cached is not None:
                return cached
            from botocore.config import Config

            config = Config(
                connect_timeout=self._config.connect_timeout,
                read_timeout=self._config.read_timeout,
                retries={
                    "total_max_attempts": 1 if write else max(1, self._config.max_attempts),
                    "mode": "standard",
                },
            )
            session = self._session_locked(source)
            keys: dict[str, str] = {}
            if source.static is not None:
                keys = {
                    "aws_access_key_id": source.static.access_key_id,
                    "aws_secret_access_key": source.static.secret_access_key.reveal(),
                }
            made = session.create_client(
                service,
                region_name=region,
                endpoint_url=endpoint_url or None,
                config=config,
                **keys,
            )
            self._clients[key] = made
            return made

    def _session_locked(self, source: AwsCredentialSource) -> botocore.session.Session:
        session = self._sessions.get(source)
        if session is None:
            import os

            import botocore.session

            if source.static is not None:
                # The sandbox's keys only: neither AWS_PROFILE nor ~/.aws may change them.
                session = botocore.session.Session(
                    session_vars={
                        "profile": (None, None, None, None),
                        "config_file": (None, None, os.devnull, None),
                        "credentials_file": (None, None, os.devnull, None),
                    }
                )
            else:
                # botocore reads ~/.aws/config and credentials itself (SSO, assume-role,
                # credential_process); ProfileNotFound surfaces on the first client.
                session = botocore.session.Session(profile=source.aws_profile)
            self._sessions[source] = session
        return session

    def forget(self, source: AwsCredentialSource) -> None:
        """Drop the clients of `source` (after `aws sso login`, new credentials load)."""
        with self._lock:
            self._sessions.pop(source, None)
            for key in [k for k in self._clients if k[0] == source]:
                del self._clients[key]
