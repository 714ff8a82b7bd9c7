"""Application start: QApplication, the qasync loop, the window first, services after, clean exit.

This module is the GUI's composition root: it is the one place in app.ui that names the
concrete services (imported lazily, inside the factories, so boto3 and keyring load in a
worker thread after the window is on screen).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app import APP_ID, APP_NAME, app_version
from app.core.outcome import Attempt
from app.ui.controllers.composition import WindowControllers
from app.ui.controllers.types import ServiceFactories
from app.ui.qt_util import name_widget

if TYPE_CHECKING:
    from app.services.cognito_gateway import GatewayConfig
    from app.services.history_store import HistoryFilter, HistoryStore
    from app.services.paths import AppPaths

log = logging.getLogger(__name__)

SETTINGS_FILE = "window.ini"
# Set to "1": print WINDOW_SHOWN_MARKER once the main window is shown, then close it.
EXIT_AFTER_SHOWN_ENV = "COGNITO_RESEND_EXIT_AFTER_SHOWN"
WINDOW_SHOWN_MARKER = "cognito-resend: main window shown"


def default_factories(
    paths: AppPaths,
    *,
    gateway_config: GatewayConfig | None = None,
    with_sandbox: bool = True,
) -> ServiceFactories:
    """The real services from the composition root (each built on first call, off-thread)."""
    from app.services.composition import Composition, StackSettings

    # A cheap check on open (header, schema, newest rows) so the history paints at once;
    # the full quick_check runs after start-up (the Session verifies it).
    # Write-behind: a resend's history commit is not on its worker's path (reads wait).
    stack = Composition(
        StackSettings(paths, gateway_config, full_history_check=False, history_write_behind=True)
    )

    def regions() -> list[str]:
        from app.services.regions import cognito_regions

        return cognito_regions()

    return ServiceFactories(
        secret_store=stack.secrets,
        gateway=stack.gateway,
        history=stack.history,
        profiles=stack.profiles,
        batch_pipeline=stack.batch_pipeline,
        batch_gateway=stack.batch_gateway,
        sandbox=stack.sandbox if with_sandbox else None,
        regions=regions,
        exporter=export_history,
        trigger=stack.triggers,
    )


def export_history(fmt: str, flt: HistoryFilter, path: Path, store: HistoryStore) -> int:
    """Write the filtered history to `path` as CSV or JSON (blocking; runs off-thread)."""
    from app.services.history_export import export_csv, export_json

    writers: dict[str, Callable[[Iterable[Attempt], TextIO], int]] = {
        "csv": export_csv,
        "json": export_json,
    }
    if fmt not in writers:
        raise ValueError(f"format must be csv or json, not {fmt!r}")
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "w", encoding="utf-8", newline="") as out:
        n = writers[fmt](store.iter_filtered(flt), out)
    tmp.replace(path)
    return n


def window_settings(config_dir: Path) -> QSettings:
    """The window's QSettings, in an explicit INI file (tests relocate it via XDG_CONFIG_HOME)."""
    config_dir.mkdir(parents=True, exist_ok=True)
    return QSettings(str(config_dir / SETTINGS_FILE), QSettings.Format.IniFormat)


def app_icon() -> QIcon:
    """The window icon from the top-level `resources` package (empty icon if not shipped)."""
    from importlib import resources

    try:
        data = (resources.files("resources") / "icons" / "app.svg").read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        log.info("resources package not found; no window icon")
        return QIcon()
    pixmap = QPixmap()
    if not pixmap.loadFromData(data, "SVG"):
        log.warning("window icon not loaded: Qt's SVG image plugin could not read app.svg")
        return QIcon()
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        icon.addPixmap(pixmap.scaled(size, size))
    return icon


def crash_report(value: BaseException) -> tuple[str, str]:
    """(a one-line summary, the stack) of an unexpected exception, without its message.

    Nobody knows what an unexpected exception's message (or a chained one's) holds: a
    library may have put a client secret or a SecretHash in it, and no pattern can tell
    a secret from other text. So the report names the exception types and where they
    were raised (files, lines, functions, source lines), never the messages or locals.
    """
    te = traceback.TracebackException.from_exception(value, capture_locals=False)
    chain: list[traceback.TracebackException] = []
    current: traceback.TracebackException | None = te
    while current is not None and len(chain) < 10:
        chain.append(current)
        if current.__cause__ is not None:
            current = current.__cause__
        elif current.__context__ is not None and not current.__suppress_context__:
            current = current.__context__
        else:
            current = None
    parts: list[str] = []
    for exc in reversed(chain):  # the oldest first, as Python prints a chain
        name = _type_name(exc)
        parts.append("Traceback (most recent call last):\n" + "".join(exc.stack.format()))
        parts.append(f"{name} (message withheld: it may contain a secret)\n")
    name = _type_name(te)
    where = ""
    if te.stack:
        last = te.stack[-1]
        where = f" in {last.name} ({Path(last.filename).name}:{last.lineno})"
    return f"{name}{where}", "".join(parts)


def _type_name(exc: traceback.TracebackException) -> str:
    etype = exc.exc_type
    module, qualname = etype.__module__, etype.__qualname__
    return qualname if module in ("builtins", "__main__") else f"{module}.{qualname}"


class ErrorReporter:
    """Unhandled exceptions (slots and qasync tasks) → the log and a readable dialog.

    Both show the exception's type and where it was raised, never its message or
    locals (see `crash_report`); the dialog is not modal-blocking (open(), not exec())
    and the window stays alive.
    """

    def __init__(self, parent: Callable[[], QWidget | None]) -> None:
        self._parent = parent
        self.shown: list[str] = []  # what was reported, for tests

    def excepthook(
        self, etype: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(etype, KeyboardInterrupt):
            sys.__excepthook__(etype, value, tb)
            return
        if value.__traceback__ is None and tb is not None:
            value = value.with_traceback(tb)
        summary, stack = crash_report(value)
        log.error("unhandled exception: %s\n%s", summary, stack.rstrip())
        self._show(summary)

    def loop_exception_handler(
        self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]
    ) -> None:
        exc = context.get("exception")
        if isinstance(exc, asyncio.CancelledError):
            return
        if isinstance(exc, BaseException):
            # context["message"] may name a callback with its arguments: not logged.
            summary, stack = crash_report(exc)
            log.error("unhandled exception in a task: %s\n%s", summary, stack.rstrip())
            self._show(summary)
        else:
            log.error("event loop problem: %s", context.get("message"))
            self._show(str(context.get("message", "unknown problem")))

    def _show(self, text: str) -> None:
        from app.services.logging_setup import redact

        text = redact(text)
        self.shown.append(text)
        try:
            box = QMessageBox(self._parent())
            name_widget(box, "errorDialog")
            box.setIcon(QMessageBox.Icon.Critical)
            box.setWindowTitle(f"{APP_NAME}: unexpected error")
            box.setText("Something went wrong. The window keeps working; details are in the log.")
            box.setInformativeText(text)
            box.open()  # not exec(): a nested loop inside a failing slot helps no one
        except Exception:  # reporting must never raise into Qt
            traceback.print_exc()


def install_error_reporter(
    loop: asyncio.AbstractEventLoop, parent: Callable[[], QWidget | None]
) -> ErrorReporter:
    """Route unhandled exceptions of slots (sys.excepthook) and of the loop's tasks to an
    ErrorReporter; `sys.excepthook = sys.__excepthook__` undoes it."""
    reporter = ErrorReporter(parent)
    sys.excepthook = reporter.excepthook
    loop.set_exception_handler(reporter.loop_exception_handler)
    return reporter


async def run_window(
    factories: ServiceFactories,
    settings: QSettings,
    *,
    log_file: str = "",
    icon: QIcon | None = None,
    after_shown: Callable[[], None] | None = None,
) -> None:
    """Show the window, then start the services; return once it is closed and shut down.

    `after_shown` runs on the first loop turn after show(), for work the first paint
    need not wait for."""
    from app.ui.window.main_window import MainWindow

    controllers = WindowControllers(factories)
    window = MainWindow(controllers, settings, log_file=log_file, icon=icon)
    closed = asyncio.Event()
    window.closed.connect(closed.set)
    window.show()
    # Services start on the next loop turn, after the first paint.
    QTimer.singleShot(0, controllers.start)
    if after_shown is not None:
        QTimer.singleShot(0, after_shown)
    if os.environ.get(EXIT_AFTER_SHOWN_ENV) == "1":
        # Packaging hook (tests/packaging, bench/bench_bundle.py): prove that a window
        # came up, then close it the normal way so shutdown is exercised too.
        QTimer.singleShot(0, lambda: (print(WINDOW_SHOWN_MARKER, flush=True), window.close()))
    await closed.wait()
    await controllers.aclose()


def _no_display() -> bool:
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_gui(argv: list[str]) -> int:
    """Run the desktop app until its window closes; the process exit code."""
    if _no_display():
        print(
            f"{APP_NAME}: no display found (DISPLAY/WAYLAND_DISPLAY are unset). Run it in a "
            "desktop session, or set QT_QPA_PLATFORM=offscreen (or use xvfb-run).",
            file=sys.stderr,
        )
        return 2
    os.environ.setdefault("QT_API", "pyside6")
    import qasync

    from app.services.logging_setup import configure_logging
    from app.services.paths import AppPaths

    paths = AppPaths.from_platform()
    paths.ensure()
    configure_logging(paths.log_file)
    log.info("%s starting", APP_NAME)

    app = QApplication.instance() or QApplication(argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    # The window's close ends the coroutine below; Qt must not stop the loop under it.
    app.setQuitOnLastWindowClosed(False)
    icon = app_icon()
    app.setWindowIcon(icon)

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    install_error_reporter(loop, lambda: app.activeWindow())

    # Ctrl+C in the terminal closes the window (and so shuts down cleanly).
    signal.signal(signal.SIGINT, lambda *_: _close_all(app))
    tick = QTimer()
    tick.start(250)  # lets Python run its signal handlers while Qt waits
    tick.timeout.connect(lambda: None)

    try:
        loop.run_until_complete(
            run_window(
                default_factories(paths),
                window_settings(paths.config_dir),
                log_file=str(paths.log_file),
                icon=icon,
                # importlib.metadata costs ~30 ms: the version can wait for the first paint.
                after_shown=lambda: _set_version(app),
            )
        )
    finally:
        tick.stop()
        loop.close()
        sys.excepthook = sys.__excepthook__
    log.info("%s exited", APP_NAME)
    return 0


def _set_version(app: QApplication) -> None:
    version = app_version()
    app.setApplicationVersion(version)
    log.info("%s version %s", APP_NAME, version)


def _close_all(app: QApplication) -> None:
    for w in app.topLevelWidgets():
        if w.objectName() == "mainWindow":
            w.close()
