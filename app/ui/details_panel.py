"""The details panel: one attempt explained — delivery with its caution, or the decoded failure."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.outcome import SIMULATED_DELIVERY_CAUTION, Attempt, Status
from app.ui.history_model import format_latency, format_time, status_color

EMPTY_TEXT = "Select an attempt to see its details"

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
        label.setObjectName(name)
        label.setAccessibleName(name)
    return label


class DetailsPanel(QWidget):
    """Shows the selected attempt; the empty state when there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailsPanel")
        self.setAccessibleName("detailsPanel")
        self._attempt: Attempt | None = None

        self._stack = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)

        self._empty = QLabel(EMPTY_TEXT)
        self._empty.setObjectName("detailsEmpty")
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setEnabled(False)  # the disabled palette greys it: a hint, not content
        self._stack.addWidget(self._empty)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
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

        self._cause = _label(name="detailsCause")
        self._remedy = _label(name="detailsRemedy")

        self._aws_heading = _label("AWS said:", name="detailsAwsHeading")
        self._aws_message = QPlainTextEdit()
        self._aws_message.setObjectName("detailsAwsMessage")
        self._aws_message.setAccessibleName("detailsAwsMessage")
        self._aws_message.setReadOnly(True)
        self._aws_message.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._aws_message.setMaximumHeight(90)

        self._form_host = QWidget()
        self._form = QFormLayout(self._form_host)
        self._form.setContentsMargins(0, 0, 0, 0)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)

        for w in (
            self._title,
            self._status,
            self._caution_box,
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
    @property
    def attempt(self) -> Attempt | None:
        return self._attempt

    def show_attempt(self, a: Attempt | None) -> None:
        self._attempt = a
        if a is None:
            self._stack.setCurrentWidget(self._empty)
            return
        self._fill(a)
        self._stack.setCurrentWidget(self._content_page)

    def field_values(self) -> dict[str, str]:
        """The form's rows as label → value (what a test or a screen reader sees)."""
        out: dict[str, str] = {}
        for row in range(self._form.rowCount()):
            label = self._form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            value = self._form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label is None or value is None:
                continue
            lw, vw = label.widget(), value.widget()
            if isinstance(lw, QLabel) and isinstance(vw, QLabel):
                out[lw.text().rstrip(":")] = vw.text()
        return out

    def displayed_text(self) -> str:
        """Everything the panel shows now, as plain text."""
        if self._attempt is None:
            return self._empty.text()
        parts = [self._title.text(), self._status.text()]
        if not self._caution_box.isHidden():
            parts.append(self._caution.text())
        parts += [w.text() for w in (self._cause, self._remedy) if not w.isHidden()]
        if not self._aws_message.isHidden():
            parts.append(self._aws_message.toPlainText())
        parts.extend(f"{k}: {v}" for k, v in self.field_values().items())
        return "\n".join(p for p in parts if p)

    # ----------------------------------------------------------------- filling
    def _fill(self, a: Attempt) -> None:
        color = status_color(a.status)
        self._status.setStyleSheet(f"color: {color.name()};")
        f = a.failure
        if a.status is Status.DELIVERED:
            self._title.setText(f"Code sent to {a.username}")
            self._status.setText("Delivered")
            self._caution.setText(SIMULATED_DELIVERY_CAUTION)
        elif a.status is Status.PENDING:
            self._title.setText(f"Sending a code to {a.username}…")
            self._status.setText("Pending…")
        else:
            self._title.setText(f.title if f else "Failed")
            self._status.setText(f"Failed — {f.code}" if f else "Failed")
        self._caution_box.setHidden(a.status is not Status.DELIVERED)
        self._cause.setText(f"Why: {f.cause}" if f else "")
        self._remedy.setText(f"What to do: {f.remedy}" if f else "")
        self._cause.setHidden(f is None)
        self._remedy.setHidden(f is None)
        has_message = f is not None and bool(f.aws_message)
        self._aws_heading.setHidden(not has_message)
        self._aws_message.setHidden(not has_message)
        self._aws_message.setPlainText(f.aws_message if f else "")
        self._fill_form(a)

    def _fill_form(self, a: Attempt) -> None:
        while self._form.rowCount():
            self._form.removeRow(0)
        rows: list[tuple[str, str]] = []
        d, f = a.delivery, a.failure
        if d is not None:
            rows += [
                ("Destination", d.destination),
                ("Medium", d.medium.value if d.medium else "(not given)"),
                ("Attribute", d.attribute_name),
            ]
        if f is not None:
            rows += [
                ("Error code", f.code),
                ("Kind", f.kind.value),
                ("Retrying may help", "yes" if f.retryable else "no"),
            ]
        rows += [
            ("HTTP status", str(a.http_status) if a.http_status is not None else ""),
            ("Request ID", a.request_id or ""),
            ("Profile", a.profile),
            ("Username", a.username),
            ("Client ID", a.client_id),
            ("Region", a.region),
            ("Endpoint", a.endpoint_url or "AWS (default)"),
            # Only whether a hash was sent; its value is never kept anywhere.
            ("SecretHash sent", "yes" if a.used_secret_hash else "no"),
            ("Retries", str(a.retries)),
            ("Latency", format_latency(a.latency_ms)),
            ("Started", format_time(a.started_at)),
            ("Finished", format_time(a.finished_at)),
        ]
        if a.client_metadata:
            rows.append(
                ("Client metadata", "\n".join(f"{k} = {v}" for k, v in a.client_metadata))
            )
        else:
            rows.append(("Client metadata", "(none)"))
        optional = (
            ("Analytics endpoint ID", a.analytics_endpoint_id),
            ("IP address", a.ip_address),
            ("Encoded data", a.encoded_data),
            ("Batch", a.batch_id or ""),
            ("Notes", a.notes),
            ("Attempt ID", a.attempt_id),
        )
        rows += [(k, v) for k, v in optional if v]
        for key, value in rows:
            if not value:
                continue
            name = "detailsField_" + key.replace(" ", "")
            field = _label(value, name=name)
            if key == "Notes":
                # A local trigger's stdout/stderr: tracebacks line up only in a fixed font.
                field.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
            self._form.addRow(_label(f"{key}:", wrap=False), field)
