"""Run a child process on a fresh Xvfb (xcb): the screenshot tests' one runner.

The test process runs Qt offscreen, so a screenshot test runs its window in a subprocess
(`python -m <module> ARGS...`) with QT_QPA_PLATFORM=xcb against an Xvfb started here on a
display Xvfb picks itself (``-displayfd``). Xvfb is always stopped afterwards, and both
the wait for Xvfb and the child have a timeout.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from app.ui.controllers.composition import WindowControllers
    from app.ui.window.main_window import MainWindow

SCREEN = "1440x900x24"
REPO_ROOT = Path(__file__).resolve().parents[2]


def start_xvfb(screen: str = SCREEN, timeout: float = 30) -> tuple[subprocess.Popen[bytes], str]:
    """Start Xvfb on a free display; (the process, ":N") once it accepts connections."""
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", screen, "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    # Xvfb writes the display number it chose once it accepts connections.
    with os.fdopen(read_fd) as pipe:
        ready, _, _ = select.select([pipe], [], [], timeout)
        number = pipe.readline().strip() if ready else ""
    if not number:
        stop_xvfb(proc)
        raise RuntimeError("Xvfb did not report a display number")
    return proc, f":{number}"


def stop_xvfb(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def require_xvfb() -> None:
    """Skip without Xvfb (fail instead when CI is set)."""
    if shutil.which("Xvfb") is None:
        reason = "Xvfb is not installed (Debian: apt-get install xvfb)"
        if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            pytest.fail(f"CI is set but {reason}")
        pytest.skip(reason)


def run_on_xvfb(module: str, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    """`python -m module args...` on a fresh Xvfb (xcb); skips (fails under CI) without Xvfb."""
    require_xvfb()
    xvfb, display = start_xvfb()
    try:
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", QT_API="pyside6")
        return subprocess.run(
            [sys.executable, "-m", module, *args],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    finally:
        stop_xvfb(xvfb)


def image_stats(path: Path) -> tuple[int, int, int, int]:
    """(width, height, distinct colours, rows with more than one colour)."""
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    assert not image.isNull(), f"{path} is not an image"
    colours: set[int] = set()
    varied = 0
    for y in range(0, image.height(), 2):
        row = {image.pixel(x, y) for x in range(0, image.width(), 3)}
        colours |= row
        varied += len(row) > 1
    return image.width(), image.height(), len(colours), varied


# ---------------------------------------------------------------- in the child process


def child_app() -> QApplication:
    """The child's QApplication (it stays up when its last window closes)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)
    return app


def real_window(
    settings_values: dict[str, str] | None = None,
) -> tuple[WindowControllers, MainWindow]:
    """(controllers, MainWindow) on the real services, as the application builds them,
    with short network timeouts; `settings_values` go into the window settings first."""
    from app.services.cognito_gateway import GatewayConfig
    from app.services.paths import AppPaths
    from app.ui.application import app_icon, default_factories, window_settings
    from app.ui.controllers.composition import WindowControllers
    from app.ui.window.main_window import MainWindow

    paths = AppPaths.from_platform().ensure()
    factories = default_factories(
        paths, gateway_config=GatewayConfig(connect_timeout=1, read_timeout=5, max_attempts=1)
    )
    controllers = WindowControllers(factories)
    settings = window_settings(paths.config_dir)
    for key, value in (settings_values or {}).items():
        settings.setValue(key, value)
    window = MainWindow(controllers, settings, log_file=str(paths.log_file), icon=app_icon())
    return controllers, window


def run_scenario(app: QApplication, scenario: Callable[[], Coroutine[Any, Any, None]]) -> int:
    """Run `scenario()` to its end on a qasync loop over `app`; 0 (the child's exit code)."""
    import asyncio

    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(scenario())
    finally:
        loop.close()
    return 0
