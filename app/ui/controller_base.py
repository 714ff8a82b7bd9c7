"""The controller's shared state: signals, services, task helpers, the profile list, the inbox."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal

from app.core.profile import SANDBOX_PROFILE_NAME, MetadataPreset, Profile
from app.ui.controller_types import SANDBOX_CLIENT_NAMES, ServiceFactories

if TYPE_CHECKING:
    from app.sandbox.model import SandboxInfo
    from app.services.cognito_gateway import CognitoGateway
    from app.services.history_store import HistoryStore
    from app.services.profile_repository import ProfileRepository
    from app.services.resend_service import ResendService
    from app.services.sandbox_service import SandboxService
    from app.services.secret_store import KeyringStatus, SecretStore
    from app.services.trigger_service import TriggerService

log = logging.getLogger(__name__)

T = TypeVar("T")


class ControllerBase(QObject):
    """Signals, services and in-flight tasks that every part of the controller shares."""

    attempt_started = Signal(object)  # Attempt (PENDING)
    attempt_finished = Signal(object)  # Attempt (DELIVERED or FAILED)
    profiles_changed = Signal(list)  # list[Profile], the sandbox profile first
    keyring_status_changed = Signal(object)  # KeyringStatus
    sandbox_started = Signal(object)  # SandboxInfo
    sandbox_failed = Signal(str)  # why the sandbox could not start
    services_ready = Signal()
    history_opened = Signal(object)  # HistoryStore
    regions_loaded = Signal(list)  # list[str]
    inbox_loaded = Signal(list)  # list[InboxMessage]
    status_changed = Signal(str)  # a short line for the status bar
    export_finished = Signal(str, int)  # path, rows written
    problem_reported = Signal(str, str)  # title, plain-language text
    trigger_changed = Signal(object)  # str | None: the sandbox's attached handler
    trigger_failed = Signal(str)  # why attaching/detaching the handler failed

    def __init__(self, factories: ServiceFactories, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._factories = factories
        self._secrets: SecretStore | None = None
        self._history: HistoryStore | None = None
        self._repo: ProfileRepository | None = None
        self._resend: ResendService | None = None
        self._gateway: CognitoGateway | None = None
        self._sandbox: SandboxService | None = None
        self._sandbox_info: SandboxInfo | None = None
        self._keyring_status: KeyringStatus | None = None
        self._profiles: list[Profile] = []
        self._sandbox_client = "public"
        self._ready = False
        self._closing = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self._in_flight: set[asyncio.Task[Any]] = set()
        self._trigger: TriggerService | None = None
        # The built-in profile is not in the profiles file; the window keeps its presets.
        self._sandbox_presets: tuple[MetadataPreset, ...] = ()

    # ------------------------------------------------------------------ state
    @property
    def ready(self) -> bool:
        return self._ready and not self._closing

    @property
    def keyring_status(self) -> KeyringStatus | None:
        return self._keyring_status

    @property
    def keyring_usable(self) -> bool:
        return self._keyring_status is not None and self._keyring_status.usable

    @property
    def sandbox_info(self) -> SandboxInfo | None:
        return self._sandbox_info

    @property
    def history_store(self) -> HistoryStore | None:
        return self._history

    @property
    def gateway(self) -> CognitoGateway | None:
        """The single-send gateway (a batch builds its own from this one's config)."""
        return self._gateway

    @property
    def in_flight(self) -> int:
        return len(self._in_flight)

    @property
    def sandbox_client(self) -> str:
        return self._sandbox_client

    def profiles(self) -> list[Profile]:
        return list(self._profiles)

    def profile(self, name: str) -> Profile | None:
        return next((p for p in self._profiles if p.name == name), None)

    def set_sandbox_client(self, name: str) -> None:
        """Choose which seeded app client the built-in profile uses."""
        if name not in SANDBOX_CLIENT_NAMES or name == self._sandbox_client:
            return
        self._sandbox_client = name
        self._rebuild_profiles(self._user_profiles())

    # ------------------------------------------------------------------ tasks
    def _spawn(self, coro: Coroutine[Any, Any, T], *, send: bool = False) -> asyncio.Task[T]:
        task = asyncio.get_event_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        if send:
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)
        return task

    def run_in_background(self, coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        """Run `coro` as work that `aclose` waits for (or cancels), like a send."""
        return self._spawn(coro)

    async def _blocking(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(None, fn, *args)

    # ------------------------------------------------------------------ profile list
    def _user_profiles(self) -> list[Profile]:
        return [p for p in self._profiles if not p.builtin]

    def sandbox_profile(self) -> Profile | None:
        info = self._sandbox_info
        if info is None:
            return None
        client = info.client(self._sandbox_client)
        return Profile(
            name=SANDBOX_PROFILE_NAME,
            region=info.region,
            endpoint_url=info.endpoint_url,
            user_pool_id=info.user_pool_id,
            has_secret=client.client_secret is not None,
            builtin=True,
            presets=self._sandbox_presets,
        )

    def _rebuild_profiles(self, user_profiles: list[Profile]) -> None:
        sandbox = self.sandbox_profile()
        mine = sorted(
            (p for p in user_profiles if p.name != SANDBOX_PROFILE_NAME),
            key=lambda p: p.name.casefold(),
        )
        self._profiles = ([sandbox] if sandbox else []) + mine
        self.profiles_changed.emit(list(self._profiles))

    # ------------------------------------------------------------------ sandbox inbox
    def refresh_inbox(self) -> asyncio.Task[None] | None:
        if self._sandbox is None or self._closing:
            return None
        return self._spawn(self._refresh_inbox())

    async def _refresh_inbox(self) -> None:
        sandbox = self._sandbox
        if sandbox is None:
            return
        try:
            messages = await self._blocking(sandbox.inbox)
        except Exception:
            log.warning("could not read the sandbox inbox", exc_info=True)
            return
        self.inbox_loaded.emit(list(messages))

    # ------------------------------------------------------------------ trigger service
    def _trigger_service(self) -> TriggerService | None:
        # Built on first use, in a worker thread, like every other service.
        if self._trigger is None and self._factories.trigger is not None:
            self._trigger = self._factories.trigger()
        return self._trigger


# What the role mixins subclass: ControllerBase for the type checker, nothing at run time
# (ResendController lists ControllerBase itself last among its bases).
if TYPE_CHECKING:
    ControllerPart = ControllerBase
else:
    ControllerPart = object
