"""The support view's flow: diagnose the customer as typed, send to their account, tell it."""

from __future__ import annotations

import asyncio
import logging
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication, QPalette

from app.core.customer_story import (
    SANDBOX_REAL_EMAIL_HINT,
    attempt_story,
    diagnosis_story,
    looks_real_email,
    retarget,
    ticket_text,
)
from app.core.describe import describe_attempt
from app.core.diagnosis_result import Diagnosis, NextStep
from app.core.profile import Profile
from app.core.request import ResendInput
from app.ui.controllers.types import SendRequest
from app.ui.qt_util import async_slot
from app.ui.widgets.diagnosis_card import findings_html, not_checked_text

if TYPE_CHECKING:
    from app.core.outcome import Attempt
    from app.ui.controllers.diagnosis import DiagnosisResult
    from app.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)


class SupportFlow:
    """The window's helper for the support view (its slots are connected in the window).

    An email or phone typed is looked up first; when it belongs to one account, Send goes
    to that account's username — an unverified email is not an alias yet, so sending to it
    would be refused or simulated — and the diagnosis is retargeted to it."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self._view = window.view_stack.support_view
        self._typed = ""
        self._resolved: str | None = None  # the account's username, once found
        self._diagnosis: Diagnosis | None = None  # for `_resolved or _typed`
        self._profile_key: tuple[str | None, bool] = (None, False)
        self.last_attempt: Attempt | None = None
        self._action: asyncio.Future[None] | None = None  # the support action running

    def connect(self) -> None:
        """The support view to its own diagnosis controller and the sending controller
        (called from `MainWindow._connect_signals`, as `DiagnosisPart.connect` is)."""
        w = self._window
        view, d = self._view, w.controllers.support_diagnosis
        view.identifier_changed.connect(self.on_identifier_changed)
        view.send_requested.connect(self.send)
        view.copy_requested.connect(self.copy_ticket)
        view.action_requested.connect(self.run_action)
        w.controllers.diagnosis.action_finished.connect(self._on_action_finished)
        d.diagnosis_started.connect(self.on_diagnosis_started)
        d.diagnosis_ready.connect(self.on_diagnosis_ready)
        d.diagnosis_cleared.connect(self.on_diagnosis_cleared)
        d.problem_reported.connect(w.report)
        w.controllers.session.sandbox_client_changed.connect(self.rediagnose)
        w.form.username_edit.textChanged.connect(self.on_form_username_changed)

    def adopt_typed(self) -> None:
        """Take up what was typed into the field before the window was wired (the support
        view is a first screen: it takes input before this flow exists)."""
        typed = self._view.identifier()
        if typed != self._typed:
            self.on_identifier_changed(typed)

    # ------------------------------------------------------------------ typing
    def on_identifier_changed(self, text: str) -> None:
        self._typed, self._resolved, self._diagnosis = text, None, None
        self._view.clear_result()
        self._view.show_action(None)
        self._update_hint()
        self._request(text)

    def refresh(self, profile: Profile | None, ready: bool) -> None:
        """The profile or readiness changed: Send's state, the Sandbox notice, a new diagnosis."""
        self._view.set_ready(ready and profile is not None)
        self._window.header.sandbox_notice.set_shown(profile is not None and profile.builtin)
        key = (profile.name if profile else None, ready)
        if key != self._profile_key:
            self._profile_key = key
            self.rediagnose()
        self._update_hint()

    def rediagnose(self, *_changed: object) -> None:
        self._resolved, self._diagnosis = None, None
        self._view.show_action(None)
        self._request(self._typed)

    def _request(self, identifier: str) -> None:
        w = self._window
        name = w.current_profile_name()
        if not identifier or name is None or not w.controllers.session.ready:
            w.controllers.support_diagnosis.request(name or "", "")
            return
        w.controllers.support_diagnosis.request(name, identifier)

    def _update_hint(self) -> None:
        self._view.show_hint(self._sandbox_hint(self._typed))
        self.on_form_username_changed(self._window.form.username_edit.text())

    def on_form_username_changed(self, text: str) -> None:
        """The developer form gets the same hint, in the Sandbox notice above both views."""
        self._window.header.sandbox_notice.set_hint(self._sandbox_hint(text))

    def _sandbox_hint(self, text: str) -> str:
        """The Sandbox's "that looks like a real customer" note for `text`, or ''."""
        profile = self._window.current_profile()
        if profile is None or not profile.builtin:
            return ""
        info = self._window.controllers.session.sandbox_info
        seeded: set[str] = set()
        for u in info.users if info is not None else ():
            seeded.update((u.username.casefold(), u.destination.casefold()))
        return SANDBOX_REAL_EMAIL_HINT if looks_real_email(text, frozenset(seeded)) else ""

    # ------------------------------------------------------------------ the card
    def on_diagnosis_started(self, identifier: str) -> None:
        if identifier in (self._typed, self._resolved):
            self._view.show_checking(self._typed)

    def on_diagnosis_cleared(self) -> None:
        if not self._typed:
            self._view.show_idle()

    def on_diagnosis_ready(self, result: DiagnosisResult) -> None:
        d = result.diagnosis
        if result.profile_name != self._window.current_profile_name():
            return
        if result.identifier == self._typed and self._resolved is None:
            username = d.user.username
            if d.user.found and username and username != self._typed and d.addressable is False:
                # Look the account up by its username: that is where Send will go.
                self._resolved = username
                self._window.controllers.support_diagnosis.request(result.profile_name, username)
                return
        elif result.identifier != self._resolved:
            return  # a stale answer
        self._diagnosis = d
        shown = d if result.identifier == self._typed else _as_typed(d, self._typed)
        self._view.show_diagnosis(diagnosis_story(shown), _details_html(d, self._view.palette()))
        action = support_action(d)
        self._view.show_action(ACTION_LABELS[action] if action is not None else None)

    # ------------------------------------------------------------------ the support action
    def run_action(self) -> None:
        """What the card offers instead of a code, through the same confirmation dialogs
        (and records) as the developer view's diagnosis card."""
        d = self._diagnosis
        step = support_action(d) if d is not None else None
        if d is None or step is None or not d.user.username:
            return
        part = self._window.diagnosis
        # Both are async slots: a call starts their task (ensure_future hands it back).
        if step is NextStep.RESEND_INVITATION:
            self._action = asyncio.ensure_future(part.resend_invitation(d.user.username))
        else:
            self._action = asyncio.ensure_future(
                part.confirm(d.user.username, d.prediction.attribute)
            )

    def _on_action_finished(self, attempt: Attempt) -> None:
        d = self._diagnosis
        if d is not None and attempt.username == d.user.username:
            self.rediagnose()  # the account changed: tell what it is now

    # ------------------------------------------------------------------ sending
    @async_slot
    async def send(self) -> None:
        w = self._window
        name = w.current_profile_name()
        typed = self._typed
        if not name or not typed:
            return
        username = self._resolved or typed
        diagnosis = self._diagnosis
        if diagnosis is not None and diagnosis.identifier != username:
            diagnosis = retarget(diagnosis, username)
        request = SendRequest(name, ResendInput("", username), None, diagnosis)
        self._view.set_busy(True)
        try:
            finishing = await w.controllers.sending.begin_send(request)
        except Exception as exc:
            log.exception("could not start the support send")
            w.report("Send failed", f"{type(exc).__name__}: {exc}")
            return
        finally:
            self._view.set_busy(False)
        if finishing is not None:
            finishing.add_done_callback(lambda task: self._on_finished(task, typed, diagnosis))

    def _on_finished(
        self, task: asyncio.Task[Attempt], typed: str, diagnosis: Diagnosis | None
    ) -> None:
        if task.cancelled() or task.exception() is not None or typed != self._typed:
            return
        final = task.result()
        self.last_attempt = final
        self._view.show_result(attempt_story(final, diagnosis), describe_attempt(final))

    def copy_ticket(self) -> None:
        a, story = self.last_attempt, self._view.result.shown_story
        if a is None or story is None:
            return
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(ticket_text(a, story, typed=self._typed))
        self._window.status_label.setText("Copied for the ticket")


# The support actions a non-technical person is offered, by the diagnosis's next step.
ACTION_LABELS = {
    NextStep.RESEND_INVITATION: "Resend the invitation…",
    NextStep.CONFIRM: "Confirm the account without a code…",
}


def support_action(d: Diagnosis) -> NextStep | None:
    """The action to offer: the invitation for an account an administrator created, or
    a confirmation where no code can be sent (never while a resend would work)."""
    step = d.next_step
    if step is NextStep.RESEND_INVITATION and d.user.username:
        return step
    if step is NextStep.CONFIRM and d.user.username and d.user.status == "UNCONFIRMED":
        return step
    return None


def _as_typed(d: Diagnosis, typed: str) -> Diagnosis:
    from dataclasses import replace

    return replace(d, identifier=typed)


def _details_html(d: Diagnosis, palette: QPalette) -> str:
    user = d.user
    head = ""
    if user.found and user.username:
        state = "enabled" if user.enabled else "disabled"
        head = f"<p><b>User {escape(user.username)}</b>: {escape(str(user.status))}, {state}</p>"
    rest = escape(not_checked_text(d)).replace("\n", "<br>")
    return head + findings_html(d, palette) + (f"<p>{rest}</p>" if rest else "")
