"""Real X server screenshots of the support view: the first run, a delivery, already confirmed.

As in test_screenshot.py the window runs in a subprocess on an Xvfb this test starts
(`python -m tests.gui.window.test_support_screenshots OUT_DIR`). The PNGs are also copied to
SHOTS_DIR when that folder exists (the session's review folder).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.support.xvfb import child_app, image_stats, real_window, run_on_xvfb, run_scenario

SHOTS_DIR = Path("/work/coord/shots")
SHOTS = ("support-first-run.png", "support-delivered.png", "support-already-confirmed.png")


@pytest.mark.xvfb
def test_support_view_screenshots_on_xvfb(tmp_path: Path) -> None:
    result = run_on_xvfb("tests.gui.window.test_support_screenshots", str(tmp_path), timeout=120)
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    for line in ("welcome shown", "delivered alice", "already confirmed carol"):
        assert line in result.stdout, result.stdout
    for name in SHOTS:
        width, height, colours, varied = image_stats(tmp_path / name)
        assert width >= 900 and height >= 600, name
        assert colours > 20, f"{name}: only {colours} colours"
        # A calm page by design: a field, a card or two, much empty space.
        assert varied > (height // 2) * 0.15, f"{name}: mostly blank rows"
        if SHOTS_DIR.is_dir():
            shutil.copyfile(tmp_path / name, SHOTS_DIR / name)


# ---------------------------------------------------------------- the subprocess


def _drive(out: Path) -> int:
    """A first start on the real services: welcome, Try the sandbox, two customers."""
    import asyncio


    app = child_app()
    controllers, window = real_window()
    view = window.view_stack.support_view

    async def until(check: object, what: str, seconds: float = 20) -> None:
        for _ in range(int(seconds / 0.05)):
            if check():  # type: ignore[operator]
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}")

    async def customer(text: str, card_title: str) -> object:
        view.customer_edit.setText(text)
        await until(lambda: card_title in view.card.title.text(), f"the card for {text}")
        done: asyncio.Future[object] = asyncio.get_running_loop().create_future()

        def finished(attempt: object) -> None:
            if not done.done():
                done.set_result(attempt)

        controllers.sending.attempt_finished.connect(finished)
        await until(view.send_button.isEnabled, "Send")
        view.send_button.click()
        final = await asyncio.wait_for(done, 20)
        controllers.sending.attempt_finished.disconnect(finished)
        await until(view.result.isVisible, "the result")
        await asyncio.sleep(0.4)  # a paint
        return final

    async def scenario() -> None:
        window.resize(1280, 780)
        window.show()
        controllers.start()
        await until(lambda: controllers.session.ready, "services", 30)
        assert window.view_stack.currentWidget() is window.view_stack.welcome_page
        await asyncio.sleep(0.4)
        window.grab().save(str(out / "support-first-run.png"), "PNG")
        print("welcome shown", flush=True)
        window.view_stack.welcome_page.sandbox_button.click()
        final = await customer("alice@example.com", "Ready to send")
        print(final.status.value, "alice", flush=True)  # type: ignore[attr-defined]
        window.grab().save(str(out / "support-delivered.png"), "PNG")
        await customer("carol", "Already confirmed")
        assert view.result.title.text().endswith("Already confirmed")
        print("already confirmed carol", flush=True)
        window.grab().save(str(out / "support-already-confirmed.png"), "PNG")
        window.close()
        await controllers.aclose()

    return run_scenario(app, scenario)


if __name__ == "__main__":
    sys.exit(_drive(Path(sys.argv[1])))
