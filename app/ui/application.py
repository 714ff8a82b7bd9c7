"""Application start: QApplication, the first screen, then (staged) the loop and services.

This module is the GUI's composition root: it is the one place in app.ui that names the
concrete services (imported lazily, inside the factories, so boto3 and keyring load in a
worker thread after the window is on screen). It imports no asyncio and nothing heavy:
`run_gui` paints the window's first screen before asyncio, qasync, the controllers and
the rest of the window are imported (app/ui/staged_start.py).
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from app import APP_ID, APP_NAME, app_version
from app.ui.qt_util import name_widget
from app.ui.staged_start import WINDOW_SHOWN_MARKER as STAGED_MARKER

if TYPE_CHECKING:
    import asyncio

    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QWidget

    from app.core.outcome import Attempt
    from app.services.cognito_gateway import GatewayConfig
    from app.services.history_store import HistoryFilter, HistoryStore
    from app.services.paths import AppPaths
    from app.ui.controllers.types import ServiceFactories

log = logging.getLogger(__name__)

SETTINGS_FILE = "window.ini"
# Set to "1": print WINDOW_SHOWN_MARKER once the main window is shown, then close it once
# the rest is built and the services started (app/ui/staged_start.py).
EXIT_AFTER_SHOWN_ENV = "COGNITO_RESEND_EXIT_AFTER_SHOWN"
WINDOW_SHOWN_MARKER = STAGED_MARKER


def default_factories(
    paths: AppPaths,
    *,
    gateway_config: GatewayConfig | None = None,
    with_sandbox: bool = True,
) -> ServiceFactories:
    """The real services from the composition root (each built on first call, off-thread)."""
    from app.services.composition import Composition, StackSettings
    from app.ui.controllers.types import ServiceFactories

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

    from PySide6.QtGui import QIcon, QPixmap

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
        import asyncio

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
            from PySide6.QtWidgets import QMessageBox

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
    from app.services.config_location import user_config_dir
    from app.ui.staged_start import StagedStart
    from app.ui.window.main_window import MainWindow

    app = QApplication.instance() or QApplication(argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    # The window's close starts the shutdown (StagedStart); Qt must not end the loop first.
    app.setQuitOnLastWindowClosed(False)

    # The first screen only; the rest (AppPaths and the log included) is built once it is
    # painted, on the next loop turns.
    window = MainWindow(None, window_settings(user_config_dir()))
    window.show()
    start = StagedStart(
        app,
        window,
        factories=default_factories,
        exit_after_shown=os.environ.get(EXIT_AFTER_SHOWN_ENV) == "1",
    )
    QTimer.singleShot(0, start.next_step)  # the first turn of the loop, after show()
    try:
        code = app.exec()
    finally:
        start.close()
    start.raise_failure()
    log.info("%s exited", APP_NAME)
    return code


def set_version(app: QApplication) -> None:
    """The application's version, from the installed distribution (~30 ms: after the paint)."""
    version = app_version()
    app.setApplicationVersion(version)
    log.info("%s version %s", APP_NAME, version)
