"""Controller start-up and shutdown: build the services off the UI thread, then close them."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, cast

from app.core.profile import Profile
from app.ui.controller_base import ControllerPart

if TYPE_CHECKING:
    from app.services.cognito_gateway import CognitoGateway
    from app.services.history_store import HistoryStore
    from app.services.profile_repository import ProfileRepository
    from app.services.secret_store import KeyringStatus, SecretStore

log = logging.getLogger(__name__)


class StartupMixin(ControllerPart):
    """Loads every service in the background and closes them when the window goes."""

    def start(self) -> asyncio.Task[None]:
        """Load every service in the background; `services_ready` fires when Send may run."""
        return self._spawn(self._load_services())

    async def _load_services(self) -> None:
        f = self._factories
        self.status_changed.emit("Starting sandbox…" if f.sandbox else "Loading…")
        # Independent start-up steps run side by side; each reports its own failure.
        sandbox_step = self._start_sandbox() if f.sandbox else _nothing()
        regions_step = self._load_regions() if f.regions else _nothing()
        results = await asyncio.gather(
            self._blocking(f.secret_store),
            self._blocking(f.gateway),
            self._open_history(),
            self._blocking(f.profiles),
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
        self._secrets, self._repo = secrets, repo
        self._gateway = gateway
        self._resend = f.resend(gateway, secrets, history)
        status, user_profiles, problem = await self._blocking(self._status_and_profiles)
        if problem:
            self.problem_reported.emit("Profiles file unreadable", problem)
        self._keyring_status = status
        self.keyring_status_changed.emit(status)
        self._rebuild_profiles(user_profiles)
        # Warming the client costs ~200 ms of GIL time; do it now rather than on first Send.
        sb = self._sandbox_info
        try:
            await self._blocking(
                gateway.warm_up,
                sb.region if sb else f.warm_up_region,
                sb.endpoint_url if sb else None,
            )
        except Exception:  # a failed warm-up only costs time on the first send
            log.warning("gateway warm-up failed", exc_info=True)
        self._ready = True
        self.status_changed.emit("Ready")
        self.services_ready.emit()
        self._spawn(self._verify_history(history))

    async def _verify_history(self, history: HistoryStore) -> None:
        """The full integrity check the fast open skipped; damage is reported, not hidden."""
        verify = getattr(history, "verify", None)
        if verify is None or self._closing:
            return
        try:
            reason = await self._blocking(verify)
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
        history = await self._blocking(self._factories.history)
        self._history = history
        self.history_opened.emit(history)
        recovered = getattr(history, "recovered_from", None)
        if recovered:
            self.problem_reported.emit(
                "History file was damaged",
                f"The history file could not be read and was moved aside to {recovered}; "
                "a new, empty history was started.",
            )
        return history

    def _status_and_profiles(self) -> tuple[KeyringStatus, list[Profile], str | None]:
        assert self._secrets is not None and self._repo is not None
        status = self._secrets.status()
        try:
            return status, self._repo.list(), None
        except Exception as exc:  # ProfileFileError: a damaged file is moved aside
            log.warning("profiles file unreadable: %s", exc)
            return status, [], str(exc)

    async def _start_sandbox(self) -> None:
        assert self._factories.sandbox is not None
        try:
            sandbox = await self._blocking(self._factories.sandbox)
            info = await self._blocking(sandbox.start)
        except Exception as exc:
            log.error("sandbox did not start", exc_info=True)
            self.sandbox_failed.emit(str(exc))
            self.problem_reported.emit(
                "Sandbox did not start",
                f"The built-in sandbox could not start ({exc}). Profiles that call AWS still work.",
            )
            return
        self._sandbox, self._sandbox_info = sandbox, info
        self.sandbox_started.emit(info)
        if self._profiles or self._repo is not None:
            self._rebuild_profiles(self._user_profiles())

    async def _load_regions(self) -> None:
        assert self._factories.regions is not None
        try:
            regions = await self._blocking(self._factories.regions)
        except Exception:
            log.warning("could not list regions; keeping the built-in list", exc_info=True)
            return
        self.regions_loaded.emit(regions)

    async def aclose(self, timeout: float = 15.0) -> None:
        """Let in-flight sends end (their timeouts are short), then close the services."""
        self._closing = True
        pending = [t for t in self._tasks if not t.done()]
        if pending:
            done, still = await asyncio.wait(pending, timeout=timeout)
            for task in still:
                task.cancel()
            if still:
                await asyncio.wait(still, timeout=1.0)
        history, sandbox = self._history, self._sandbox
        self._history = None
        self._sandbox = None

        def close_all() -> None:
            if history is not None:
                history.close()
            if sandbox is not None:
                sandbox.stop()

        try:
            await self._blocking(close_all)
        except Exception:
            log.warning("error while closing services", exc_info=True)


async def _nothing() -> None:
    return None
