"""A real X server screenshot of the batch window after a mixed run (Xvfb, xcb).

As tests/gui/window/test_screenshot.py does: the dialog runs in a subprocess with
QT_QPA_PLATFORM=xcb against an Xvfb this test starts (`python -m
tests.gui.dialogs.test_batch_screenshot OUT.png`).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.support.xvfb import child_app, image_stats, real_window, run_on_xvfb, run_scenario

LEAD_COPY = Path("/tmp/cognito-resend-batch-screenshot.png")
MIXED = (
    *(f"qa-user-{n:03d}" for n in range(1, 9)),
    "qa-user-002",  # a duplicate, skipped
    "bad user",  # a bad row, not sent
    "nobody-here",
    "ghost-user",
    "fault-limit",
    "fault-delivery",
    "fault-throttle",
)


@pytest.mark.xvfb
def test_batch_dialog_screenshot_on_xvfb(tmp_path: Path) -> None:
    out = tmp_path / "batch.png"
    result = run_on_xvfb("tests.gui.dialogs.test_batch_screenshot", str(out), timeout=120)
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "results 13: 8 delivered, 5 failed" in result.stdout
    shutil.copyfile(out, LEAD_COPY)
    width, height, colours, _varied = image_stats(out)
    assert width >= 600 and height >= 600
    assert colours > 40, f"only {colours} colours: blank or glyph-less dialog?"


# ---------------------------------------------------------------- the subprocess


def _drive(out: Path) -> int:
    """Open the real window, run a mixed batch in its batch dialog, grab the dialog."""
    import asyncio


    app = child_app()
    controllers, window = real_window()

    async def until(check: object, what: str) -> None:
        for _ in range(600):
            if check():  # type: ignore[operator]
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}")

    async def scenario() -> None:
        window.resize(1400, 860)
        window.show()
        controllers.start()
        await until(lambda: controllers.session.ready, "the services")
        dialog = window.open_batch_dialog()
        dialog.rate_spin.setValue(100.0)
        dialog.concurrency_spin.setValue(2)
        dialog.input_box.input_edit.setPlainText("\n".join(MIXED))
        await until(lambda: dialog.input_check is not None, "the input check")
        await until(dialog.start_button.isEnabled, "the Send button")
        dialog.start_button.click()
        await until(lambda: dialog.last_summary is not None, "the batch")
        counts = dialog.results.counts()
        print(f"results {counts.users}: {counts.delivered} delivered, {counts.failed} failed")
        dialog.raise_()
        await asyncio.sleep(0.5)  # a paint
        dialog.grab().save(str(out), "PNG")
        dialog.close()
        window.close()
        await controllers.aclose()

    return run_scenario(app, scenario)


if __name__ == "__main__":
    sys.exit(_drive(Path(sys.argv[1])))
