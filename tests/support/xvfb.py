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
from pathlib import Path

import pytest

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
