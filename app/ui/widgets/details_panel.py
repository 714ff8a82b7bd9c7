"""The details panel: one attempt explained — delivery with its caution, or the decoded failure."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.advice import message_heading, remedy_for
from app.core.outcome import Attempt, AttemptKind, Severity, Status
from app.core.verdict import delivery_note
from app.ui.models.history_columns import format_latency, format_time, outcome_color
from app.ui.qt_util import name_widget

EMPTY_TEXT = "Select an attempt to see its details."

# The form's rows, in display order; a row whose value is empty is hidden.
# What the title says while each kind of call is pending.
_PENDING_VERBS = {
    AttemptKind.SIGNUP: "Signing up",
    AttemptKind.CONFIRM: "Confirming",
}
# The API operation of each kind (the "Call" row).
_CALLS = {
    AttemptKind.RESEND: "ResendConfirmationCode",
    AttemptKind.SIGNUP: "SignUp",
    AttemptKind.CONFIRM: "ConfirmSignUp",
}

_FORM_KEYS = (
    "Destination",
    "Medium",
    "Attribute",
    "Diagnosis when sent",
    "Error code",
    "Kind",
    "Retrying may help",
    "HTTP status",
    "Request ID",
    "Call",
    "Profile",
    "Username",
    "User attributes",
    "Confirmation code",
    "Client ID",
    "Region",
    "Endpoint",
    "SecretHash sent",
    "Retries",
    "Latency",
    "Started",
    "Finished",
    "Client metadata",
    "Analytics endpoint ID",
    "IP address",
    "Encoded data",
    "Batch",
    "Notes",
    "Attempt ID",
)
# Only values that can be long wrap: a wrapping label's height depends on its width,
# which makes every text change re-measure the whole form.
_WRAPPED = frozenset(
    {"Destination", "Endpoint", "Client metadata", "Encoded data", "Notes", "Username",
     "User attributes", "Diagnosis when sent"}
)  # fmt: skip

_SELECTABLE = (
    Qt.TextInteractionFlag.TextSelectableByMouse
    | Qt.TextInteractionFlag.TextSelectableByKeyboard
)


def _label(text: str = "", *, name: str = "", wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # AWS messages are data, never markup
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(_SELECTABLE)
    if name:
        name_widget(label, name)
    return label


def _delivered_title(a: Attempt) -> str:
    if a.kind is AttemptKind.SIGNUP:
        return f"Signed up {a.username}; code sent"
    if a.kind is AttemptKind.ADMIN_RESEND_INVITATION:
        return f"Invitation sent to {a.username}"
    return f"Code sent to {a.username}"


class DetailsPanel(QWidget):
    """Shows the selected attempt; the empty state when there is none."""

    why_not_arrived_requested = Signal(object)  # Attempt (a delivered resend)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "detailsPanel")
        self._attempt: Attempt | None = None
        self._fill_timer = QTimer(self)
        self._fill_timer.setSingleShot(True)
        self._fill_timer.setInterval(0)
        self._fill_timer.timeout.connect(self._flush_now)

        self._stack = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)

        self._empty = QLabel(EMPTY_TEXT)
        self._empty.setObjectName("detailsEmpty")
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)  # a long hint must not widen the pane
        self._empty.setEnabled(False)  # the disabled palette greys it: a hint, not content
        self._stack.addWidget(self._empty)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        # Long ids are cut at the edge (whole in their tooltip and in Copy details), never
        # scrolled sideways.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        scroll.setWidget(content)
        self._stack.addWidget(scroll)
        self._content_page = scroll

        box = QVBoxLayout(content)
        self._title = _label(name="detailsTitle")
        font = QFont(self._title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self._title.setFont(font)
        self._status = _label(name="detailsStatus")
        status_font = QFont(self._status.font())
        status_font.setBold(True)
        self._status.setFont(status_font)

        self._caution = _label(name="detailsCaution")
        self._caution_box = QFrame()
        self._caution_box.setObjectName("detailsCautionBox")
        self._caution_box.setFrameShape(QFrame.Shape.StyledPanel)
        self._caution_box.setAutoFillBackground(True)
        self._caution_box.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        caution_layout = QVBoxLayout(self._caution_box)
        caution_layout.addWidget(self._caution)
        self._why_button = QPushButton("Why didn't it arrive?")
        name_widget(self._why_button, "detailsWhyNotArrived")
        self._why_button.clicked.connect(self._on_why_clicked)

        self._cause = _label(name="detailsCause")
        self._remedy = _label(name="detailsRemedy")

        self._aws_heading = _label("AWS said:", name="detailsAwsHeading")
        # A wrapping label, not a text box: its height follows its width, so a second (or
        # fifth) line is never cut off.
        self._aws_message = _label(name="detailsAwsMessage")
        self._aws_message.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._aws_message.setFrameShape(QFrame.Shape.StyledPanel)
        self._aws_message.setMargin(4)
        self._aws_message.setAutoFillBackground(True)
        self._aws_message.setBackgroundRole(QPalette.ColorRole.Base)

        self._form_host = QWidget()
        self._form = QFormLayout(self._form_host)
        self._form.setContentsMargins(0, 0, 0, 0)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self._build_form_rows()
        self._status_color = ""

        for w in (
            self._title,
            self._status,
            self._caution_box,
            self._why_button,
            self._cause,
            self._remedy,
            self._aws_heading,
            self._aws_message,
            self._form_host,
        ):
            box.addWidget(w)
        box.addStretch(1)
        self.show_attempt(None)

    # ----------------------------------------------------------------- public
    def set_empty_text(self, text: str) -> None:
        """What the panel says when no attempt is selected (the pane knows if there are any)."""
        if text != self._empty.text():
            self._empty.setText(text)

    @property
    def attempt(self) -> Attempt | None:
        return self._attempt

    def show_attempt(self, a: Attempt | None) -> None:
        # The same attempt again (a re-selection, a repaint of its row) changes nothing:
        # refilling would only cost a re-layout.
        if a == self._attempt and self._attempt is not None:
            return
        self._attempt = a
        if a is None:
            self._fill_timer.stop()
            self._stack.setCurrentWidget(self._empty)
            return
        # Filled on the next loop turn: a burst of selections (many resends finishing
        # at once) then costs one fill, not one each.
        self._fill_timer.start()

    def _flush(self) -> None:
        """Fill now what show_attempt scheduled (before anything reads the panel)."""
        if not self._fill_timer.isActive():
            return
        self._fill_timer.stop()
        self._flush_now()

    def _flush_now(self) -> None:
        if self._attempt is not None:
            self._fill(self._attempt)
            self._stack.setCurrentWidget(self._content_page)

    def field_values(self) -> dict[str, str]:
        """The form's rows as label → value (what a test or a screen reader sees)."""
        self._flush()
        out: dict[str, str] = {}
        for row in range(self._form.rowCount()):
            label = self._form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            value = self._form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label is None or value is None or not self._form.isRowVisible(row):
                continue
            lw, vw = label.widget(), value.widget()
            if isinstance(lw, QLabel) and isinstance(vw, QLabel):
                out[lw.text().rstrip(":")] = vw.text()
        return out

    def displayed_text(self) -> str:
        """Everything the panel shows now, as plain text."""
        self._flush()
        if self._attempt is None:
            return self._empty.text()
        parts = [self._title.text(), self._status.text()]
        if not self._caution_box.isHidden():
            parts.append(self._caution.text())
        parts += [w.text() for w in (self._cause, self._remedy) if not w.isHidden()]
        if not self._aws_message.isHidden():
            parts.append(self._aws_message.text())
        parts.extend(f"{k}: {v}" for k, v in self.field_values().items())
        return "\n".join(p for p in parts if p)

    # ----------------------------------------------------------------- filling
    def _fill(self, a: Attempt) -> None:
        color = outcome_color(a).name()
        if color != self._status_color:  # a style sheet change re-polishes the label
            self._status_color = color
            self._status.setStyleSheet(f"color: {color};")
        f = a.failure
        verb = _PENDING_VERBS.get(a.kind, "Sending a code to")
        # The hedge only where the delivery may be (or was) a simulated one: a resend
        # through a client that can simulate, not ruled out (core/verdict.py).
        note = delivery_note(a)
        if a.status is Status.DELIVERED:
            self._title.setText(_delivered_title(a))
            self._status.setText(a.outcome_label)
            self._caution.setText(note or "")
        elif a.status is Status.SUCCEEDED:
            self._title.setText(f"{a.outcome_label}: {a.username}")
            self._status.setText(a.outcome_label)
        elif a.status is Status.PENDING:
            self._title.setText(f"{verb} {a.username}…")
            self._status.setText("Pending…")
        elif f is not None and f.severity is Severity.INFO:
            self._title.setText(f.title)
            self._status.setText(f"Information — {f.code}")
        else:
            self._title.setText(f.title if f else "Failed")
            self._status.setText(f"Failed — {f.code}" if f else "Failed")
        self._caution_box.setHidden(note is None)
        self._why_button.setHidden(
            a.status is not Status.DELIVERED or a.kind is not AttemptKind.RESEND
        )
        self._cause.setText(f"Why: {f.cause}" if f else "")
        self._remedy.setText(f"What to do: {remedy_for(f, a.endpoint_url)}" if f else "")
        self._cause.setHidden(f is None)
        self._remedy.setHidden(f is None)
        has_message = f is not None and bool(f.aws_message)
        self._aws_heading.setHidden(not has_message)
        self._aws_message.setHidden(not has_message)
        if f is not None:
            self._aws_heading.setText(message_heading(f))
        self._aws_message.setText(f.aws_message if f else "")
        self._fill_form(a)

    def _on_why_clicked(self) -> None:
        if self._attempt is not None:
            self.why_not_arrived_requested.emit(self._attempt)

    def _build_form_rows(self) -> None:
        # Every row exists once, in display order; filling only sets texts and hides the
        # empty ones. Deleting and recreating ~35 labels per attempt cost a re-layout each
        # time, which stalled the UI thread while many resends started and finished.
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self._fields: dict[str, QLabel] = {}
        for key in _FORM_KEYS:
            field = _label(name="detailsField_" + key.replace(" ", ""), wrap=key in _WRAPPED)
            if key not in _WRAPPED:
                field.setMinimumWidth(1)  # a one-line value may be cut; it never widens
            if key == "Notes":
                # A local trigger's stdout/stderr: tracebacks line up only in a fixed font.
                field.setFont(fixed)
            self._form.addRow(_label(f"{key}:", wrap=False), field)
            self._fields[key] = field
            self._form.setRowVisible(field, False)

    def _fill_form(self, a: Attempt) -> None:
        d, f = a.delivery, a.failure
        values: dict[str, str] = {}
        if d is not None:
            values["Destination"] = d.destination
            values["Medium"] = d.medium.value if d.medium else "(not given)"
            values["Attribute"] = d.attribute_name
        if a.diagnosis is not None:
            values["Diagnosis when sent"] = a.diagnosis.summary
        if f is not None:
            values["Error code"] = f.code
            values["Kind"] = f.kind.value
            values["Retrying may help"] = "yes" if f.retryable else "no"
        values.update(
            {
                "HTTP status": str(a.http_status) if a.http_status is not None else "",
                "Request ID": a.request_id or "",
                "Call": _CALLS.get(a.kind, a.kind.value),
                "Profile": a.profile,
                "Username": a.username,
                "User attributes": "\n".join(f"{k} = {v}" for k, v in a.user_attributes),
                "Confirmation code": a.confirmation_code,
                "Client ID": a.client_id,
                "Region": a.region,
                "Endpoint": a.endpoint_url or "AWS (default)",
                # Only whether a hash was sent; its value is never kept anywhere.
                "SecretHash sent": "yes" if a.used_secret_hash else "no",
                "Retries": str(a.retries),
                "Latency": format_latency(a.latency_ms),
                "Started": format_time(a.started_at),
                "Finished": format_time(a.finished_at),
                "Client metadata": "\n".join(f"{k} = {v}" for k, v in a.client_metadata)
                if a.client_metadata
                else "(none)",
                "Analytics endpoint ID": a.analytics_endpoint_id or "",
                "IP address": a.ip_address or "",
                "Encoded data": a.encoded_data or "",
                "Batch": a.batch_id or "",
                "Notes": a.notes or "",
                "Attempt ID": a.attempt_id,
            }
        )
        for key, field in self._fields.items():
            value = values.get(key, "")
            if value and field.text() != value:
                field.setText(value)
                if key not in _WRAPPED:
                    field.setToolTip(value)
            if self._form.isRowVisible(field) != bool(value):
                self._form.setRowVisible(field, bool(value))
