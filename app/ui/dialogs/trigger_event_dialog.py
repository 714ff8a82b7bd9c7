"""The "Preview trigger event" dialog: the CustomMessage_ResendCode JSON, copy it, save it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.trigger_event import EventPreview
from app.ui import theme
from app.ui.qt_util import name_widget

log = logging.getLogger(__name__)

SavePathChooser = Callable[[QWidget, str], str | None]

INTRO = (
    "The event Cognito sends to the pool's CustomMessage Lambda trigger when this resend is "
    "made. Save it as a test event for `sam local invoke -e` or the Lambda console."
)


def choose_save_path(parent: QWidget, suggested: str) -> str | None:
    """Ask where to save the event (the default chooser; tests inject their own)."""
    path, _ = QFileDialog.getSaveFileName(
        parent, "Save test event", suggested, "JSON files (*.json);;All files (*)"
    )
    return path or None


class TriggerEventDialog(QDialog):
    """Shows one `EventPreview` read-only; says which parts are placeholders."""

    def __init__(
        self,
        preview: EventPreview,
        *,
        extra_note: str | None = None,
        choose_path: SavePathChooser = choose_save_path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        name_widget(self, "triggerEventDialog")
        self.setWindowTitle("CustomMessage trigger event")
        self.resize(640, 560)
        self._preview = preview
        self._choose_path = choose_path

        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        notes = [n for n in (preview.placeholder_note, extra_note) if n]
        self.note_label = QLabel(" ".join(notes), self)
        name_widget(self.note_label, "triggerEventNote")
        self.note_label.setWordWrap(True)
        warning = theme.text_color(self.note_label.palette(), theme.Tone.WARNING)
        self.note_label.setStyleSheet(theme.color_style(warning))
        self.note_label.setVisible(bool(notes))

        self.text = QPlainTextEdit(self)
        name_widget(self.text, "triggerEventText")
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlainText(preview.to_json_text())

        self.status_label = QLabel("", self)
        name_widget(self.status_label, "triggerEventStatus")
        self.status_label.setWordWrap(True)

        self.copy_button = QPushButton("Copy JSON", self)
        name_widget(self.copy_button, "triggerEventCopyButton")
        self.copy_button.clicked.connect(self._on_copy)
        self.save_button = QPushButton("Save as test event…", self)
        name_widget(self.save_button, "triggerEventSaveButton")
        self.save_button.clicked.connect(self._on_save)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.note_label)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(buttons)

    @property
    def preview(self) -> EventPreview:
        return self._preview

    def json_text(self) -> str:
        return self.text.toPlainText()

    def _on_copy(self) -> None:
        QGuiApplication.clipboard().setText(self.json_text())
        self.status_label.setText("Copied to the clipboard.")

    def _on_save(self) -> None:
        username = str(self._preview.event.get("userName") or "event")
        # A username may hold '/' or other characters a file name cannot.
        safe = "".join(c if c.isalnum() or c in "._@-" else "_" for c in username)
        path = self._choose_path(self, f"custom-message-{safe}.json")
        if not path:
            return
        try:
            # A few KB to a path the user just chose: not worth a worker thread.
            Path(path).write_text(self.json_text(), encoding="utf-8")
        except OSError as exc:
            log.warning("could not save the test event: %s", exc)
            self.status_label.setText(f"Could not save {path}: {exc}")
            return
        self.status_label.setText(f"Saved {path}")
