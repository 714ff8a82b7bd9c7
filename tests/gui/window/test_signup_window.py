"""The whole sign-up loop through the window, against the sandbox: "Sign up a test user" ->
the code in the inbox -> resend from the form -> "Confirm with code" with the old code is
refused -> with the new one (prefilled from the inbox) it confirms -> a resend now says
"already confirmed", as information. Each step is an attempt of its kind in the history
(filterable by kind, the same details panel)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLineEdit

from app.core.outcome import Attempt, AttemptKind, Severity, Status
from app.core.secrets import Secret
from app.ui.controllers.signup import QaUser
from app.ui.dialogs.confirm_dialog import ConfirmDialog
from app.ui.dialogs.signup_dialog import SignUpDialog
from app.ui.widgets.history_pane import KIND_CHOICES
from app.ui.window.main_window import MainWindow
from tests.gui.conftest import WAIT_MS, WindowHarness


def _finish(harness: WindowHarness, window: MainWindow, start: Any) -> Attempt:
    with harness.qtbot.waitSignal(
        window.controllers.signup.attempt_finished, timeout=WAIT_MS
    ) as blocker:
        start()
    final = blocker.args[0]
    assert isinstance(final, Attempt)
    # The flow selects the attempt once it finished: the details panel shows it.
    harness.qtbot.waitUntil(
        lambda: (a := window.history_pane.current_attempt()) is not None
        and a.attempt_id == final.attempt_id,
        timeout=WAIT_MS,
    )
    return final


def test_sign_up_resend_confirm_loop_through_the_window(harness: WindowHarness) -> None:
    window = harness.open()
    assert window.select_profile("Sandbox")
    flows = window.signup_flows
    proposed: list[tuple[QaUser, bool]] = []

    async def accept_user(user: QaUser, builtin: bool) -> QaUser:
        proposed.append((user, builtin))
        return user

    flows.ask_user = accept_user
    signed = _finish(harness, window, window.window_actions.sign_up_test_user.trigger)
    (user, builtin), = proposed
    assert builtin and user.email.endswith("@example.com") and user.username.startswith("qa-")
    assert (signed.kind, signed.status, signed.username) == (
        AttemptKind.SIGNUP, Status.DELIVERED, user.username)  # fmt: skip
    text = window.history_pane.details.displayed_text()
    assert f"Signed up {user.username}; code sent" in text and "Call: SignUp" in text
    assert "simulated" not in text  # SignUp created the user: a real delivery
    old_code = harness.sandbox.inbox(user.username)[-1].code

    resent = harness.send(window, user.username)
    assert resent.status is Status.DELIVERED and resent.kind is AttemptKind.RESEND
    new_code = harness.sandbox.inbox(user.username)[-1].code
    assert new_code != old_code

    offered: list[str | None] = []

    def answer_with(code: str) -> Any:
        async def ask(username: str, prefill: str | None) -> str:
            assert username == user.username
            offered.append(prefill)
            return code

        return ask

    # "Confirm with code" on the delivered resend: the old code is refused.
    assert window.history_pane.select_attempt(resent.attempt_id)
    harness.qtbot.waitUntil(window.history_pane.confirm_action.isEnabled, timeout=WAIT_MS)
    flows.ask_code = answer_with(old_code)
    refused = _finish(harness, window, window.history_pane.confirm_action.trigger)
    assert refused.kind is AttemptKind.CONFIRM and refused.failure is not None
    assert refused.failure.code in ("CodeMismatchException", "ExpiredCodeException")
    assert refused.confirmation_code == old_code
    assert offered == [new_code]  # prefilled with the newest code of the inbox

    # The prefilled (newest) code confirms.
    assert window.history_pane.select_attempt(resent.attempt_id)
    flows.ask_code = answer_with(new_code)
    confirmed = _finish(harness, window, window.history_pane.confirm_action.trigger)
    assert confirmed.status is Status.SUCCEEDED and confirmed.outcome_label == "Confirmed"
    assert "Confirmed" in window.history_pane.details.displayed_text()

    after = harness.send(window, user.username)
    assert after.failure is not None and after.failure.severity is Severity.INFO
    assert after.outcome_label == "Already confirmed"

    # Every step is in the history under its kind; the kind filter shows one kind.
    pane = window.history_pane
    kinds = [label for label, _kind in KIND_CHOICES]
    pane.kind_combo.setCurrentIndex(kinds.index("Confirmations"))
    harness.qtbot.waitUntil(lambda: pane.model.rowCount() == 2, timeout=WAIT_MS)
    shown = {pane.model.attempt_at(r).attempt_id for r in range(2)}  # type: ignore[union-attr]
    assert shown == {refused.attempt_id, confirmed.attempt_id}
    pane.kind_combo.setCurrentIndex(kinds.index("Sign-ups"))
    harness.qtbot.waitUntil(lambda: pane.model.rowCount() == 1, timeout=WAIT_MS)
    pane.kind_combo.setCurrentIndex(0)
    harness.qtbot.waitUntil(lambda: pane.model.rowCount() == 5, timeout=WAIT_MS)
    store = window.controllers.session.history
    assert store is not None
    stored = [store.get(a.attempt_id) for a in (signed, resent, refused, confirmed, after)]
    assert [a.kind if a else None for a in stored] == [
        AttemptKind.SIGNUP, AttemptKind.RESEND, AttemptKind.CONFIRM, AttemptKind.CONFIRM,
        AttemptKind.RESEND]  # fmt: skip


def test_confirm_is_offered_only_for_a_delivered_code(harness: WindowHarness) -> None:
    window = harness.open()
    delivered = harness.send(window, "alice")
    refused = harness.send(window, "carol")  # already confirmed: nothing to confirm with
    pane = window.history_pane
    assert pane.select_attempt(refused.attempt_id)
    harness.qtbot.waitUntil(lambda: not pane.confirm_action.isEnabled(), timeout=WAIT_MS)
    assert pane.select_attempt(delivered.attempt_id)
    harness.qtbot.waitUntil(pane.confirm_action.isEnabled, timeout=WAIT_MS)


def test_the_confirm_dialog_checks_the_code(qtbot: Any) -> None:
    dialog = ConfirmDialog("alice", prefill="123456")
    qtbot.addWidget(dialog)
    assert dialog.code() == "123456" and dialog.ok_button.isEnabled()
    assert not dialog.note_label.isHidden()
    dialog.code_edit.setText("12 34")
    assert not dialog.ok_button.isEnabled()
    assert dialog.error_label.text().startswith("Confirmation code:")
    dialog.code_edit.setText(" 654321\n")
    assert dialog.ok_button.isEnabled() and dialog.code() == "654321"
    dialog.ok_button.click()
    assert dialog.result() == 1


def test_the_sign_up_dialog_proposes_an_address_that_never_bounces(qtbot: Any) -> None:
    real = SignUpDialog(QaUser("qa-1", "success+qa-1@simulator.amazonses.com"), builtin=False)
    qtbot.addWidget(real)
    assert "mailbox simulator" in real.note_label.text()
    assert real.ok_button.isEnabled()
    real.username_edit.setText("has space")
    assert not real.ok_button.isEnabled() and real.error_label.text().startswith("Username:")
    real.username_edit.setText("qa-2")
    real.email_edit.setText("x" * 2049)
    assert not real.ok_button.isEnabled() and "User attributes" in real.error_label.text()
    sandbox = SignUpDialog(QaUser("qa-3", "qa-3@example.com"), builtin=True)
    qtbot.addWidget(sandbox)
    assert "inbox" in sandbox.note_label.text()
    assert sandbox.user() == QaUser("qa-3", "qa-3@example.com")


def test_the_sign_up_dialog_takes_a_typed_password(qtbot: Any) -> None:
    dialog = SignUpDialog(QaUser("qa-4", "qa-4@example.com"), builtin=True)
    qtbot.addWidget(dialog)
    assert not dialog.password_edit.isEnabled() and dialog.user().password is None
    assert "generated" in dialog.password_note.text() and dialog.ok_button.isEnabled()
    dialog.type_password_check.setChecked(True)
    assert dialog.password_edit.isEnabled() and not dialog.ok_button.isEnabled()
    assert dialog.password_edit.echoMode() is QLineEdit.EchoMode.Password
    dialog.password_edit.setText("short")
    note = dialog.password_note.text()
    assert not dialog.ok_button.isEnabled() and note.startswith("Password:")
    assert "at least 8 characters" in note and "short" not in note  # never quoted
    dialog.password_edit.setText("Has space 1!")
    assert not dialog.ok_button.isEnabled() and "no spaces" in dialog.password_note.text()
    dialog.password_edit.setText("Typed-Pass-1")
    assert dialog.ok_button.isEnabled()
    typed = dialog.user().password
    assert typed is not None and typed.reveal() == "Typed-Pass-1"
    assert "Typed-Pass-1" not in repr(dialog.user())
    dialog.type_password_check.setChecked(False)  # back to generating: nothing typed goes
    assert dialog.user().password is None and dialog.ok_button.isEnabled()


def test_a_typed_password_is_the_one_signed_up_with(harness: WindowHarness) -> None:
    window = harness.open()
    assert window.select_profile("Sandbox")
    flows = window.signup_flows
    chosen: list[QaUser] = []

    async def typed(user: QaUser, builtin: bool) -> QaUser:
        chosen.append(QaUser(user.username, user.email, Secret(passwords.pop(0))))
        return chosen[-1]

    flows.ask_user = typed
    # A password the pool's policy refuses (no symbol) proves the typed one was sent: a
    # generated password always meets the policy.
    passwords = ["NoSymbol123", "Typed-Pass-1"]
    refused = _finish(harness, window, window.window_actions.sign_up_test_user.trigger)
    assert refused.failure is not None and refused.failure.code == "InvalidPasswordException"
    signed = _finish(harness, window, window.window_actions.sign_up_test_user.trigger)
    assert signed.status is Status.DELIVERED and signed.username == chosen[-1].username
    text = window.history_pane.details.displayed_text()
    assert "Password: typed" in text and "Typed-Pass-1" not in text
