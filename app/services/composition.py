"""The composition root: builds the services once (lazily) for the CLI, window, batches, self-test.

Each service is built on first use and then shared: importing boto3, keyring or moto
costs start-up time, so a command (or the window's first paint) pays only for what it
touches. The builders block (a botocore client, the keyring's discovery, SQLite's check):
the window calls them from a worker thread.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.services.credentials import CredentialResolver, SandboxCredentials
from app.services.history_sink import HistorySink
from app.services.pipeline import ResendPipeline

if TYPE_CHECKING:
    from app.services.cognito_gateway import CognitoGateway, GatewayConfig
    from app.services.history_store import HistoryStore
    from app.services.paths import AppPaths
    from app.services.profile_repository import ProfileRepository
    from app.services.sandbox_service import SandboxService
    from app.services.secret_store import SecretStore
    from app.services.trigger_service import TriggerService

@dataclass(frozen=True)
class StackSettings:
    """What the stack is built from. `paths` None: no files at all (the self-test)."""

    paths: AppPaths | None
    gateway: GatewayConfig | None = None  # None: GatewayConfig()'s defaults
    # False: a cheap check on open, the caller runs `verify()` later (the window).
    full_history_check: bool = True


class Composition:
    """Builds and holds one of each service; thread-safe; `close` releases what it opened."""

    def __init__(self, settings: StackSettings) -> None:
        self._settings = settings
        # Reentrant: a builder may ask for another service (the pipeline for the gateway).
        self._lock = threading.RLock()
        self._gateway: CognitoGateway | None = None
        self._batch_gateway: CognitoGateway | None = None
        self._secrets: SecretStore | None = None
        self._history: HistoryStore | None = None
        self._profiles: ProfileRepository | None = None
        self._sandbox: SandboxService | None = None
        self._triggers: TriggerService | None = None

    @property
    def settings(self) -> StackSettings:
        return self._settings

    def _paths(self) -> AppPaths:
        paths = self._settings.paths
        if paths is None:
            raise RuntimeError("this stack has no app folders (built with paths=None)")
        return paths

    # -- the services -------------------------------------------------------------------

    def gateway_config(self) -> GatewayConfig:
        from app.services.cognito_gateway import GatewayConfig

        return self._settings.gateway or GatewayConfig()

    def gateway(self) -> CognitoGateway:
        from app.services.cognito_gateway import CognitoGateway

        with self._lock:
            if self._gateway is None:
                self._gateway = CognitoGateway(self.gateway_config())
            return self._gateway

    def batch_gateway(self) -> CognitoGateway:
        """A gateway that never retries by itself: the batch runner paces and retries."""
        from app.services.batch_runner import batch_gateway_config
        from app.services.cognito_gateway import CognitoGateway

        with self._lock:
            if self._batch_gateway is None:
                self._batch_gateway = CognitoGateway(batch_gateway_config(self.gateway_config()))
            return self._batch_gateway

    def secrets(self) -> SecretStore:
        from app.services.secret_store import SecretStore

        with self._lock:
            if self._secrets is None:
                self._secrets = SecretStore()
            return self._secrets

    def history(self) -> HistoryStore:
        from app.services.history_store import HistoryStore

        with self._lock:
            if self._history is None:
                full = self._settings.full_history_check
                self._history = HistoryStore(self._paths().history_db, full_check=full)
            return self._history

    def profiles(self) -> ProfileRepository:
        from app.services.profile_repository import ProfileRepository

        with self._lock:
            if self._profiles is None:
                self._profiles = ProfileRepository(self._paths().profiles_file)
            return self._profiles

    def sandbox(self) -> SandboxService:
        """The embedded sandbox (not started: `start()` blocks for about a second)."""
        from app.services.sandbox_service import SandboxService

        with self._lock:
            if self._sandbox is None:
                self._sandbox = SandboxService()
            return self._sandbox

    def triggers(self) -> TriggerService:
        from app.services.trigger_service import TriggerService

        with self._lock:
            if self._triggers is None:
                self._triggers = TriggerService()
            return self._triggers

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
        return ResendPipeline(
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
        return ResendPipeline(self.batch_gateway(), history, CredentialResolver(None))

    def close(self) -> None:
        """Stop the embedded sandbox and close the history, if they were built."""
        with self._lock:
            sandbox, self._sandbox = self._sandbox, None
            history, self._history = self._history, None
        if sandbox is not None:
            sandbox.stop()
        if history is not None:
            history.close()
