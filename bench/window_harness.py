"""The window benchmarks' harness: the real window on injected services, and the timers
that watch its event loop (bench/bench_window.py runs the benchmarks).
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from app.services.sandbox_service import SandboxService

WAIT_S = 60.0


async def wait_until(cond: Callable[[], object], timeout: float = WAIT_S) -> None:
    """Let the event loop run until `cond()` holds (bounded)."""
    deadline = time.perf_counter() + timeout
    while not cond():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"condition not met within {timeout}s")
        await asyncio.sleep(0.005)


async def settle(seconds: float) -> None:
    await asyncio.sleep(seconds)


class RemoteSandbox:
    """SandboxService's interface over the sandbox process (bench.common.sandbox_process)."""

    def __init__(self, info_json: dict[str, Any]) -> None:
        from app.sandbox.control import SandboxControl
        from app.sandbox.model import SandboxInfo

        self._info = SandboxInfo.from_json(info_json)
        self._control = SandboxControl(self._info.endpoint_url, timeout_s=10.0)

    def start(self) -> Any:
        return self._info

    def stop(self) -> None:  # the bench owns the process
        pass

    @property
    def info(self) -> Any:
        return self._info

    @property
    def users(self) -> Any:
        return self._info.users

    def inbox(self, username: str | None = None) -> Any:
        return self._control.inbox(username)

    def credentials(self, client_name: str = "public") -> Any:
        from app.core.profile import ClientCredentials
        from app.core.secrets import Secret

        client = self._info.client(client_name)
        secret = Secret(client.client_secret) if client.client_secret else None
        return ClientCredentials(client.client_id, secret)


def memory_keyring() -> Any:
    """An in-memory keyring backend (the bench must not depend on a Secret Service)."""
    from keyring.backend import KeyringBackend
    from keyring.errors import PasswordDeleteError

    class MemoryKeyring(KeyringBackend):
        priority = 1

        def __init__(self) -> None:
            super().__init__()  # type: ignore[no-untyped-call]
            self.entries: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.entries.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.entries[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            if self.entries.pop((service, username), None) is None:
                raise PasswordDeleteError("not found")

    return MemoryKeyring()


class Harness:
    """Opens and closes real windows under one qasync loop."""

    def __init__(self, sandbox_json: dict[str, Any]) -> None:
        from app.services.logging_setup import configure_logging
        from app.services.paths import AppPaths

        self.sandbox_json = sandbox_json
        self.paths = AppPaths.from_platform().ensure()
        configure_logging(self.paths.log_file)  # as run_gui does: every resend is logged
        self.backend = memory_keyring()

    def factories(self) -> Any:
        from app.services.cognito_gateway import GatewayConfig
        from app.services.secret_store import SecretStore
        from app.ui.application import default_factories

        f = default_factories(
            self.paths, gateway_config=GatewayConfig(read_timeout=10.0, max_attempts=1)
        )
        backend = self.backend
        info = self.sandbox_json
        return replace(
            f,
            sandbox=lambda: cast("SandboxService", RemoteSandbox(info)),
            secret_store=lambda: SecretStore("cognito-resend-bench", backend),
            regions=lambda: [info["region"]],
        )

    def open(self, *, developer: bool = False) -> Any:
        from app.ui.application import window_settings
        from app.ui.controllers.composition import WindowControllers
        from app.ui.window.main_window import MainWindow

        controllers = WindowControllers(self.factories())
        settings = window_settings(self.paths.config_dir)
        if developer:
            # A returning developer's window: the developer view (form, history), no
            # first-run page. A first start shows the support view, where the history
            # pane is hidden and never paints (the history benchmark needs it shown).
            settings.setValue("view/mode", "developer")
            settings.setValue("view/welcomeDone", "true")
            settings.sync()
        window = MainWindow(controllers, settings, log_file=str(self.paths.log_file))
        window.resize(1200, 800)
        window.show()
        controllers.start()
        return window

    async def ready(self, window: Any) -> None:
        await wait_until(lambda: window.controllers.session.ready)
        await wait_until(lambda: window.current_profile_name() is not None)

    async def close(self, window: Any) -> None:
        window.close()
        await window.controllers.aclose()
        window.deleteLater()
        await settle(0.05)


class StallTracer:
    """--trace-stalls: samples the UI thread's stack whenever the gap timer is late by
    more than 15 ms, and prints the commonest stacks at the end (where the time goes)."""

    def __init__(self) -> None:
        import collections
        import threading

        self.samples: collections.Counter[str] = collections.Counter()
        self.last = time.perf_counter()
        self.active = False
        self._main = threading.main_thread().ident or 0
        threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self) -> None:
        import traceback

        while True:  # a daemon thread: it ends with the process
            time.sleep(0.002)
            if not self.active or time.perf_counter() - self.last < 0.015:
                continue
            frame = sys._current_frames().get(self._main)
            if frame is not None:
                stack = traceback.extract_stack(frame)[-8:]
                self.samples[" <- ".join(
                    f"{f.name}@{Path(f.filename).name}:{f.lineno}" for f in reversed(stack)
                )] += 1

    def report(self) -> None:
        print("stall samples (2 ms each), commonest UI-thread stacks:", file=sys.stderr)
        for stack, n in self.samples.most_common(15):
            print(f"{n:5d}  {stack}", file=sys.stderr)


TRACER: StallTracer | None = None


class GapTimer:
    """A 10 ms QTimer whose intervals (ms) are recorded: the UI thread's responsiveness."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.gaps: list[float] = []
        self._last: float | None = None
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        if TRACER is not None:
            TRACER.last = now
        if self._last is not None:
            self.gaps.append((now - self._last) * 1000)
        self._last = now

    def start(self) -> None:
        self.gaps, self._last = [], None
        self._timer.start()
        if TRACER is not None:
            TRACER.last, TRACER.active = time.perf_counter(), True

    def stop(self) -> list[float]:
        self._timer.stop()
        if TRACER is not None:
            TRACER.active = False
        return self.gaps


class PaintWatch:
    """Records when a widget (a view's viewport) paints."""

    def __init__(self, widget: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        watch = self

        class _Filter(QObject):
            def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 (Qt's name)
                if event.type() == QEvent.Type.Paint:
                    watch.painted.append(time.perf_counter())
                return False

        self.painted: list[float] = []
        self._filter = _Filter()
        widget.installEventFilter(self._filter)

    def after(self, t: float) -> float | None:
        return next((p for p in self.painted if p >= t), None)
