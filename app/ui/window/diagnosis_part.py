"""The main window's diagnosis: the card follows the username; support actions; why-not list."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication

from app.ui.qt_util import async_slot

if TYPE_CHECKING:
    from app.core.outcome import Attempt
    from app.ui.controllers.diagnosis import DiagnosisResult
    from app.ui.window.main_window import MainWindow

# (title, what changes, checkbox label or "") -> (go ahead, checkbox ticked)
AskAction = Callable[[str, str, str], tuple[bool, bool]]


class DiagnosisPart:
    """Wires the diagnosis card to the diagnosis controller and runs what the card asks."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        # Replaced by tests and automation to answer without a modal box.
        self.ask: AskAction = self._ask

    def connect(self) -> None:
        w = self._window
        card, d = w.diagnosis_card, w.controllers.diagnosis
        w.form.username_edit.textChanged.connect(self.request)
        w.profile_bar.profile_selected.connect(self.request)
        d.diagnosis_started.connect(card.show_running)
        d.diagnosis_ready.connect(self._on_ready)
        d.diagnosis_cleared.connect(card.show_idle)
        d.problem_reported.connect(w.report)
        d.action_finished.connect(self._on_action_finished)
        card.resend_invitation_requested.connect(self.resend_invitation)
        card.confirm_requested.connect(self.confirm)
        card.use_username_requested.connect(w.form.set_username)
        card.copy_policy_requested.connect(self.copy_policy)
        w.history_pane.details.why_not_arrived_requested.connect(self.why_not_arrived)

    def request(self, *_: object) -> None:
        """The username or the profile changed: diagnose again once typing pauses.

        A username the form refuses (the API's own rules) is not looked up: no user can
        have it, and the form already says what is wrong."""
        from app.core.request import validate_username

        w = self._window
        name = w.current_profile_name()
        if not name:
            return
        text = w.form.username_edit.text().strip()
        refused = validate_username(text) if text else []
        w.controllers.diagnosis.request(name, "" if refused else text)
        if refused:
            w.diagnosis_card.show_idle(f"Username: {refused[0].message}")

    def _on_ready(self, result: DiagnosisResult) -> None:
        w = self._window
        # A result for a profile or username no longer in the form is not shown.
        if result.profile_name == w.current_profile_name() and (
            result.identifier == w.form.username_edit.text().strip()
        ):
            w.diagnosis_card.show_diagnosis(result.diagnosis)

    def _on_action_finished(self, attempt: Attempt) -> None:
        w = self._window
        w.history_model.update_attempt(attempt)
        w.status_label.setText(f"{attempt.username}: {attempt.outcome_label}")
        if attempt.failure is not None:
            w.report(attempt.failure.title, f"{attempt.failure.cause} {attempt.failure.remedy}")

    # -- the support actions ---------------------------------------------------------------

    @async_slot
    async def resend_invitation(self, username: str) -> None:
        w = self._window
        name = w.current_profile_name()
        if not name:
            return
        text = (
            f"AdminCreateUser with MessageAction=RESEND sends {username} the invitation again, "
            "with a new temporary password; the old one stops working. It is recorded in "
            "the history."
        )
        go, _ = self.ask("Resend the invitation?", text, "")
        if go:
            await w.controllers.diagnosis.resend_invitation(name, username)

    @async_slot
    async def confirm(self, username: str, attribute: str | None = None) -> None:
        """`attribute`: the one to offer to mark verified (default: the card's prediction's,
        else email); the support view passes its own diagnosis's."""
        w = self._window
        name = w.current_profile_name()
        diagnosis = w.diagnosis_card.diagnosis
        if not name:
            return
        if attribute is None:
            attribute = "email"
            if diagnosis is not None and diagnosis.prediction.attribute:
                attribute = diagnosis.prediction.attribute
        label = "email" if attribute == "email" else "phone number"
        text = (
            f"AdminConfirmSignUp makes {username} CONFIRMED without a code; they can sign in. "
            f"Their {label} stays unverified — so password reset cannot reach them — unless "
            f"you also mark it verified (AdminUpdateUserAttributes). Recorded in the history."
        )
        go, mark = self.ask("Confirm without a code?", text, f"Also mark the {label} verified")
        if go:
            await w.controllers.diagnosis.confirm(name, username, attribute if mark else None)

    def _ask(self, title: str, text: str, mark_label: str) -> tuple[bool, bool]:
        from PySide6.QtWidgets import QMessageBox

        from app.ui.dialogs.support_dialogs import action_box

        box, check = action_box(self._window, title, text, mark_label=mark_label)
        yes = box.exec() == QMessageBox.StandardButton.Yes
        return yes, bool(check is not None and check.isChecked())

    def copy_policy(self) -> None:
        """The least-privilege policy (scoped to the profile's pool when it names one)."""
        from app.core.iam_policy import policy_json

        w = self._window
        profile = w.current_profile()
        pool = profile.user_pool_id if profile is not None and not profile.builtin else None
        QGuiApplication.clipboard().setText(policy_json(pool_id=pool))
        w.status_label.setText("IAM policy copied (read actions, then the support actions)")

    @async_slot
    async def why_not_arrived(self, attempt: Attempt) -> None:
        from app.ui.dialogs.support_dialogs import ArrivalDialog

        w = self._window
        items = await w.controllers.diagnosis.why_not_arrived(attempt.profile, attempt)
        dialog = ArrivalDialog(items, w)
        w.arrival_dialog = dialog
        dialog.show()
