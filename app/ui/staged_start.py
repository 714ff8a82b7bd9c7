"""The window's staged start: after the first paint, the loop, the services and the rest.

`run_gui` shows the window's first screen (the page it opens on) and enters Qt's loop;
everything else is built here, one step per loop turn, so the window takes input while
it is built: logging, asyncio with qasync's loop attached to the running QApplication
(`already_running=True`), the controllers, the rest of the window (`attach_steps`), the
services' start, the icon. asyncio alone costs ~30 ms to import, the controllers ~25, the
rest of the window ~100: a window that waited for them all came up 3× slower than a bare
one (issue 15). The window's close shuts the controllers down, then stops the loop.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app import APP_NAME

if TYPE_CHECKING:
    import asyncio

    from app.services.paths import AppPaths
    from app.ui.controllers.composition import WindowControllers
    from app.ui.controllers.types import ServiceFactories
    from app.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)

WINDOW_SHOWN_MARKER = "cognito-resend: main window shown"  # also app.ui.application's
# What the controllers import, in parts of 10-15 ms (see `StagedStart._run`).
_CONTROLLER_MODULES = (
    "app.ui.controllers.profiles",
    "app.ui.controllers.diagnosis",
    "app.ui.controllers.signup",
)


class StagedStart:
    """Runs the start's steps on successive loop turns (`next_step`) and the shutdown.

    With `exit_after_shown` (the packaging check, the start benchmark) it prints
    WINDOW_SHOWN_MARKER on the first turn and closes the window the normal way once the
    start is complete, so the whole start and the shutdown are exercised."""

    def __init__(
        self,
        app: QApplication,
        window: MainWindow,
        *,
        factories: Callable[[AppPaths], ServiceFactories],
        exit_after_shown: bool = False,
    ) -> None:
        self._app = app
        self._window = window
        self.paths: AppPaths | None = None
        self._factories = factories
        self._exit_after_shown = exit_after_shown
        self._steps = self._run()
        self._closing = False
        self._failure: BaseException | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.controllers: WindowControllers | None = None
        self.complete = False
        self._tick: QTimer | None = None
        self._shutdown_task: asyncio.Task[None] | None = None
        window.closed.connect(self._on_closed)

    def next_step(self) -> None:
        """Run one step, then schedule the next one behind the events already queued."""
        if self._closing:
            return
        try:
            next(self._steps)
        except StopIteration:
            return
        except Exception as exc:  # the start cannot go on: end the loop, re-raised after it
            self._failure = exc
            self._closing = True
            self._app.exit(1)
            return
        QTimer.singleShot(0, self.next_step)

    def _run(self) -> Iterator[None]:
        if self._exit_after_shown:
            # Packaging hook (tests/packaging, bench/bench_startup.py, bench/bench_bundle.py):
            # the window is shown and this is its loop's first turn, so it takes input.
            print(WINDOW_SHOWN_MARKER, flush=True)
        yield
        paths = self._start_logging()
        yield
        self._attach_loop()
        yield
        for name in _CONTROLLER_MODULES:  # one a turn: together they take ~45 ms
            importlib.import_module(name)
            yield
        from app.ui.controllers.composition import WindowControllers

        self.controllers = WindowControllers(self._factories(paths))
        yield
        for _ in self._window.attach_steps(self.controllers):
            yield
        self.controllers.start()
        self.complete = True
        yield
        self._finish_app()
        if self._exit_after_shown:
            self._window.close()

    def _start_logging(self) -> AppPaths:
        """The app's folders, then its log file in them."""
        from app.services.logging_setup import configure_logging
        from app.services.paths import AppPaths

        self.paths = paths = AppPaths.from_platform().ensure()
        configure_logging(paths.log_file)
        log.info("%s starting", APP_NAME)
        self._window.log_file = str(paths.log_file)  # the About box names it
        return paths

    def _attach_loop(self) -> None:
        """qasync's loop on the QApplication that is already running; its errors reported."""
        import asyncio
        import signal

        import qasync

        from app.ui.application import install_error_reporter

        loop = qasync.QEventLoop(self._app, already_running=True)
        asyncio.set_event_loop(loop)
        self.loop = loop
        install_error_reporter(loop, lambda: self._app.activeWindow())
        # Ctrl+C in the terminal closes the window (and so shuts down cleanly).
        signal.signal(signal.SIGINT, lambda *_: self._window.close())
        self._tick = tick = QTimer()
        tick.start(250)  # lets Python run its signal handlers while Qt waits
        tick.timeout.connect(lambda: None)

    def _finish_app(self) -> None:
        """What the first screen did not need: the window icon (Qt's SVG plugin loads for
        it) and the version (importlib.metadata, ~30 ms)."""
        from app.ui.application import app_icon, set_version

        icon = app_icon()
        self._app.setWindowIcon(icon)
        if not icon.isNull():
            self._window.setWindowIcon(icon)
        set_version(self._app)

    # ------------------------------------------------------------------ closing
    def _on_closed(self) -> None:
        """The window closed: no further step; the controllers let go, then the loop ends."""
        self._closing = True
        if self.loop is None:
            self._app.quit()
            return
        self._shutdown_task = self.loop.create_task(self._shutdown())

    async def _shutdown(self) -> None:
        try:
            if self.controllers is not None:
                await self.controllers.aclose()
        finally:
            assert self.loop is not None
            self.loop.stop()  # qasync: ends QApplication.exec()

    def close(self) -> None:
        """After the loop: release it (qasync leaves that to the caller when it attached to
        a running QApplication) and the error hook."""
        if self._tick is not None:
            self._tick.stop()
        loop = self.loop
        if loop is not None:
            if loop.is_running():
                loop.stop()
            loop.close()
        sys.excepthook = sys.__excepthook__

    def raise_failure(self) -> None:
        """A step that failed ended the loop; its exception is raised here, after it."""
        if self._failure is not None:
            raise self._failure
