"""The support view: one field for the customer, Send, the card before and the story after.

A first screen (issue 15): built without naming the `Qt` enum namespace (its first use
costs ~13 ms); what does name it is set by `complete_setup`, after the first paint.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core.story import CustomerStory, Tone
from app.ui.qt_util import name_widget
from app.ui.widgets.story_card import StoryCard

FIELD_LABEL = "Customer's email, phone or username"
IDLE_TEXT = "Type the customer's email, phone number or username to check their account."


class SupportView(QWidget):
    """For non-technical staff: no form fields beyond the customer, no jargon up front.

    `identifier_changed` as the field is edited, `send_requested` on Send or Enter,
    `copy_requested` from the result's "Copy for ticket"."""

    identifier_changed = Signal(str)
    send_requested = Signal()
    copy_requested = Signal()
    action_requested = Signal()  # the support action the diagnosis offers (show_action)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "supportView")
        self._ready = False
        self._busy = False
        heading = QLabel("Resend a sign-up code")
        name_widget(heading, "supportHeading")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        label = QLabel(FIELD_LABEL)
        self.customer_edit = QLineEdit()
        name_widget(self.customer_edit, "customerEdit")
        self.customer_edit.setPlaceholderText("e.g. jane@example.com, +15555550123 or jane")
        self.customer_edit.setClearButtonEnabled(True)
        self.customer_edit.setMinimumWidth(280)
        label.setBuddy(self.customer_edit)
        label.setText("&" + FIELD_LABEL)
        self.send_button = QPushButton("Send code")
        name_widget(self.send_button, "sendButton")
        self.send_button.setDefault(True)
        self.send_button.setEnabled(False)
        self.hint = QLabel("")
        name_widget(self.hint, "sandboxHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(
            "#sandboxHint { background: #fff4ce; color: #3d2e00; border: 1px solid #e0c36a;"
            " border-radius: 4px; padding: 6px; }"
        )
        self.hint.setVisible(False)
        self.card = StoryCard("diagnosisCard")
        # When a code is not the answer: the one support action that is (resend the
        # invitation, confirm without a code). It asks first; hidden otherwise.
        self.action_button = QPushButton("")
        name_widget(self.action_button, "supportActionButton")
        self.action_button.setVisible(False)
        self.result = StoryCard("resultCard", ticket=True)
        self.result.setVisible(False)

        row = QHBoxLayout()
        row.addWidget(self.customer_edit, 1)
        row.addWidget(self.send_button)
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(heading)
        column.addSpacing(6)
        column.addWidget(label)
        column.addLayout(row)
        column.addWidget(self.hint)
        column.addSpacing(4)
        column.addWidget(self.card)
        action_row = QHBoxLayout()
        action_row.addWidget(self.action_button)
        action_row.addStretch(1)
        column.addLayout(action_row)
        column.addWidget(self.result)
        column.addStretch(1)
        inner = QWidget()
        inner.setLayout(column)
        inner.setMaximumWidth(760)
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(inner, 12)
        centred.addStretch(1)
        body = QWidget()
        body.setLayout(centred)
        self._scroll = scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 16, 12, 8)
        outer.addWidget(scroll)
        self.setTabOrder(self.customer_edit, self.send_button)

        self.customer_edit.textChanged.connect(self._on_text_changed)
        self.customer_edit.returnPressed.connect(self._on_return)
        self.send_button.clicked.connect(self._on_return)
        self.result.copy_requested.connect(self.copy_requested)
        self.action_button.clicked.connect(self.action_requested)
        self.show_idle()

    def complete_setup(self) -> None:
        """What names Qt's enums (the window calls it once its first screen is painted): no
        sideways scrolling, the cards' selectable text and details."""
        from PySide6.QtCore import Qt

        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.card.complete_setup()
        self.result.complete_setup()

    # ------------------------------------------------------------------ state
    def identifier(self) -> str:
        return self.customer_edit.text().strip()

    def set_ready(self, ready: bool) -> None:
        """Whether Send may run at all (services up, a profile chosen)."""
        self._ready = ready
        self._update_send()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_send()

    def focus_field(self) -> None:
        self.customer_edit.setFocus()  # Qt's default reason: OtherFocusReason

    def show_hint(self, text: str) -> None:
        """A note under the field (the Sandbox's "that looks like a real address"); '' hides."""
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    def show_idle(self) -> None:
        self.card.show_placeholder(CustomerStory(Tone.INFO, "Who is the customer?", IDLE_TEXT))

    def show_checking(self, identifier: str) -> None:
        story = CustomerStory(Tone.BUSY, "Checking the account…", f"Looking up “{identifier}”.")
        self.card.show_story(story)

    def show_diagnosis(self, story: CustomerStory, details_html: str) -> None:
        self.card.show_story(story, details_html, rich=True)

    def show_action(self, label: str | None) -> None:
        """Offer the support action `label` under the card ('Resend the invitation…'), or
        none; nothing is changed until the person confirms what it does."""
        self.action_button.setText(label or "")
        self.action_button.setVisible(bool(label))

    def show_result(self, story: CustomerStory, details: str) -> None:
        """The story after Send takes the card's place (what was predicted is now told)."""
        self.result.show_story(story, details)
        self.result.setVisible(True)
        self.card.setVisible(False)

    def clear_result(self) -> None:
        self.result.setVisible(False)
        self.card.setVisible(True)

    def _update_send(self) -> None:
        self.send_button.setEnabled(self._ready and not self._busy and bool(self.identifier()))

    def _on_text_changed(self, text: str) -> None:
        self._update_send()
        self.identifier_changed.emit(text.strip())

    def _on_return(self) -> None:
        if self.send_button.isEnabled():
            self.send_requested.emit()
