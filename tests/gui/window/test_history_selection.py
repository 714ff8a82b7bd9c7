"""Which attempt the history shows as sends start and finish: only own sends move it."""

from __future__ import annotations

from dataclasses import replace

from app.core.outcome import Status
from app.ui.controllers.types import SendRequest
from app.ui.window.main_window import MainWindow
from tests.gui.conftest import WAIT_MS, WindowHarness


def _send_in_background(h: WindowHarness, window: MainWindow, username: str) -> None:
    """A send that did not come from the form (as a script or a re-run elsewhere starts it)."""
    request = SendRequest("Sandbox", replace(window.form.values(), username=username))
    task = window.controllers.sending.send(request)
    h.qtbot.waitUntil(task.done, timeout=WAIT_MS)
    final = task.result()
    assert final is not None and final.status is not Status.PENDING


def test_own_sends_are_followed_while_their_attempt_is_the_one_shown(
    harness: WindowHarness, window: MainWindow
) -> None:
    first = harness.send(window, "alice")
    pane = window.history_pane
    assert pane.current_attempt() == first
    second = harness.send(window, "bob")
    shown = pane.current_attempt()
    assert shown is not None and shown.attempt_id == second.attempt_id
    assert shown.status is second.status  # the details were refreshed on finish


def test_a_send_the_user_did_not_start_never_moves_the_selection(
    harness: WindowHarness, window: MainWindow
) -> None:
    own = harness.send(window, "alice")
    pane = window.history_pane
    _send_in_background(harness, window, "bob")
    assert window.history_model.rowCount() == 2
    shown = pane.current_attempt()
    assert shown is not None and shown.attempt_id == own.attempt_id


def test_an_own_send_keeps_another_attempt_the_user_is_looking_at(
    harness: WindowHarness, window: MainWindow
) -> None:
    harness.send(window, "alice")
    _send_in_background(harness, window, "carol")
    pane = window.history_pane
    other = window.history_model.attempt_at(0)
    assert other is not None and other.username == "carol"
    assert pane.select_attempt(other.attempt_id)
    harness.send(window, "bob")
    shown = pane.current_attempt()
    assert shown is not None and shown.attempt_id == other.attempt_id
