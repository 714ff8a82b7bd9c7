"""The window's diagnosis card against the sandbox: it follows the username, keeps the window
painting, runs the support actions (the sandbox's user changes, the history shows them),
gives exact outcomes, and explains "Why didn't it arrive?"."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.core.outcome import AttemptKind, DeliveryVerdict, Status
from app.ui.window.main_window import MainWindow
from tests.gui.conftest import WAIT_MS, WindowHarness


def _card_says(qtbot: QtBot, window: MainWindow, username: str, text: str) -> None:
    window.form.username_edit.setText(username)
    card = window.diagnosis_card
    qtbot.waitUntil(lambda: text in card.title.text() + card.findings.text(), timeout=WAIT_MS)


def test_the_card_follows_the_username(qtbot: QtBot, window: MainWindow) -> None:
    assert window.select_profile("Sandbox")
    card = window.diagnosis_card
    assert card.objectName() == "diagnosisCard" and card.isVisible()
    _card_says(qtbot, window, "alice", "A code will go by EMAIL to a***@e***")
    _card_says(qtbot, window, "alice@example.com", "not a verified alias")
    assert "'alice'" in card.findings.text()
    assert card.username_button.isVisibleTo(card)
    _card_says(qtbot, window, "carol", "Already confirmed")
    _card_says(qtbot, window, "dave", "resend the invitation")
    assert card.invite_button.isVisibleTo(card)
    window.form.username_edit.setText("has space")  # refused by the form: not looked up
    qtbot.waitUntil(lambda: card.title.text().startswith("Username:"), timeout=WAIT_MS)
    assert card.diagnosis is None
    window.form.username_edit.setText("")
    qtbot.waitUntil(lambda: card.diagnosis is None, timeout=WAIT_MS)


def test_the_window_keeps_painting_while_diagnoses_run(qtbot: QtBot, window: MainWindow) -> None:
    assert window.select_profile("Sandbox")
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    try:
        for name in ("a", "al", "ali", "alice", "bob", "carol", "dave", "erin", "frank"):
            window.form.username_edit.setText(name)
            qtbot.wait(20)  # typing speed: faster than the debounce
        _card_says(qtbot, window, "frank", "SMS to +*******0124")
    finally:
        timer.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    assert max(gaps) < 0.3, f"the window froze for {max(gaps) * 1000:.0f} ms"


def test_support_actions_change_the_user_and_land_in_the_history(
    qtbot: QtBot, harness: WindowHarness, window: MainWindow
) -> None:
    assert window.select_profile("Sandbox")
    asked: list[str] = []

    def yes(title: str, text: str, mark: str) -> tuple[bool, bool]:
        asked.append(text)
        return True, bool(mark)

    window.diagnosis.ask = yes
    _card_says(qtbot, window, "dave", "resend the invitation")
    with qtbot.waitSignal(window.controllers.diagnosis.action_finished, timeout=WAIT_MS) as done:
        window.diagnosis_card.invite_button.click()
    invited = done.args[0]
    assert invited.kind is AttemptKind.ADMIN_RESEND_INVITATION
    assert invited.status is Status.DELIVERED, invited.failure
    assert "temporary password" in asked[0]
    assert window.history_model.row_of(invited.attempt_id) is not None

    _card_says(qtbot, window, "alice", "A code will go by EMAIL")
    assert window.diagnosis_card.confirm_button.isVisibleTo(window.diagnosis_card)
    with qtbot.waitSignal(window.controllers.diagnosis.action_finished, timeout=WAIT_MS) as done:
        window.diagnosis_card.confirm_button.click()
    confirmed = done.args[0]
    assert confirmed.kind is AttemptKind.ADMIN_CONFIRM and confirmed.status is Status.SUCCEEDED
    assert "stays unverified" in asked[1]
    attrs = harness.sandbox.user_attributes("alice") or {}
    assert attrs.get("email_verified") == "true"
    # The card refreshes after the action: alice is confirmed now.
    qtbot.waitUntil(
        lambda: "Already confirmed" in window.diagnosis_card.findings.text(), timeout=WAIT_MS
    )
    stored = window.controllers.session.history
    assert stored is not None and stored.get(confirmed.attempt_id) is not None


def test_outcomes_are_exact_and_the_hedge_only_where_it_applies(
    qtbot: QtBot, harness: WindowHarness, window: MainWindow
) -> None:
    window.controllers.session.set_sandbox_client("protected")
    assert window.select_profile("Sandbox")
    _card_says(qtbot, window, "ghost", "No such user")
    ghost = harness.send(window, "ghost")
    assert ghost.verdict is DeliveryVerdict.SIMULATED and ghost.outcome_label == "Simulated"
    assert ghost.diagnosis is not None and "USER_NOT_FOUND" in ghost.diagnosis.findings
    _card_says(qtbot, window, "alice", "A code will go by EMAIL")
    alice = harness.send(window, "alice")
    assert alice.verdict is DeliveryVerdict.DELIVERED
    window.history_pane.select_attempt(alice.attempt_id)
    details = window.history_pane.details
    qtbot.waitUntil(lambda: details.attempt is not None, timeout=WAIT_MS)
    assert "may be a simulated delivery" not in details.displayed_text()
    fields = details.field_values()
    assert fields["Diagnosis when sent"].startswith("alice UNCONFIRMED, enabled")


def test_why_didnt_it_arrive_shows_the_bounce(
    qtbot: QtBot, harness: WindowHarness, window: MainWindow
) -> None:
    assert window.select_profile("Sandbox")
    grace = harness.send(window, "grace")
    assert grace.status is Status.DELIVERED
    window.history_pane.select_attempt(grace.attempt_id)
    details = window.history_pane.details
    qtbot.waitUntil(lambda: details.attempt is not None, timeout=WAIT_MS)
    details.displayed_text()  # fills the panel now (it fills once per loop turn)
    button = details.findChild(QPushButton, "detailsWhyNotArrived")
    assert button is not None and button.isVisibleTo(details)
    button.click()
    qtbot.waitUntil(lambda: window.arrival_dialog is not None, timeout=WAIT_MS)
    assert window.arrival_dialog is not None
    text = window.arrival_dialog.text.toPlainText()
    assert "Cognito logged a delivery error for this user" in text
    assert "Only the newest code works" in text
