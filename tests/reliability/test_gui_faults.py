"""4, in the window: faults end in a decoded attempt in the history pane within the
configured timeout, and the UI stays live meanwhile.

Each fault is sent from the form while a 10 ms QTimer ticks; the worst gap between ticks
during the call is a freeze detector (a call run on the UI thread shows as a gap of the
call's whole length -- seconds), not a benchmark: the bound is generous.
"""

from __future__ import annotations

import time
import uuid

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from app.core.outcome import Attempt, Status
from app.core.profile import Profile
from app.ui.controllers.types import ProfileEdit
from app.ui.window.main_window import MainWindow
from tests.gui.conftest import TEST_GATEWAY, WAIT_MS, WindowHarness
from tests.reliability.test_faults import _silent_server

pytestmark = pytest.mark.timeout(120)

TICK_MS = 10
FREEZE_BOUND_S = 0.5  # a freeze detector, not a benchmark
# The most one send may take with the harness's gateway (one attempt), plus slack.
CALL_BOUND_S = TEST_GATEWAY.connect_timeout + TEST_GATEWAY.read_timeout + 5.0

# username on the Sandbox profile (or "<silent>") -> the decoded outcome
FAULTS = {
    "fault-drop": "ConnectionDropped",
    "fault-http-503": "HttpError",
    "fault-slow-2": "UserNotFoundException",  # answered after 2 s, within the read timeout
    "<silent>": "ReadTimeout",  # a server that accepts and never answers
}


class TickRecorder:
    """The time of every tick of a fast QTimer on the UI thread."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self._timer = QTimer()
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(lambda: self.ticks.append(time.monotonic()))

    def __enter__(self) -> TickRecorder:
        self.ticks.append(time.monotonic())
        self._timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._timer.stop()
        self.ticks.append(time.monotonic())

    def worst_gap(self) -> float:
        return max((b - a for a, b in zip(self.ticks, self.ticks[1:], strict=False)),
                   default=0.0)


def _send_while_ticking(
    harness: WindowHarness, window: MainWindow, profile: str, username: str
) -> tuple[Attempt, float, float, int]:
    assert window.select_profile(profile)
    window.form.username_edit.setText(username)
    harness.qtbot.waitUntil(window.form.send_button.isEnabled, timeout=WAIT_MS)
    with TickRecorder() as rec:
        t0 = time.monotonic()
        with harness.qtbot.waitSignal(window.controllers.sending.attempt_finished,
                                      timeout=WAIT_MS) as got:
            window.form.send_button.click()
        elapsed = time.monotonic() - t0
    final: Attempt = got.args[0]
    return final, elapsed, rec.worst_gap(), len(rec.ticks)


def test_faults_from_the_window_end_decoded_in_the_history_and_the_ui_stays_live(
    harness: WindowHarness,
) -> None:
    window = harness.open()
    report: list[str] = []
    with _silent_server() as (port, accepted):
        info = harness.sandbox.info
        silent = Profile(name="Silent", region=info.region,
                         endpoint_url=f"http://127.0.0.1:{port}")
        task = window.controllers.profiles.save_profile(ProfileEdit(silent, "silentclient", None))
        harness.qtbot.waitUntil(task.done, timeout=WAIT_MS)
        assert task.result() is True
        for username, expected in FAULTS.items():
            if username == "<silent>":
                profile, user = "Silent", f"ghost-{uuid.uuid4().hex[:8]}"
            else:
                profile, user = "Sandbox", username
            final, elapsed, gap, ticks = _send_while_ticking(harness, window, profile, user)
            code = final.failure.code if final.failure else "Delivered"
            assert code == expected, (username, final.failure)
            if final.failure is not None:  # decoded: a title and advice, not a raw error
                assert final.failure.title and final.failure.remedy, final.failure
            assert elapsed < CALL_BOUND_S, (username, elapsed)
            assert gap < FREEZE_BOUND_S, f"{username}: the UI froze for {gap * 1000:.0f} ms"
            # In the history pane, final (not pending), and in the store the same.
            row = window.history_model.row_of(final.attempt_id)
            assert row is not None
            shown = window.history_model.attempt_at(row)
            assert shown is not None and shown.status is not Status.PENDING
            assert shown.failure == final.failure
            store = window.controllers.session.history
            assert store is not None
            stored = store.get(final.attempt_id)
            assert stored is not None and stored.failure == final.failure
            report.append(f"{username}: {code} in {elapsed * 1000:.0f} ms, worst tick gap "
                          f"{gap * 1000:.0f} ms over {ticks} ticks")
        assert len(accepted) == 1  # the silent server got exactly one request
    print("\n" + "\n".join(report))


def test_the_freeze_detector_sees_a_blocked_ui_thread(qtbot: QtBot) -> None:
    """Negative control: work done on the UI thread shows as a gap of its whole length."""

    with TickRecorder() as rec:
        qtbot.wait(50)
        QTimer.singleShot(0, lambda: time.sleep(0.7))  # a blocking call in a slot
        qtbot.wait(100)
    assert rec.worst_gap() >= 0.6, rec.worst_gap()
