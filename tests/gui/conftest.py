"""GUI test fixtures: a qasync loop per test, and the real window wired to the session sandbox.

The window gets real services (gateway over HTTP to the sandbox, SQLite history and a
profiles file under this test's XDG folders). The keyring is an in-memory backend behind
the real SecretStore, except where a test asks for a locked/missing one or for the real
Secret Service (marked ``keyring``).
"""

from __future__ import annotations

import asyncio
import gc
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
import qasync
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from app.core.profile import ClientCredentials
from app.core.secrets import Secret
from app.sandbox.model import InboxMessage, SandboxInfo, SandboxUser
from app.sandbox.server import Sandbox
from app.services.cognito_gateway import GatewayConfig
from app.services.paths import AppPaths
from app.services.secret_store import SecretStore
from app.ui.application import (
    default_factories,
    window_settings,
)
from app.ui.controllers.types import ServiceFactories
from app.ui.window.main_window import MainWindow

# Short enough that a closing window never waits long, long enough for `slow-2`.
TEST_GATEWAY = GatewayConfig(connect_timeout=1.0, read_timeout=5.0, max_attempts=1)
WAIT_MS = 15_000


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring for GUI tests that are not about the keyring itself."""

    priority = 1  # type: ignore[assignment]
    # Every KeyringBackend subclass joins keyring's registry when defined; not viable
    # keeps keyring.get_keyring() (the real-keyring tests) from chaining this one in.
    viable = False

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


class LockedKeyring(MemoryKeyring):
    """A keyring that exists but refuses every call, as a locked Secret Service does."""

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("the collection is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("the collection is locked")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("the collection is locked")


class RunningSandboxService:
    """SandboxService's interface over the session's already-running Sandbox."""

    def __init__(self, box: Sandbox) -> None:
        self._box = box

    def start(self) -> SandboxInfo:
        return self._box.info

    def stop(self) -> None:  # the session fixture owns the sandbox
        pass

    @property
    def info(self) -> SandboxInfo:
        return self._box.info

    def inbox(self, username: str | None = None) -> list[InboxMessage]:
        return self._box.inbox(username)

    @property
    def users(self) -> tuple[SandboxUser, ...]:
        return self._box.info.users

    def credentials(self, client_name: str = "public") -> ClientCredentials:
        client = self._box.info.client(client_name)
        secret = Secret(client.client_secret) if client.client_secret else None
        return ClientCredentials(client.client_id, secret)


@pytest.fixture
def qloop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    """A qasync loop bound to the running QApplication for this test (GROUND.md)."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    # Never loop.stop() here: it calls QApplication.exit(), and every later exec() in
    # the process would return at once. Mark the loop as not running by hand (what
    # stop() does minus the exit), then close it: close() joins the executor threads.
    qapp.aboutToQuit.disconnect(loop._after_run_forever)
    loop._after_run_forever()
    loop._QEventLoop__is_running = False
    asyncio.events._set_running_loop(None)
    loop.close()
    asyncio.set_event_loop(None)
    # The closed loop's timer QObject sits in reference cycles. Collect them here, on the
    # GUI thread: a collection that happens to run in a worker thread would destroy the
    # QObject there, its timer stays registered, and a later test segfaults on it.
    del loop
    gc.collect()


@dataclass
class WindowHarness:
    """Builds windows on injected services and shuts them down cleanly after the test."""

    qtbot: QtBot
    sandbox: Sandbox
    paths: AppPaths
    windows: list[MainWindow]

    def factories(self, **overrides: Any) -> ServiceFactories:
        f = default_factories(self.paths, gateway_config=TEST_GATEWAY)
        service = f"cognito-resend-test-{uuid.uuid4().hex}"
        backend = MemoryKeyring()
        f = replace(
            f,
            sandbox=lambda: RunningSandboxService(self.sandbox),
            secret_store=lambda: SecretStore(service, backend),
            regions=lambda: ["eu-west-1", "us-east-1"],
        )
        return replace(f, **overrides)

    def settings(self) -> QSettings:
        return window_settings(self.paths.config_dir)

    def open(
        self,
        factories: ServiceFactories | None = None,
        *,
        wait: bool = True,
        first_run: bool = False,
    ) -> MainWindow:
        """A window on `factories`. Unless `first_run`, a fresh config starts in the developer
        view with the welcome page done (what the tests before the support view expect)."""
        from app.ui.controllers.composition import WindowControllers

        settings = self.settings()
        if not first_run and settings.value("view/mode") is None:
            settings.setValue("view/mode", "developer")
            settings.setValue("view/welcomeDone", "true")
        controllers = WindowControllers(factories or self.factories())
        window = MainWindow(controllers, settings, log_file=str(self.paths.log_file))
        self.qtbot.addWidget(window)
        self.windows.append(window)
        window.show()
        controllers.start()
        if wait:
            self.qtbot.waitUntil(lambda: controllers.session.ready, timeout=WAIT_MS)
        return window

    def close(self, window: MainWindow) -> None:
        """Close like a user does and wait for the controller to let go of its services."""
        window.close()
        task = asyncio.get_event_loop().create_task(window.controllers.aclose())
        self.qtbot.waitUntil(task.done, timeout=WAIT_MS)
        task.result()
        if window in self.windows:
            self.windows.remove(window)

    def keyring_checked(self, window: MainWindow) -> Any:
        """Probe the keyring as a stored profile's first use does; its KeyringStatus."""
        session = window.controllers.session
        task = session.check_keyring()
        assert task is not None, "the services are not built yet"
        self.qtbot.waitUntil(task.done, timeout=WAIT_MS)
        return task.result()

    def send(self, window: MainWindow, username: str, *, profile: str = "Sandbox") -> Any:
        """Type a username, click Send, and return the finished attempt."""
        assert window.select_profile(profile)
        window.form.username_edit.setText(username)
        self.qtbot.waitUntil(window.form.send_button.isEnabled, timeout=WAIT_MS)
        with self.qtbot.waitSignal(
            window.controllers.sending.attempt_finished, timeout=WAIT_MS
        ) as blocker:
            window.form.send_button.click()
        return blocker.args[0]


@pytest.fixture
def harness(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, fresh_sandbox: Sandbox
) -> Iterator[WindowHarness]:
    h = WindowHarness(qtbot, fresh_sandbox, AppPaths.from_platform().ensure(), [])
    yield h
    for window in list(h.windows):
        h.close(window)


@pytest.fixture
def window(harness: WindowHarness) -> MainWindow:
    return harness.open()


Waiter = Callable[[Callable[[], bool]], None]
