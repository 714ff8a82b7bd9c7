"""A real X server screenshot: the window on Xvfb (xcb) after one delivery and one failure.

The test process already runs Qt offscreen, so the window runs in a subprocess with
QT_QPA_PLATFORM=xcb against an Xvfb this test starts. The subprocess is this module run
as a script (`python -m tests.gui.window.test_screenshot OUT.png`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LEAD_COPY = Path("/tmp/cognito-resend-screenshot.png")
SCREEN = "1440x900x24"


def _start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", SCREEN, "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    # Xvfb writes the display number it chose once it accepts connections.
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        proc.kill()
        raise RuntimeError("Xvfb did not report a display number")
    return proc, f":{number}"


def _image_stats(path: Path) -> tuple[int, int, int, int]:
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


def run_on_xvfb(module: str, arg: str, timeout: float) -> subprocess.CompletedProcess[str]:
    """`python -m module arg` on a fresh Xvfb (xcb); skips (fails under CI) without Xvfb."""
    if shutil.which("Xvfb") is None:
        reason = "Xvfb is not installed (Debian: apt-get install xvfb)"
        if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            pytest.fail(f"CI is set but {reason}")
        pytest.skip(reason)
    xvfb, display = _start_xvfb()
    try:
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", QT_API="pyside6")
        return subprocess.run(
            [sys.executable, "-m", module, arg],
            cwd=Path(__file__).resolve().parents[3],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)


@pytest.mark.xvfb
def test_window_screenshot_on_xvfb(tmp_path: Path) -> None:
    out = tmp_path / "window.png"
    result = run_on_xvfb("tests.gui.window.test_screenshot", str(out), 90)
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "delivered alice" in result.stdout and "failed nobody-here" in result.stdout
    shutil.copyfile(out, LEAD_COPY)
    width, height, colours, varied = _image_stats(out)
    assert width >= 900 and height >= 600
    assert colours > 40, f"only {colours} colours: blank or glyph-less window?"
    assert varied > (height // 2) * 0.5, "most rows are a single colour"


# ---------------------------------------------------------------- the subprocess


def _drive(out: Path) -> int:
    """Open the real window on the real services, deliver once, fail once, grab it."""
    import asyncio

    import qasync
    from PySide6.QtWidgets import QApplication

    from app.services.cognito_gateway import GatewayConfig
    from app.services.paths import AppPaths
    from app.ui.application import (
        app_icon,
        default_factories,
        window_settings,
    )
    from app.ui.controllers.composition import WindowControllers
    from app.ui.window.main_window import MainWindow

    app = QApplication([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)
    paths = AppPaths.from_platform().ensure()
    factories = default_factories(
        paths, gateway_config=GatewayConfig(connect_timeout=1, read_timeout=5, max_attempts=1)
    )
    controllers = WindowControllers(factories)
    settings = window_settings(paths.config_dir)
    settings.setValue("view/mode", "developer")  # this shot is of the developer view
    settings.setValue("view/welcomeDone", "true")
    window = MainWindow(
        controllers,
        settings,
        log_file=str(paths.log_file),
        icon=app_icon(),
    )

    async def scenario() -> None:
        window.resize(1400, 860)
        window.show()
        controllers.start()
        for _ in range(600):
            if controllers.session.ready:
                break
            await asyncio.sleep(0.05)
        assert controllers.session.ready, "services did not start"
        window.form.metadata.add_row("source", "qa-run")
        window.form.metadata.add_row("locale", "de")
        for username in ("alice", "nobody-here"):
            window.form.username_edit.setText(username)
            done: asyncio.Future[object] = asyncio.get_running_loop().create_future()

            def finished(attempt: object, done: asyncio.Future[object] = done) -> None:
                if not done.done():
                    done.set_result(attempt)

            controllers.sending.attempt_finished.connect(finished)
            assert window.form.send_button.isEnabled(), window.form.send_hint.text()
            window.form.send_button.click()  # the user's path: the async slot
            final = await asyncio.wait_for(done, 20)
            controllers.sending.attempt_finished.disconnect(finished)
            print(final.status.value, username, flush=True)  # type: ignore[attr-defined]
        await asyncio.sleep(0.5)  # inbox refresh and a paint
        window.grab().save(str(out), "PNG")
        window.close()
        await controllers.aclose()

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(scenario())
    finally:
        loop.close()
    return 0


if __name__ == "__main__":
    sys.exit(_drive(Path(sys.argv[1])))
