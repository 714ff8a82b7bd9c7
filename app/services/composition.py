"""The composition root: builds the services once (lazily) for the CLI, window, batches, self-test.

Each service is built on first use and then shared: importing boto3, keyring or moto
costs start-up time, so a command (or the window's first paint) pays only for what it
touches. The builders block (a botocore client, the keyring's discovery, SQLite's check):
the window calls them from a worker thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from app.services.credentials import CredentialResolver, SandboxCredentials

if TYPE_CHECKING:
    from app.services.cognito_gateway import CognitoGateway, GatewayConfig
    from app.services.history_sink import HistorySink
    from app.services.history_store import HistoryStore
    from app.services.paths import AppPaths
    from app.services.pipeline import ResendPipeline
    from app.services.profile_repository import ProfileRepository
    from app.services.sandbox_service import SandboxService
    from app.services.secret_store import SecretStore
    from app.services.signup_pipeline import SignUpPipeline
    from app.services.trigger_service import TriggerService

T = TypeVar("T")


@dataclass(frozen=True)
class StackSettings:
    """What the stack is built from. `paths` None: no files at all (the self-test)."""

    paths: AppPaths | None
    gateway: GatewayConfig | None = None  # None: GatewayConfig()'s defaults
    # False: a cheap check on open, the caller runs `verify()` later (the window).
    full_history_check: bool = True
    # True: the history commits on a writer thread and reads wait for it (the window);
    # False: `append` commits before it returns (the CLI prints only what is on disk).
    history_write_behind: bool = False


class _Once(Generic[T]):
    """A service built by `build` on first `get`, then shared; `take` hands it back out."""

    def __init__(self, build: Callable[[], T], lock: threading.RLock) -> None:
        self._build = build
        self._lock = lock
        self._value: T | None = None

    def get(self) -> T:
        with self._lock:
            if self._value is None:
                self._value = self._build()
            return self._value

    def take(self) -> T | None:
        """The service if it was built (it is forgotten: the next `get` builds anew)."""
        with self._lock:
            value, self._value = self._value, None
            return value


class Composition:
    """Builds and holds one of each service; thread-safe; `close` releases what it opened."""

    def __init__(self, settings: StackSettings) -> None:
        self._settings = settings
        # Reentrant: a builder may ask for another service (the pipeline for the gateway).
        lock = threading.RLock()
        self._gateway = _Once(self._build_gateway, lock)
        self._batch_gateway = _Once(self._build_batch_gateway, lock)
        self._secrets = _Once(self._build_secrets, lock)
        self._history = _Once(self._build_history, lock)
        self._profiles = _Once(self._build_profiles, lock)
        self._sandbox = _Once(self._build_sandbox, lock)
        self._triggers = _Once(self._build_triggers, lock)

    @property
    def settings(self) -> StackSettings:
        return self._settings

    def _paths(self) -> AppPaths:
        paths = self._settings.paths
        if paths is None:
            raise RuntimeError("this stack has no app folders (built with paths=None)")
        return paths

    # -- the services (each built on first use, then shared) ---------------------------

    def gateway_config(self) -> GatewayConfig:
        from app.services.cognito_gateway import GatewayConfig

        return self._settings.gateway or GatewayConfig()

    def gateway(self) -> CognitoGateway:
        return self._gateway.get()

    def batch_gateway(self) -> CognitoGateway:
        """A gateway that never retries by itself: the batch runner paces and retries."""
        return self._batch_gateway.get()

    def secrets(self) -> SecretStore:
        return self._secrets.get()

    def history(self) -> HistoryStore:
        return self._history.get()

    def profiles(self) -> ProfileRepository:
        return self._profiles.get()

    def sandbox(self) -> SandboxService:
        """The embedded sandbox (not started: `start()` blocks for about a second)."""
        return self._sandbox.get()

    def triggers(self) -> TriggerService:
        return self._triggers.get()

    # Imports stay inside the builders: each costs start-up time only when it is used.
    def _build_gateway(self) -> CognitoGateway:
        from app.services.cognito_gateway import CognitoGateway

        return CognitoGateway(self.gateway_config())

    def _build_batch_gateway(self) -> CognitoGateway:
        from app.services.batch_runner import batch_gateway_config
        from app.services.cognito_gateway import CognitoGateway

        return CognitoGateway(batch_gateway_config(self.gateway_config()))

    def _build_secrets(self) -> SecretStore:
        from app.services.secret_store import SecretStore

        return SecretStore()

    def _build_history(self) -> HistoryStore:
        from app.services.history_store import HistoryStore

        settings = self._settings
        return HistoryStore(
            self._paths().history_db,
            full_check=settings.full_history_check,
            write_behind=settings.history_write_behind,
        )

    def _build_profiles(self) -> ProfileRepository:
        from app.services.profile_repository import ProfileRepository

        return ProfileRepository(self._paths().profiles_file)

    def _build_sandbox(self) -> SandboxService:
        from app.services.sandbox_service import SandboxService

        return SandboxService()

    def _build_triggers(self) -> TriggerService:
        from app.services.trigger_service import TriggerService

        return TriggerService()

    # -- the pipeline -------------------------------------------------------------------

    def resolver(
        self, *, keyring: bool = True, sandbox: SandboxCredentials | None = None
    ) -> CredentialResolver:
        """Sandbox -> session-only -> keyring; `keyring=False` never loads keyring (a
        sandbox-only caller), and a stored profile then resolves to a problem."""
        return CredentialResolver(self.secrets() if keyring else None, sandbox)

    def pipeline(
        self,
        *,
        history: HistorySink | None = None,
        keyring: bool = True,
        sandbox: SandboxCredentials | None = None,
    ) -> ResendPipeline:
        """The pipeline for single resends: this stack's gateway, the history store (or
        `history`), and the sandbox's local trigger runs in the notes."""
        from app.services.pipeline import ResendPipeline

        return ResendPipeline(
            self.gateway(),
            history if history is not None else self.history(),
            self.resolver(keyring=keyring, sandbox=sandbox),
            self.triggers(),
        )

    def signup_pipeline(
        self,
        *,
        history: HistorySink | None = None,
        keyring: bool = True,
        sandbox: SandboxCredentials | None = None,
    ) -> SignUpPipeline:
        """Sign-ups and confirmations: this stack's gateway and the history store (or
        `history`), credentials resolved as for a resend, the sandbox's local trigger runs
        in the notes."""
        from app.services.signup_pipeline import SignUpPipeline

        return SignUpPipeline(
            self.gateway(),
            history if history is not None else self.history(),
            self.resolver(keyring=keyring, sandbox=sandbox),
            self.triggers(),
        )

    def batch_pipeline(self, history: HistorySink) -> ResendPipeline:
        """The pipeline for a batch: no gateway retries, `history` a `BufferedHistory`.

        Credentials are read once per batch and passed with every row, so the keyring is
        never asked per row; no trigger lookup per row (one more HTTP call each).
        """
        from app.services.pipeline import ResendPipeline

        return ResendPipeline(self.batch_gateway(), history, CredentialResolver(None))

    def close(self) -> None:
        """Stop the embedded sandbox and close the history, if they were built."""
        sandbox = self._sandbox.take()
        if sandbox is not None:
            sandbox.stop()
        history = self._history.take()
        if history is not None:
            history.close()
