"""The staged start (issue 15): the first screen is painted before asyncio, the controllers
and the rest of the window are imported, and what the user does meanwhile is kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.ui.controllers.composition import WindowControllers
from app.ui.window.main_window import MainWindow
from tests.gui.conftest import WAIT_MS, WindowHarness

ROOT = Path(__file__).resolve().parents[3]

# Run in a child process: `python main.py` with a spy on the marker's print that reports
# what was imported (and whether PySide6 built its `Qt` enum namespace) by then.
_SPY = textwrap.dedent(
    """
    import json, sys
    import app.ui.staged_start as staged

    def spy(*args, **kwargs):
        if args and args[0] == staged.WINDOW_SHOWN_MARKER:
            import PySide6.QtCore
            loaded = {{m: m in sys.modules for m in {heavy!r}}}
            loaded["Qt enums"] = "Qt" in PySide6.QtCore.__dict__
            print("LOADED " + json.dumps(loaded), flush=True)
        print(*args, **kwargs)

    staged.print = spy
    from app.__main__ import main
    sys.exit(main([]))
    """
)
HEAVY = (
    "asyncio",
    "qasync",
    "app.ui.controllers.composition",
    "app.ui.widgets.developer_view",
    "app.services.logging_setup",
    "boto3",
)


def _start(tmp_path: Path, settings: dict[str, str] | None = None) -> dict[str, bool]:
    config = tmp_path / "config"
    if settings:
        ini = config / "cognito-resend" / "window.ini"
        ini.parent.mkdir(parents=True)
        lines = ["[view]", *(f"{k}={v}" for k, v in settings.items())]
        ini.write_text("\n".join(lines) + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(config),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        COGNITO_RESEND_EXIT_AFTER_SHOWN="1",
    )
    proc = subprocess.run(
        [sys.executable, "-c", _SPY.format(heavy=HEAVY)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stdout.splitlines()
    # The marker, then (the whole start, then the shutdown) a clean exit.
    assert "cognito-resend: main window shown" in lines, proc.stdout
    (report,) = [line for line in lines if line.startswith("LOADED ")]
    loaded: dict[str, bool] = json.loads(report.removeprefix("LOADED "))
    return loaded


@pytest.mark.parametrize(
    "settings",
    [None, {"welcomeDone": "true", "mode": "support"}],  # a first start; a support user's
    ids=["welcome", "support"],
)
def test_first_screen_is_shown_before_asyncio_and_the_rest(
    tmp_path: Path, settings: dict[str, str] | None
) -> None:
    loaded = _start(tmp_path, settings)
    assert not any(loaded[m] for m in HEAVY), loaded
    # Neither first screen names an enum of the `Qt` namespace (its first use: ~13 ms).
    assert not loaded["Qt enums"], "the first screen built PySide6's Qt enums"


def _first_screen(h: WindowHarness, **view: str) -> MainWindow:
    """The window as `run_gui` shows it first: no controllers yet."""
    settings = h.settings()
    for key, value in view.items():
        settings.setValue(f"view/{key}", value)
    window = MainWindow(None, settings, log_file=str(h.paths.log_file))
    h.qtbot.addWidget(window)
    window.show()
    return window


def _attach(h: WindowHarness, window: MainWindow) -> WindowControllers:
    """The rest, a step per loop turn as StagedStart runs it, then the services."""
    controllers = WindowControllers(h.factories())
    for _ in window.attach_steps(controllers):
        QTest.qWait(1)
    h.windows.append(window)
    controllers.start()
    return controllers


def test_typed_before_the_rest_is_built_is_diagnosed_and_sent(harness: WindowHarness) -> None:
    window = _first_screen(harness, welcomeDone="true", mode="support")
    view = window.view_stack.support_view
    assert window.view_stack.currentWidget() is view and not window.attached
    QTest.keyClicks(view.customer_edit, "alice")
    QTest.keyClick(view.customer_edit, Qt.Key.Key_Return)  # too early: Send waits to be ready
    assert not view.send_button.isEnabled()
    controllers = _attach(harness, window)
    assert view.customer_edit.text() == "alice"
    # Enabled once ready (the services up, a profile chosen), with the card on the typed user.
    harness.qtbot.waitUntil(view.send_button.isEnabled, timeout=WAIT_MS)
    harness.qtbot.waitUntil(lambda: "Ready to send" in view.card.title.text(), timeout=WAIT_MS)
    with harness.qtbot.waitSignal(controllers.sending.attempt_finished, timeout=WAIT_MS):
        view.send_button.click()
    harness.qtbot.waitUntil(view.result.isVisible, timeout=WAIT_MS)
    assert view.result.title.text().endswith("A new code is on its way")


def test_welcome_choice_before_the_rest_is_built_is_carried_out(harness: WindowHarness) -> None:
    window = _first_screen(harness)
    stack = window.view_stack
    assert stack.currentWidget() is stack.welcome_page
    assert not stack.has_page("support") and not stack.has_page("developer")
    assert not window.window_actions.toggle_view.isEnabled()  # until it is wired
    stack.welcome_page.sandbox_button.click()
    _attach(harness, window)
    assert stack.currentWidget() is stack.support_view
    assert window.window_actions.toggle_view.isEnabled()
    harness.qtbot.waitUntil(lambda: window.current_profile_name() == "Sandbox", timeout=WAIT_MS)


def test_developer_first_screen_keeps_what_is_typed(harness: WindowHarness) -> None:
    window = _first_screen(harness, welcomeDone="true", mode="developer")
    assert window.view_stack.currentWidget() is window.view_stack.developer_view
    assert window.sandbox_dock.isVisible()  # the drawer is part of the developer's screen
    window.form.username_edit.setText("bob")
    _attach(harness, window)
    assert window.form.username_edit.text() == "bob"  # not the saved one over it
    assert window.sandbox_dock.isVisible()


def test_closed_before_the_rest_is_built_saves_nothing(harness: WindowHarness) -> None:
    window = _first_screen(harness)
    window.close()
    settings = harness.settings()
    settings.sync()
    assert settings.value("window/geometry") is None  # the next start is a first one still
