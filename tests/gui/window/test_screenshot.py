"""A real X server screenshot: the window on Xvfb (xcb) after one delivery and one failure.

The test process already runs Qt offscreen, so the window runs in a subprocess with
QT_QPA_PLATFORM=xcb against an Xvfb this test starts. The subprocess is this module run
as a script (`python -m tests.gui.window.test_screenshot OUT.png`).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.support.xvfb import child_app, image_stats, real_window, run_on_xvfb, run_scenario

LEAD_COPY = Path("/tmp/cognito-resend-screenshot.png")


@pytest.mark.xvfb
def test_window_screenshot_on_xvfb(tmp_path: Path) -> None:
    out = tmp_path / "window.png"
    result = run_on_xvfb("tests.gui.window.test_screenshot", str(out), timeout=90)
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "delivered alice" in result.stdout and "failed nobody-here" in result.stdout
    shutil.copyfile(out, LEAD_COPY)
    width, height, colours, varied = image_stats(out)
    assert width >= 900 and height >= 600
    assert colours > 40, f"only {colours} colours: blank or glyph-less window?"
    assert varied > (height // 2) * 0.5, "most rows are a single colour"


# ---------------------------------------------------------------- the subprocess


def _drive(out: Path) -> int:
    """Open the real window on the real services, deliver once, fail once, grab it."""
    import asyncio


    app = child_app()
    controllers, window = real_window(
        # this shot is of the developer view
        {"view/mode": "developer", "view/welcomeDone": "true"}
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

    return run_scenario(app, scenario)


if __name__ == "__main__":
    sys.exit(_drive(Path(sys.argv[1])))
