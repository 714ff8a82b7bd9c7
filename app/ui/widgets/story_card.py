"""A card that tells one CustomerStory: a marked title, a few sentences, details collapsed."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.story import CustomerStory, Tone
from app.ui.qt_util import name_widget

_MARK = {Tone.SUCCESS: "✔", Tone.INFO: "ℹ", Tone.WARNING: "⚠", Tone.ERROR: "✖", Tone.BUSY: "…"}
# Only the stripe is coloured: the text keeps the palette's colours (light and dark).
_STRIPE = {
    Tone.SUCCESS: "#2e7d32",
    Tone.INFO: "#2f6fb0",
    Tone.WARNING: "#c98a00",
    Tone.ERROR: "#c62828",
    Tone.BUSY: "#8a8a8a",
}


class StoryCard(QFrame):
    """Shows a story; "Technical details" (collapsed) holds the developer's account.

    With `ticket=True` it has a "Copy for ticket" button (`copy_requested`).

    The support view's idle card is on a first screen (issue 15): built without naming the
    `Qt` enum namespace (its first use costs ~13 ms), it shows that app-written story as
    `show_placeholder` does; the rest of its setup (selectable plain text, the details and
    their toggle) follows with `complete_setup`, at the latest before any other story."""

    copy_requested = Signal()

    def __init__(self, name: str, *, ticket: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, name)
        self._name = name
        self._story: CustomerStory | None = None
        self._details_text = ""
        self._complete = False
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel("")
        name_widget(self.title, f"{name}Title")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.story = QLabel("")
        name_widget(self.story, f"{name}Story")
        self.next_step = QLabel("")
        name_widget(self.next_step, f"{name}NextStep")
        for label in (self.title, self.story, self.next_step):
            label.setWordWrap(True)
        self.copy_button: QPushButton | None = None
        self._row = row = QHBoxLayout()
        row.addStretch(1)
        if ticket:
            self.copy_button = QPushButton("Copy for ticket")
            name_widget(self.copy_button, "copyForTicketButton")
            self.copy_button.setToolTip("Copy this result as plain text (no secrets)")
            self.copy_button.clicked.connect(self.copy_requested)
            row.addWidget(self.copy_button)
        self._layout = layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 12, 10)
        layout.addWidget(self.title)
        layout.addWidget(self.story)
        layout.addWidget(self.next_step)
        layout.addLayout(row)
        self._paint(Tone.BUSY)

    def complete_setup(self) -> None:
        """What names Qt's enums: selectable plain text, the details and their toggle (the
        window calls it once its first screen is painted; any story but a placeholder too)."""
        if self._complete:
            return
        self._complete = True
        from PySide6.QtCore import Qt

        for label in (self.title, self.story, self.next_step):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.story.setTextFormat(Qt.TextFormat.PlainText)
        self.next_step.setTextFormat(Qt.TextFormat.PlainText)
        self._details_toggle = toggle = QToolButton()
        name_widget(toggle, f"{self._name}DetailsToggle")
        toggle.setText("Technical details")
        toggle.setCheckable(True)
        toggle.setAutoRaise(True)
        toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toggle.setArrowType(Qt.ArrowType.RightArrow)
        toggle.setVisible(bool(self._details_text))
        self._details = details = QLabel(self._details_text)
        name_widget(details, f"{self._name}Details")
        details.setWordWrap(True)
        details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        details.setTextFormat(Qt.TextFormat.PlainText)
        details.setVisible(False)
        self._row.insertWidget(0, toggle)
        self._layout.addWidget(details)
        toggle.toggled.connect(self._on_details_toggled)

    @property
    def details_toggle(self) -> QToolButton:
        self.complete_setup()
        return self._details_toggle

    @property
    def details(self) -> QLabel:
        self.complete_setup()
        return self._details

    def show_placeholder(self, story: CustomerStory) -> None:
        """An app-written story without details (no user's text in it): shown as it is
        before the card's setup is complete, as `show_story` once it is."""
        if self._complete:
            self.show_story(story)
            return
        self._story = story
        self._details_text = ""
        self.title.setText(f"{_MARK[story.tone]}  {story.title}")
        self.story.setText(story.story)
        self.next_step.setText(story.next_step)
        self.next_step.setVisible(bool(story.next_step))
        self._paint(story.tone)

    @property
    def shown_story(self) -> CustomerStory | None:
        return self._story

    def show_story(self, story: CustomerStory, details: str = "", *, rich: bool = False) -> None:
        from PySide6.QtCore import Qt

        self.complete_setup()  # plain text before any user's text is shown
        self._story = story
        self._details_text = details
        self.title.setText(f"{_MARK[story.tone]}  {story.title}")
        self.story.setText(story.story)
        self.next_step.setText(story.next_step)
        self.next_step.setVisible(bool(story.next_step))
        self.details.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        self.details.setText(details)
        self.details_toggle.setVisible(bool(details))
        if not details:
            self.details_toggle.setChecked(False)
        self._paint(story.tone)

    def set_details_open(self, shown: bool) -> None:
        self.details_toggle.setChecked(shown)

    def _on_details_toggled(self, shown: bool) -> None:
        from PySide6.QtCore import Qt

        self.details.setVisible(shown)
        arrow = Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        self.details_toggle.setArrowType(arrow)

    def _paint(self, tone: Tone) -> None:
        self.setProperty("tone", tone.value)
        self.setStyleSheet(
            f"#{self._name} {{ border: 1px solid palette(mid); "
            f"border-left: 5px solid {_STRIPE[tone]}; border-radius: 4px; }}"
        )
