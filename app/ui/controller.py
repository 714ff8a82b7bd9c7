"""The window's controller: builds services off the UI thread and runs resends through qasync.

Widgets call plain methods here and listen to past-tense signals; every blocking step
(keyring, boto3, SQLite, the sandbox) runs in the loop's executor, and results come back
on the UI thread through `await`, so no widget is ever touched from a worker thread.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from PySide6.QtCore import QObject, Signal

from app.core.errors import decode
from app.core.outcome import Attempt
from app.core.profile import SANDBOX_PROFILE_NAME, ClientCredentials, MetadataPreset, Profile
from app.core.request import ResendInput
from app.core.secrets import Secret

if TYPE_CHECKING:
    from app.core.trigger_event import EventPreview
    from app.sandbox.model import SandboxInfo
    from app.services.cognito_gateway import CognitoGateway
    from app.services.history_store import HistoryFilter, HistoryStore
    from app.services.profile_repository import ProfileRepository
    from app.services.resend_service import ResendService
    from app.services.sandbox_service import SandboxService
    from app.services.secret_store import KeyringStatus, SecretStore
    from app.services.trigger_service import TriggerService

log = logging.getLogger(__name__)

T = TypeVar("T")

# Shown in an event preview when the keyring cannot give the profile's client id.
CLIENT_ID_PLACEHOLDER = "<app client id>"
# The sandbox app clients a user can pick for the built-in profile.
SANDBOX_CLIENT_NAMES = ("public", "protected", "secret")


@dataclass(frozen=True)
class ServiceFactories:
    """How to build each service. Each factory is called once, in a worker thread.

    Tests inject factories that point at the session sandbox and tmp folders; the
    application passes the real ones (see app.ui.application.default_factories).
    """

    secret_store: Callable[[], SecretStore]
    gateway: Callable[[], CognitoGateway]
    history: Callable[[], HistoryStore]
    profiles: Callable[[], ProfileRepository]
    resend: Callable[[CognitoGateway, SecretStore, HistoryStore], ResendService]
    begin_attempt: Callable[..., Attempt]
    sandbox: Callable[[], SandboxService] | None = None
    regions: Callable[[], list[str]] | None = None
    exporter: Callable[[str, HistoryFilter, Path, HistoryStore], int] | None = None
    # Event preview and the sandbox's local trigger (the "trigger debugging" section).
    trigger: Callable[[], TriggerService] | None = None
    warm_up_region: str = "us-east-1"


@dataclass(frozen=True)
class SendRequest:
    """What the form collected for one send (the client id comes from the profile)."""

    profile_name: str
    raw: ResendInput
    # Typed for this session only (keyring missing/locked); kept in memory, never stored.
    session_credentials: ClientCredentials | None = None


@dataclass(frozen=True)
class ProfileEdit:
    """A profile the dialog produced, its credentials and the name it had before (if any)."""

    profile: Profile
    client_id: str
    # None keeps the stored secret; an empty Secret removes it.
    client_secret: Secret | None
    previous_name: str | None = None


class ResendController(QObject):
    """Owns the services and the in-flight work; the window only talks to this."""

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

    # ------------------------------------------------------------------ start-up
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
            self._blocking(f.history),
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
        self._secrets, self._history, self._repo = secrets, history, repo
        self._gateway = gateway
        self._resend = f.resend(gateway, secrets, history)
        self.history_opened.emit(history)
        recovered = getattr(history, "recovered_from", None)
        if recovered:
            self.problem_reported.emit(
                "History file was damaged",
                f"The history file could not be read and was moved aside to {recovered}; "
                "a new, empty history was started.",
            )
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

    # ------------------------------------------------------------------ profiles
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

    def save_profile(self, edit: ProfileEdit) -> asyncio.Task[bool]:
        """Store the profile's fields in the file and its id/secret in the keyring."""
        return self._spawn(self._save_profile(edit))

    async def _save_profile(self, edit: ProfileEdit) -> bool:
        if self._repo is None or self._secrets is None:
            self.problem_reported.emit("Not ready", "Services are still starting; try again.")
            return False
        try:
            stored_keyring = await self._blocking(self._save_profile_blocking, edit)
        except Exception as exc:
            log.warning("saving profile %r failed: %s", edit.profile.name, type(exc).__name__)
            self.problem_reported.emit(f"Could not save profile “{edit.profile.name}”", str(exc))
            return False
        self._rebuild_profiles(
            [
                p
                for p in self._user_profiles()
                if p.name not in (edit.previous_name, edit.profile.name)
            ]
            + [edit.profile]
        )
        if not stored_keyring:
            self.problem_reported.emit(
                "Credentials not stored",
                f"Profile “{edit.profile.name}” was saved, but its client ID and secret could not "
                "be stored because the keyring is unavailable. Type them in the form's session "
                "fields to send now; nothing is written to disk.",
            )
        return True

    def _save_profile_blocking(self, edit: ProfileEdit) -> bool:
        assert self._repo is not None and self._secrets is not None
        from app.services.secret_store import SecretStoreError

        old = edit.previous_name
        profile = edit.profile
        keyring_ok = True
        try:
            secret = edit.client_secret
            if old and old != profile.name:
                self._secrets.rename(old, profile.name)
            if secret is None and profile.has_secret:
                # Keep the stored secret: read it back so save() writes both fields again.
                secret = self._secrets.load(profile.name).client_secret
            creds = ClientCredentials(edit.client_id, secret if secret else None)
            profile = replace(profile, has_secret=bool(creds.client_secret))
            self._secrets.save(profile.name, creds)
        except SecretStoreError:
            keyring_ok = False
        # One atomic write that also renames: a save-then-remove would delete the
        # profile when only the case of its name changed (names compare case-blind).
        self._repo.save(profile, replacing=old or None)
        return keyring_ok

    def delete_profile(self, name: str) -> asyncio.Task[bool]:
        return self._spawn(self._delete_profile(name))

    async def _delete_profile(self, name: str) -> bool:
        if self._repo is None or self._secrets is None:
            return False
        repo, secrets = self._repo, self._secrets

        def work() -> None:
            from app.services.secret_store import SecretStoreError

            repo.remove(name)
            try:
                secrets.delete(name)
            except SecretStoreError as exc:
                log.warning("keyring entry of %r not deleted: %s", name, exc.problem)

        try:
            await self._blocking(work)
        except Exception as exc:
            self.problem_reported.emit(f"Could not delete profile “{name}”", str(exc))
            return False
        self._rebuild_profiles([p for p in self._user_profiles() if p.name != name])
        return True

    async def stored_client_id(self, name: str) -> str | None:
        """The profile's client id from the keyring (for the edit dialog), or None."""
        if self._secrets is None:
            return None
        secrets = self._secrets

        def work() -> str | None:
            from app.services.secret_store import SecretStoreError

            try:
                return secrets.load(name).client_id
            except SecretStoreError:
                return None

        return await self._blocking(work)

    # ------------------------------------------------------------------ sending
    def send(self, request: SendRequest) -> asyncio.Task[Attempt | None]:
        """Start one resend and resolve to its final attempt (None if it never started)."""

        async def whole() -> Attempt | None:
            finishing = await self.begin_send(request)
            return await finishing if finishing is not None else None

        return self._spawn(whole())

    async def begin_send(self, request: SendRequest) -> asyncio.Task[Attempt] | None:
        """Resolve credentials and register the PENDING attempt (`attempt_started`).

        Returns as soon as the attempt is pending, with the task that finishes it, so the
        Send button is free again while the call is in flight.
        """
        if not self.ready or self._resend is None:
            self.problem_reported.emit("Not ready", "Services are still starting; try again.")
            return None
        profile = self.profile(request.profile_name)
        if profile is None:
            self.problem_reported.emit(
                "No such profile", f"Profile “{request.profile_name}” no longer exists."
            )
            return None
        creds = request.session_credentials
        failure: str | None = None
        if profile.builtin and self._sandbox is not None:
            creds = self._sandbox.credentials(self._sandbox_client)
        elif creds is None:
            creds, failure = await self._blocking(self._keyring_credentials, profile.name)
        raw = replace(request.raw, client_id=creds.client_id if creds else "")
        if creds is not None:
            profile = replace(profile, has_secret=bool(creds.client_secret))
        attempt = self._factories.begin_attempt(profile, raw, client_id=raw.client_id)
        self.attempt_started.emit(attempt)
        return self._spawn(self._finish_send(attempt, profile, raw, creds, failure), send=True)

    async def _finish_send(
        self,
        attempt: Attempt,
        profile: Profile,
        raw: ResendInput,
        creds: ClientCredentials | None,
        failure: str | None,
    ) -> Attempt:
        assert self._resend is not None
        try:
            if creds is None:
                final = attempt.failed(decode("CredentialsUnavailable", failure or ""))
                if self._history is not None:
                    await self._blocking(self._history.append, final)
            else:
                final = await self._blocking(self._resend.run, attempt, profile, raw, creds)
        except asyncio.CancelledError:
            # The worker thread still finishes (short timeouts) and the service records it.
            self.attempt_finished.emit(attempt.failed(decode("Cancelled")))
            raise
        except Exception as exc:
            log.exception("resend crashed")
            final = attempt.failed(decode("UnknownError", f"{type(exc).__name__}: {exc}"))
        if profile.builtin and final.request_id:
            try:
                final = await self._with_trigger_notes(final)
            except asyncio.CancelledError:
                self.attempt_finished.emit(final)
                raise
        self.attempt_finished.emit(final)
        if profile.builtin:
            self.refresh_inbox()
        return final

    async def credentials_for(
        self, profile: Profile, session_credentials: ClientCredentials | None = None
    ) -> tuple[ClientCredentials | None, str | None]:
        """A profile's client id/secret, as a single send gets them: the sandbox's client for
        the built-in profile, typed session credentials, else the keyring (off the UI thread).
        Returns (credentials, None) or (None, why not)."""
        if profile.builtin and self._sandbox is not None:
            return self._sandbox.credentials(self._sandbox_client), None
        if session_credentials is not None:
            return session_credentials, None
        if self._secrets is None:
            return None, "Services are still starting; try again."
        return await self._blocking(self._keyring_credentials, profile.name)

    def _keyring_credentials(self, name: str) -> tuple[ClientCredentials | None, str | None]:
        assert self._secrets is not None
        from app.services.secret_store import SecretStoreError

        try:
            return self._secrets.load(name), None
        except SecretStoreError as exc:
            return None, str(exc)

    # ------------------------------------------------------------------ sandbox
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

    # ------------------------------------------------------------------ export
    def export_history(self, fmt: str, path: str, flt: HistoryFilter) -> asyncio.Task[None]:
        return self._spawn(self._export(fmt, path, flt))

    async def _export(self, fmt: str, path: str, flt: HistoryFilter) -> None:
        if self._history is None or self._factories.exporter is None:
            self.problem_reported.emit("Export unavailable", "The history is not open yet.")
            return
        try:
            n = await self._blocking(self._factories.exporter, fmt, flt, Path(path), self._history)
        except Exception as exc:
            log.warning("export to %s failed: %s", path, exc)
            self.problem_reported.emit("Export failed", f"Could not write {path}: {exc}")
            return
        self.status_changed.emit(f"Exported {n} attempt(s) to {path}")
        self.export_finished.emit(path, n)

    # ------------------------------------------------------------------ trigger debugging
    def _trigger_service(self) -> TriggerService | None:
        # Built on first use, in a worker thread, like every other service.
        if self._trigger is None and self._factories.trigger is not None:
            self._trigger = self._factories.trigger()
        return self._trigger

    async def _with_trigger_notes(self, final: Attempt) -> Attempt:
        """`final` with its local trigger run (duration, exit status, output) in `notes`,
        stored again in the history; unchanged when no trigger ran or the lookup fails."""
        info, history = self._sandbox_info, self._history
        if info is None or final.request_id is None or self._factories.trigger is None:
            return final
        request_id, url = final.request_id, info.endpoint_url

        def work() -> Attempt:
            from app.services.trigger_notes import trigger_run_notes

            service = self._trigger_service()
            run = service.run_for(url, request_id) if service is not None else None
            if run is None:
                return final
            noted = replace(final, notes=trigger_run_notes(run))
            if history is not None:
                history.append(noted)  # replaces the row the resend service wrote
            return noted

        try:
            return await self._blocking(work)
        except Exception:  # the send itself is done; its trigger details are a bonus
            log.warning("could not read the trigger run of %s", request_id, exc_info=True)
            return final

    def preview_event(
        self, profile_name: str, raw: ResendInput, session: ClientCredentials | None = None
    ) -> asyncio.Task[EventPreview | None]:
        """The CustomMessage_ResendCode event this form would cause (None when unavailable)."""
        return self._spawn(self._preview_event(profile_name, raw, session))

    async def _preview_event(
        self, profile_name: str, raw: ResendInput, session: ClientCredentials | None
    ) -> EventPreview | None:
        profile = self.profile(profile_name)
        if profile is None or self._factories.trigger is None:
            self.problem_reported.emit("No preview", "Choose a profile first.")
            return None
        sandbox = self._sandbox
        secrets = self._secrets
        sandbox_client = self._sandbox_client

        def work() -> EventPreview:
            service = self._trigger_service()
            assert service is not None
            if profile.builtin and sandbox is not None:
                client_id = sandbox.credentials(sandbox_client).client_id
            elif session is not None and session.client_id:
                client_id = session.client_id
            else:
                client_id = _stored_client_id(secrets, profile.name)
            return service.preview(
                profile,
                username=raw.username.strip(),
                client_id=client_id,
                # As the resend sends it: rows without a key are dropped.
                client_metadata={k: v for k, v in raw.client_metadata if k},
            )

        try:
            return await self._blocking(work)
        except Exception as exc:
            log.warning("event preview failed", exc_info=True)
            self.problem_reported.emit("Could not build the event", f"{type(exc).__name__}: {exc}")
            return None

    def attach_trigger(self, handler: str | None) -> asyncio.Task[str | None]:
        """Attach ``file.py:function`` to the sandbox's CustomMessage trigger (None detaches);
        `trigger_changed` or `trigger_failed` tells the outcome."""
        return self._spawn(self._set_trigger(handler, change=True))

    def refresh_trigger(self) -> asyncio.Task[str | None]:
        """Ask the sandbox which handler is attached (`trigger_changed`)."""
        return self._spawn(self._set_trigger(None, change=False))

    async def _set_trigger(self, handler: str | None, *, change: bool) -> str | None:
        info = self._sandbox_info
        if info is None or self._factories.trigger is None:
            self.trigger_failed.emit("the sandbox is not running")
            return None
        url = info.endpoint_url

        def work() -> str | None:
            service = self._trigger_service()
            assert service is not None
            return service.attach(url, handler) if change else service.attached(url)

        try:
            attached = await self._blocking(work)
        except Exception as exc:  # TriggerServiceError: the sandbox's 400 says why
            log.warning("trigger %s failed: %s", "attach" if change else "query", exc)
            self.trigger_failed.emit(str(exc))
            return None
        self.trigger_changed.emit(attached)
        return attached

    def set_sandbox_presets(self, presets: tuple[MetadataPreset, ...]) -> None:
        """The built-in profile's presets, as the window keeps them in its settings."""
        self._sandbox_presets = tuple(presets)
        if self._sandbox_info is not None:
            self._rebuild_profiles(self._user_profiles())

    def save_presets(
        self, profile_name: str, presets: tuple[MetadataPreset, ...]
    ) -> asyncio.Task[bool]:
        """Store a profile's metadata presets: in the profiles file (off the UI thread), or in
        memory for the built-in profile (the window persists those in its settings)."""
        return self._spawn(self._save_presets(profile_name, presets))

    async def _save_presets(self, profile_name: str, presets: tuple[MetadataPreset, ...]) -> bool:
        profile = self.profile(profile_name)
        if profile is None:
            self.problem_reported.emit("No such profile", f"Profile “{profile_name}” is gone.")
            return False
        if profile.builtin:
            self.set_sandbox_presets(presets)
            return True
        if self._repo is None:
            self.problem_reported.emit("Not ready", "Services are still starting; try again.")
            return False
        updated = replace(profile, presets=tuple(presets))
        try:
            await self._blocking(self._repo.save, updated)
        except Exception as exc:
            log.warning("saving presets of %r failed: %s", profile_name, exc)
            self.problem_reported.emit(f"Could not save the presets of “{profile_name}”", str(exc))
            return False
        self._rebuild_profiles(
            [p for p in self._user_profiles() if p.name != profile.name] + [updated]
        )
        return True

    # ------------------------------------------------------------------ shutdown
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


def _stored_client_id(secrets: SecretStore | None, name: str) -> str:
    """A profile's client id from the keyring, or a visible placeholder (blocking)."""
    from app.services.secret_store import SecretStoreError

    if secrets is None:
        return CLIENT_ID_PLACEHOLDER
    try:
        return secrets.load(name).client_id
    except SecretStoreError:
        return CLIENT_ID_PLACEHOLDER
