"""Screenshots of the developer view at 1366x768 on Xvfb, light and dark (issue 14).

Like test_screenshot.py, the window runs in a subprocess on a real X server (xcb). It
also measures there what the offscreen platform cannot show: the minimum size with the
real fonts, and Ctrl+E typed in the username field (xcb's key bindings claim Ctrl+E).
Set COGNITO_SHOTS_DIR to keep the PNGs.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.support.xvfb import child_app, image_stats, real_window, run_on_xvfb, run_scenario

SIZE = (1366, 768)


@pytest.mark.xvfb
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_developer_view_at_1366_on_xvfb(tmp_path: Path, scheme: str) -> None:
    out = tmp_path / f"developer-view-{scheme}.png"
    result = run_on_xvfb(
        "tests.gui.window.test_developer_view_shots", str(out), scheme, timeout=120
    )
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    print(result.stdout)
    facts = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    assert int(facts["min_width"]) <= SIZE[0] - 16
    assert int(facts["min_width"]) <= 1024 - 16
    assert facts["history_hscroll"] == "False"
    assert facts["ctrl_e_from_username"] == "True"
    width, height, colours, _varied = image_stats(out)
    assert (width, height) == SIZE and colours > 40
    keep = os.environ.get("COGNITO_SHOTS_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out, Path(keep) / out.name)


# ---------------------------------------------------------------- the subprocess


def _drive(out: Path, scheme: str) -> int:
    """Open the real window at 1366x768, deliver once, fail once, measure, grab it."""
    import asyncio

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from app.ui.window.text_field_shortcuts import TextFieldShortcuts
    from tests.gui.test_theme import dark_palette

    app = child_app()
    app.setStyle("Fusion")
    if scheme == "dark":
        app.setPalette(dark_palette())
    controllers, window = real_window()

    async def send(username: str) -> object:
        done: asyncio.Future[object] = asyncio.get_running_loop().create_future()

        def finished(attempt: object) -> None:
            if not done.done():
                done.set_result(attempt)

        controllers.sending.attempt_finished.connect(finished)
        window.form.username_edit.setText(username)
        assert window.form.send_button.isEnabled(), window.form.send_hint.text()
        window.form.send_button.click()
        final = await asyncio.wait_for(done, 20)
        controllers.sending.attempt_finished.disconnect(finished)
        return final

    async def ctrl_e_opens_the_preview() -> bool:
        window.event_dialog = None
        window.activateWindow()
        window.form.username_edit.setFocus()
        await asyncio.sleep(0.2)
        QTest.keyClick(window.form.username_edit, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
        for _ in range(40):
            dialog = getattr(window, "event_dialog", None)  # set by the async preview
            if dialog is not None:
                dialog.close()
                window.event_dialog = None
                return True
            await asyncio.sleep(0.05)
        return False

    async def scenario() -> None:
        window.resize(*SIZE)
        window.show()
        controllers.start()
        for _ in range(600):
            if controllers.session.ready:
                break
            await asyncio.sleep(0.05)
        assert controllers.session.ready, "services did not start"
        window.views.set_developer(True)  # past the first-run welcome page
        await asyncio.sleep(0.3)
        print(f"min_width={window.minimumSizeHint().width()}")
        print(f"min_height={window.minimumSizeHint().height()}")
        print(f"profile_bar_min={window.profile_bar.minimumSizeHint().width()}")
        print(f"dock_min={window.sandbox_dock.minimumSizeHint().width()}")
        print(f"ctrl_e_from_username={await ctrl_e_opens_the_preview()}")
        guard = window.findChild(TextFieldShortcuts)
        assert guard is not None
        window.form.username_edit.removeEventFilter(guard)
        print(f"ctrl_e_without_guard={await ctrl_e_opens_the_preview()}")
        window.form.username_edit.installEventFilter(guard)
        for username in ("alice", "nobody-here"):
            print("sent", username, getattr(await send(username), "status", None))
        window.form.username_edit.setText("alice")
        window.history_pane.select_attempt(
            window.history_model.attempt_at(0).attempt_id  # type: ignore[union-attr]
        )
        await asyncio.sleep(0.6)  # the inbox refresh, the details fill and a paint
        view = window.history_pane.view
        for _ in range(40):  # the header lays out stretched columns on a later turn
            if view.horizontalHeader().length() <= view.viewport().width():
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.1)
        print(f"history_columns={view.horizontalHeader().length()}/{view.viewport().width()}")
        print(f"history_hscroll={view.horizontalScrollBar().isVisible()}")
        print(f"window_size={window.width()}x{window.height()}")
        window.grab().save(str(out), "PNG")
        window.close()
        await controllers.aclose()

    return run_scenario(app, scenario)


if __name__ == "__main__":
    sys.exit(_drive(Path(sys.argv[1]), sys.argv[2]))
