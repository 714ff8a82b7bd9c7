"""The diagnosis card beside the form: prediction, findings, what was not checked, next step."""

from __future__ import annotations

from html import escape as _escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.core.diagnosis_result import Diagnosis, NextStep, Severity
from app.ui.qt_util import name_widget
from app.ui.theme import Tone, text_color

_MARK = {Severity.ERROR: "✖", Severity.WARNING: "⚠", Severity.INFO: "ℹ"}
_TONE = {Severity.ERROR: Tone.ERROR, Severity.WARNING: Tone.WARNING, Severity.INFO: Tone.INFO}


def escape(text: str) -> str:
    # Only <, > and &: quotes are fine in element text and read better unescaped.
    return _escape(text, quote=False)


def _headline(d: Diagnosis) -> str:
    p = d.prediction
    if p.will_send is True:
        return f"A code will go by {p.medium.value if p.medium else '?'} to {p.destination}"
    if p.will_send is False:
        return f"No code will be sent: {p.reason}"
    return f"Cannot tell yet: {p.reason}" if p.reason else "Cannot tell yet"


def findings_html(d: Diagnosis, palette: QPalette) -> str:
    """The findings as small rich text (escaped: details quote what the user typed), each
    title in its severity's colour as `palette` makes it readable (light or dark theme)."""
    colours = {s: text_color(palette, tone).name() for s, tone in _TONE.items()}
    rows = []
    for f in d.findings:
        rows.append(
            f"<p style='margin:0 0 6px 0'><b style='color:{colours[f.severity]}'>"
            f"{_MARK[f.severity]} {escape(f.title)}</b><br>{escape(f.detail)}<br>"
            f"<i>{escape(f.remedy)}</i></p>"
        )
    return "".join(rows)


def not_checked_text(d: Diagnosis) -> str:
    return "\n".join(f"Not checked — {n.area.value}: {n.why} ({n.allow})" for n in d.not_checked)


class DiagnosisCard(QFrame):
    """Shows one Diagnosis; emits what the user asks for next (the window wires it)."""

    resend_invitation_requested = Signal(str)  # username
    confirm_requested = Signal(str)  # username
    use_username_requested = Signal(str)  # the real username to put in the form
    copy_policy_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "diagnosisCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._diagnosis: Diagnosis | None = None
        layout = QVBoxLayout(self)
        self.title = QLabel("Diagnosis")
        name_widget(self.title, "diagnosisHeadline")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.user = QLabel("")
        name_widget(self.user, "diagnosisUser")
        self.user.setWordWrap(True)
        self.findings = QLabel("")
        name_widget(self.findings, "diagnosisFindings")
        self.findings.setWordWrap(True)
        self.findings.setTextFormat(Qt.TextFormat.RichText)
        self.not_checked = QLabel("")
        name_widget(self.not_checked, "diagnosisNotChecked")
        self.not_checked.setWordWrap(True)
        buttons = QHBoxLayout()
        self.invite_button = QPushButton("Resend invitation…")
        name_widget(self.invite_button, "diagnosisResendInvitation")
        self.confirm_button = QPushButton("Confirm without a code…")
        name_widget(self.confirm_button, "diagnosisConfirm")
        self.username_button = QPushButton("Use the username")
        name_widget(self.username_button, "diagnosisUseUsername")
        self.policy_button = QPushButton("Copy IAM policy")
        name_widget(self.policy_button, "diagnosisCopyPolicy")
        for b in (self.invite_button, self.confirm_button, self.username_button):
            buttons.addWidget(b)
            b.hide()
        buttons.addStretch(1)
        buttons.addWidget(self.policy_button)
        for w in (self.title, self.user, self.findings, self.not_checked):
            layout.addWidget(w)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.invite_button.clicked.connect(self._on_invite)
        self.confirm_button.clicked.connect(self._on_confirm)
        self.username_button.clicked.connect(self._on_use_username)
        self.policy_button.clicked.connect(self.copy_policy_requested)
        self.show_idle()

    @property
    def diagnosis(self) -> Diagnosis | None:
        return self._diagnosis

    def show_idle(self, text: str = "Type a username, email, phone or sub to diagnose.") -> None:
        self._diagnosis = None
        self.title.setText(text)
        for w in (self.user, self.findings, self.not_checked):
            w.setText("")
        self._buttons(None)

    def show_running(self, identifier: str) -> None:
        # The previous result stays readable until the new one arrives (no flicker).
        self.title.setText(f"Checking {identifier}…")

    def show_diagnosis(self, d: Diagnosis) -> None:
        self._diagnosis = d
        self.title.setText(_headline(d))
        u = d.user
        if u.found and u.username:
            state = "enabled" if u.enabled else "disabled"
            self.user.setText(f"User {u.username}: {u.status}, {state}")
        elif u.found is False:
            self.user.setText(f"No user {d.identifier}")
        elif d.matches:
            self.user.setText("Several users: " + ", ".join(d.matches))
        else:
            self.user.setText("")
        self.findings.setText(findings_html(d, self.palette()))
        self.not_checked.setText(not_checked_text(d))
        self._buttons(d)

    def _buttons(self, d: Diagnosis | None) -> None:
        step = d.next_step if d is not None else None
        confirmable = d is not None and bool(d.user.username) and d.user.status == "UNCONFIRMED"
        self.invite_button.setVisible(step is NextStep.RESEND_INVITATION)
        self.confirm_button.setVisible(confirmable and step in (NextStep.CONFIRM, NextStep.RESEND))
        self.username_button.setVisible(
            step is NextStep.USE_USERNAME and bool(d and d.user.username)
        )

    def _on_invite(self) -> None:
        if self._diagnosis is not None and self._diagnosis.user.username:
            self.resend_invitation_requested.emit(self._diagnosis.user.username)

    def _on_confirm(self) -> None:
        if self._diagnosis is not None and self._diagnosis.user.username:
            self.confirm_requested.emit(self._diagnosis.user.username)

    def _on_use_username(self) -> None:
        if self._diagnosis is not None and self._diagnosis.user.username:
            self.use_username_requested.emit(self._diagnosis.user.username)
