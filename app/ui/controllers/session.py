"""The window's session: builds the services off the UI thread, holds them, closes them.

The keyring is not touched at start-up: its status is checked when a stored profile first
needs it (`check_keyring`), every keyring call goes through one `KeyringGate` (time-boxed,
on daemon threads), and nothing else waits for it, so a system prompt never blocks the
window or the Sandbox.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject, Signal

from app.core.profile import ClientCredentials, Profile
from app.services.credentials import ResolvedCredentials
from app.services.sandbox_profile import SANDBOX_CLIENT_NAMES
from app.ui.controllers.keyring_gate import KeyringGate, KeyringNotAnsweringError
from app.ui.controllers.tasks import TaskGroup
from app.ui.controllers.types import ServiceFactories

if TYPE_CHECKING:
    from app.sandbox.model import SandboxInfo
    from app.services.cognito_gateway import CognitoGateway
    from app.services.history_store import HistoryStore
    from app.services.pipeline import ResendPipeline
    from app.services.profile_repository import ProfileRepository
    from app.services.sandbox_service import SandboxService
    from app.services.secret_store import KeyringStatus, SecretStore
    from app.services.signup_pipeline import SignUpPipeline
    from app.services.trigger_service import TriggerService

log = logging.getLogger(__name__)


class Session(QObject):
    """The services one window uses; `services_ready` fires once Send may run."""

    keyring_status_changed = Signal(object)  # KeyringStatus
    sandbox_started = Signal(object)  # SandboxInfo
    sandbox_failed = Signal(str)  # why the sandbox could not start
    sandbox_client_changed = Signal(str)  # the seeded app client the built-in profile uses
    profiles_loaded = Signal(list)  # list[Profile] from the profiles file
    history_opened = Signal(object)  # HistoryStore
    regions_loaded = Signal(list)  # list[str]
    services_ready = Signal()
    status_changed = Signal(str)  # a short line for the status bar
    problem_reported = Signal(str, str)  # title, plain-language text

    def __init__(
        self,
        factories: ServiceFactories,
        tasks: TaskGroup,
        parent: QObject | None = None,
        *,
        keyring_gate: KeyringGate | None = None,
    ) -> None:
        super().__init__(parent)
        self.factories = factories
        self._tasks = tasks
        self.keyring_gate = keyring_gate or KeyringGate()
        # The person chose to type credentials for this session instead of the keyring.
        self._session_only = False
        self._probe: asyncio.Task[KeyringStatus | None] | None = None
        self.secrets: SecretStore | None = None
        self.gateway: CognitoGateway | None = None
        self.history: HistoryStore | None = None
        self.repo: ProfileRepository | None = None
        self.pipeline: ResendPipeline | None = None
        # Sign-ups and confirmations: the same gateway, history and resolver.
        self.signup_pipeline: SignUpPipeline | None = None
        self.sandbox: SandboxService | None = None
        self.sandbox_info: SandboxInfo | None = None
        self.keyring_status: KeyringStatus | None = None
        self._sandbox_client = "public"
        self._trigger: TriggerService | None = None
        self._ready = False

    # ------------------------------------------------------------------ state
    @property
    def ready(self) -> bool:
        return self._ready and not self._tasks.closing

    @property
    def keyring_usable(self) -> bool:
        """False once the keyring is known not to work (or session-only was chosen); an
        unchecked or still-answering keyring counts as usable: a send will find out."""
        if self._session_only:
            return False
        status = self.keyring_status
        return status is None or status.usable or _is_pending(status)

    @property
    def session_only(self) -> bool:
        return self._session_only

    def use_session_only(self) -> None:
        """Type credentials in the form for this session instead of reading the keyring."""
        self._session_only = True
        if self.keyring_status is not None:
            self.keyring_status_changed.emit(self.keyring_status)

    def check_keyring(self, *, again: bool = False) -> asyncio.Task[KeyringStatus | None] | None:
        """Probe the keyring in the background (once, or `again`); None before the services.

        Emits `keyring_status_changed`: a "pending" status when it has not answered within
        the gate's patience, the real one once it does."""
        if self.secrets is None or self._tasks.closing:
            return None
        if self._probe is not None and (not self._probe.done() or not again):
            return self._probe
        if again:
            self._session_only = False
        self._probe = self._tasks.spawn(self._check_keyring(self.secrets))
        return self._probe

    async def _check_keyring(self, secrets: SecretStore) -> KeyringStatus | None:
        while not self._tasks.closing:
            try:
                status: KeyringStatus = await self.keyring_gate.call(secrets.status)
            except KeyringNotAnsweringError as exc:
                self._set_keyring_status(pending_status(str(exc)))
                await self.keyring_gate.answered()  # the prompt was answered (or dismissed)
                continue
            self._set_keyring_status(status)
            return status
        return None

    def _set_keyring_status(self, status: KeyringStatus) -> None:
        self.keyring_status = status
        self.keyring_status_changed.emit(status)

    @property
    def sandbox_client(self) -> str:
        return self._sandbox_client

    def set_sandbox_client(self, name: str) -> None:
        """Choose which seeded app client the built-in profile uses."""
        if name not in SANDBOX_CLIENT_NAMES or name == self._sandbox_client:
            return
        self._sandbox_client = name
        self.sandbox_client_changed.emit(name)

    def trigger_service(self) -> TriggerService | None:
        """Built on first use, in a worker thread, like every other service (blocking)."""
        if self._trigger is None and self.factories.trigger is not None:
            self._trigger = self.factories.trigger()
        return self._trigger

    def _sandbox_credentials(self) -> ClientCredentials | None:
        # Read at every resolve, so the sandbox-client chooser applies to the next send.
        sandbox = self.sandbox
        return sandbox.credentials(self._sandbox_client) if sandbox is not None else None

    async def resolve(
        self, profile: Profile, typed: ClientCredentials | None = None
    ) -> ResolvedCredentials:
        """A profile's credentials through the pipeline's one resolver (sandbox, then typed
        session-only ones, then the keyring); the keyring is read off the UI thread."""
        pipeline = self.pipeline
        if pipeline is None:
            return ResolvedCredentials(None, "Services are still starting; try again.")
        if typed is not None or (profile.builtin and self.sandbox is not None):
            return pipeline.resolver.resolve(profile, typed)  # no keyring: no I/O
        try:
            resolved = await self.keyring_gate.call(pipeline.resolver.resolve, profile, typed)
        except KeyringNotAnsweringError as exc:
            self.check_keyring()  # the banner follows the keyring until it answers
            return ResolvedCredentials(None, f"Profile '{profile.name}': {exc}")
        if self.keyring_status is None or _is_pending(self.keyring_status):
            self.check_keyring(again=True)
        return resolved

    async def stored_client_id(self, name: str) -> str | None:
        """A stored profile's client id from the keyring (off the UI thread), or None."""
        pipeline = self.pipeline
        if pipeline is None:
            return None
        try:
            return await self.keyring_gate.call(pipeline.resolver.stored_client_id, name)
        except KeyringNotAnsweringError:
            return None

    # ------------------------------------------------------------------ start-up
    def start(self) -> asyncio.Task[None]:
        """Load every service in the background; `services_ready` fires when Send may run."""
        return self._tasks.spawn(self._load_services())

    async def _load_services(self) -> None:
        f = self.factories
        blocking = self._tasks.blocking
        self.status_changed.emit("Starting sandbox…" if f.sandbox else "Loading…")
        # Independent start-up steps run side by side; each reports its own failure.
        sandbox_step = self._start_sandbox() if f.sandbox else _nothing()
        regions_step = self._load_regions() if f.regions else _nothing()
        results = await asyncio.gather(
            blocking(f.secret_store),
            blocking(f.gateway),
            self._open_history(),
            blocking(f.profiles),
            sandbox_step,
            regions_step,
            return_exceptions=True,
        )
        failed = False
        for what, result in zip(
            ("keyring", "Cognito client", "history", "profiles"), results[:4], strict=True
        ):
            if isinstance(result, BaseException):
                failed = True
                log.error("could not start the %s service", what, exc_info=result)
                self.problem_reported.emit(
                    f"Could not start the {what} service",
                    f"{type(result).__name__}: {result}",
                )
        if failed:
            self.status_changed.emit("Some services failed to start; see the message.")
            return
        secrets = cast("SecretStore", results[0])
        gateway = cast("CognitoGateway", results[1])
        history = cast("HistoryStore", results[2])
        repo = cast("ProfileRepository", results[3])
        self.secrets, self.repo, self.gateway = secrets, repo, gateway
        self.pipeline = await blocking(self._build_pipeline, gateway, secrets, history)
        from app.services.signup_pipeline import SignUpPipeline

        # The trigger service was built with the pipeline (in the worker): no I/O here.
        self.signup_pipeline = SignUpPipeline(
            gateway, history, self.pipeline.resolver, self.trigger_service()
        )
        # No keyring call here: it is checked when a stored profile first needs it.
        user_profiles, problem = await blocking(_list_profiles, repo)
        if problem:
            self.problem_reported.emit("Profiles file unreadable", problem)
        self.profiles_loaded.emit(user_profiles)
        # Warming the client costs ~200 ms of GIL time; do it now rather than on first Send.
        sb = self.sandbox_info
        try:
            await blocking(
                gateway.warm_up,
                sb.region if sb else f.warm_up_region,
                sb.endpoint_url if sb else None,
            )
        except Exception:  # a failed warm-up only costs time on the first send
            log.warning("gateway warm-up failed", exc_info=True)
        self._ready = True
        self.status_changed.emit("Ready")
        self.services_ready.emit()
        self._tasks.spawn(self._verify_history(history))

    def _build_pipeline(
        self, gateway: CognitoGateway, secrets: SecretStore, history: HistoryStore
    ) -> ResendPipeline:
        """The single-send pipeline over the services built above (blocking: trigger service)."""
        from app.services.credentials import CredentialResolver
        from app.services.pipeline import ResendPipeline

        resolver = CredentialResolver(secrets, self._sandbox_credentials)
        return ResendPipeline(gateway, history, resolver, self.trigger_service())

    async def _verify_history(self, history: HistoryStore) -> None:
        """The full integrity check the fast open skipped; damage is reported, not hidden."""
        verify = getattr(history, "verify", None)
        if verify is None or self._tasks.closing:
            return
        try:
            reason = await self._tasks.blocking(verify)
        except Exception:
            log.warning("could not check the history file", exc_info=True)
            return
        if reason:
            self.problem_reported.emit(
                "History file is damaged",
                f"{reason}. Everything readable stays on screen; the file will be moved "
                "aside (kept, not deleted) at the next start and a new history begun.",
            )

    async def _open_history(self) -> HistoryStore:
        """Open the history store and show it at once, while the other services load."""
        history = await self._tasks.blocking(self.factories.history)
        self.history = history
        self.history_opened.emit(history)
        recovered = getattr(history, "recovered_from", None)
        if recovered:
            self.problem_reported.emit(
                "History file was damaged",
                f"The history file could not be read and was moved aside to {recovered}; "
                "a new, empty history was started.",
            )
        return history

    async def _start_sandbox(self) -> None:
        assert self.factories.sandbox is not None
        try:
            sandbox = await self._tasks.blocking(self.factories.sandbox)
            info = await self._tasks.blocking(sandbox.start)
        except Exception as exc:
            log.error("sandbox did not start", exc_info=True)
            self.sandbox_failed.emit(str(exc))
            self.problem_reported.emit(
                "Sandbox did not start",
                f"The built-in sandbox could not start ({exc}). Profiles that call AWS still work.",
            )
            return
        self.sandbox, self.sandbox_info = sandbox, info
        self.sandbox_started.emit(info)

    async def _load_regions(self) -> None:
        assert self.factories.regions is not None
        try:
            regions = await self._tasks.blocking(self.factories.regions)
        except Exception:
            log.warning("could not list regions; keeping the built-in list", exc_info=True)
            return
        self.regions_loaded.emit(regions)

    # ------------------------------------------------------------------ shutdown
    async def aclose(self, timeout: float = 15.0) -> None:
        """Let in-flight work end (its timeouts are short), then close the services."""
        if self._probe is not None and not self._probe.done():
            # A probe waiting for a prompt has no deadline: closing does not wait for it
            # (its daemon thread ends when the keyring answers, or with the process).
            self._probe.cancel()
        await self._tasks.drain(timeout)
        history, sandbox = self.history, self.sandbox
        self.history = None
        self.sandbox = None

        def close_all() -> None:
            if history is not None:
                history.close()
            if sandbox is not None:
                sandbox.stop()

        try:
            await self._tasks.blocking(close_all)
        except Exception:
            log.warning("error while closing services", exc_info=True)


def _list_profiles(repo: ProfileRepository) -> tuple[list[Profile], str | None]:
    try:
        return repo.list(), None
    except Exception as exc:  # ProfileFileError: a damaged file is moved aside
        log.warning("profiles file unreadable: %s", exc)
        return [], str(exc)


def pending_status(message: str) -> KeyringStatus:
    """The status shown while the keyring has not answered (a system prompt may be open)."""
    from app.services.secret_store import KeyringProblem, KeyringStatus

    return KeyringStatus("waiting for the keyring", False, message, KeyringProblem.PENDING)


def _is_pending(status: KeyringStatus) -> bool:
    return getattr(status.problem, "value", None) == "pending"


async def _nothing() -> None:
    return None
