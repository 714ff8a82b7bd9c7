"""ClientMetadata editor: a key/value table with add/remove rows and a JSON view."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.request import MetadataParseError, parse_metadata_json
from app.ui import theme
from app.ui.qt_util import name_widget
from app.ui.widgets.empty_state import EmptyState

EMPTY_TEXT = "No metadata — Add a row or paste JSON. Only the pool's Lambda triggers see it."


def _tool_button(text: str, parent: QWidget) -> QToolButton:
    # Tool buttons size to their text; push buttons' style minimum made the form too wide.
    button = QToolButton(parent)
    button.setText(text)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return button


class MetadataTable(QWidget):
    """Edits ClientMetadata as rows or as a JSON object; `changed` fires on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._json_error: str | None = None
        self._row_errors: dict[int, str] = {}

        self.table = QTableWidget(0, 2, self)
        name_widget(self.table, "clientMetadataTable")
        self.table.setHorizontalHeaderLabels(["Key", "Value"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().resizeSection(0, 140)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(96)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.empty_state = EmptyState(self.table, "clientMetadataEmptyState", EMPTY_TEXT)
        self.table.setToolTip(
            "Key/value pairs passed only to the pool's Lambda triggers (e.g. CustomMessage). "
            "Cognito does not store or validate them; keys must be unique."
        )
        self.table.itemChanged.connect(self._on_item_changed)

        self.json_edit = QPlainTextEdit(self)
        name_widget(self.json_edit, "clientMetadataJsonEdit")
        self.json_edit.setPlaceholderText('{"source": "qa", "locale": "de"}')
        self.json_edit.setToolTip("A JSON object whose values are all strings.")
        # Wrapping one very long line (a pasted 100k-character value) blocked the window
        # for seconds; without wrapping Qt lays it out at once, and JSON scrolls sideways.
        self.json_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.json_edit.textChanged.connect(self._on_json_changed)

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.json_edit)

        self.add_button = _tool_button("Add", self)
        self.add_button.setToolTip("Add an empty key/value row.")
        name_widget(self.add_button, "metadataAddButton")
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button = _tool_button("Remove", self)
        self.remove_button.setToolTip("Remove the selected rows (or the last row).")
        name_widget(self.remove_button, "metadataRemoveButton")
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.paste_button = _tool_button("Paste JSON", self)
        name_widget(self.paste_button, "metadataPasteJsonButton")
        self.paste_button.setToolTip("Replace the rows with a JSON object from the clipboard.")
        self.paste_button.clicked.connect(self._on_paste_clicked)
        self.mode_button = _tool_button("JSON", self)
        self.mode_button.setToolTip("Edit the metadata as one JSON object instead of rows.")
        name_widget(self.mode_button, "metadataModeButton")
        self.mode_button.setCheckable(True)
        self.mode_button.toggled.connect(self._on_mode_toggled)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for b in (self.add_button, self.remove_button, self.paste_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.mode_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        layout.addLayout(buttons)

    # ------------------------------------------------------------------ values
    def pairs(self) -> list[tuple[str, str]]:
        """The rows as typed (empty rows included, so error rows line up with table rows)."""
        out: list[tuple[str, str]] = []
        for row in range(self.table.rowCount()):
            key = self.table.item(row, 0)
            value = self.table.item(row, 1)
            out.append((key.text() if key else "", value.text() if value else ""))
        return out

    def json_error(self) -> str | None:
        """Why the JSON view's text is not a metadata object, or None."""
        return self._json_error if self.in_json_mode() else None

    def in_json_mode(self) -> bool:
        return self.stack.currentIndex() == 1

    def set_pairs(self, pairs: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for key, value in pairs:
            self._append(key, value)
        self.table.blockSignals(False)
        if self.in_json_mode():
            self.json_edit.setPlainText(self._pairs_json())
        self.changed.emit()

    def add_row(self, key: str = "", value: str = "") -> None:
        self._append(key, value)
        self.table.setCurrentCell(self.table.rowCount() - 1, 0)
        self.changed.emit()

    def set_json_text(self, text: str) -> None:
        """Show `text` in the JSON view (used by paste and by tests)."""
        self.mode_button.setChecked(True)
        self.json_edit.setPlainText(text)

    def mark_errors(self, row_errors: dict[int, str]) -> None:
        """Tint rows that have a problem and put the reason in their tooltip."""
        self._row_errors = row_errors
        if self.table.rowCount() == 0:
            return  # nothing to tint (the usual case: every revalidate comes here)
        error_brush = QBrush(theme.invalid_row_color(self.table.palette()))
        self.table.blockSignals(True)
        for row in range(self.table.rowCount()):
            for col in (0, 1):
                item = self.table.item(row, col)
                if item is None:
                    item = QTableWidgetItem("")
                    self.table.setItem(row, col, item)
                problem = row_errors.get(row)
                item.setBackground(error_brush if problem else QBrush())
                item.setToolTip(problem or "")
        self.table.blockSignals(False)

    # ------------------------------------------------------------------ slots
    def _append(self, key: str, value: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(key))
        self.table.setItem(row, 1, QTableWidgetItem(value))

    def _pairs_json(self) -> str:
        pairs = [(k, v) for k, v in self.pairs() if k or v]
        if not pairs:
            return ""
        return json.dumps(dict(pairs), indent=2, ensure_ascii=False)

    def _on_item_changed(self, _item: QTableWidgetItem) -> None:
        self.changed.emit()

    def _on_remove_clicked(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.rowCount():
            rows = [self.table.rowCount() - 1]
        for row in rows:
            self.table.removeRow(row)
        self.changed.emit()

    def _on_paste_clicked(self) -> None:
        text = QGuiApplication.clipboard().text()
        try:
            pairs = parse_metadata_json(text)
        except MetadataParseError:
            # Keep the text so the user sees what was wrong with it.
            self.set_json_text(text)
            return
        self.mode_button.setChecked(False)
        self.set_pairs(pairs)

    def _on_mode_toggled(self, to_json: bool) -> None:
        if to_json:
            self.json_edit.blockSignals(True)
            self.json_edit.setPlainText(self._pairs_json())
            self.json_edit.blockSignals(False)
            self._json_error = None
            self.stack.setCurrentIndex(1)
            self.mode_button.setText("Table")
        else:
            text = self.json_edit.toPlainText().strip()
            if text:
                try:
                    pairs = parse_metadata_json(text)
                except MetadataParseError:
                    # Stay in JSON mode until the text is fixed or cleared.
                    self.mode_button.blockSignals(True)
                    self.mode_button.setChecked(True)
                    self.mode_button.blockSignals(False)
                    return
            else:
                pairs = []
            self.stack.setCurrentIndex(0)
            self.mode_button.setText("JSON")
            self._json_error = None
            self.set_pairs(pairs)
        for b in (self.add_button, self.remove_button):
            b.setEnabled(not to_json)
        self.changed.emit()

    def _on_json_changed(self) -> None:
        text = self.json_edit.toPlainText().strip()
        self._json_error = None
        if text:
            try:
                parse_metadata_json(text)
            except MetadataParseError as exc:
                self._json_error = str(exc)
        self.changed.emit()

    def json_pairs(self) -> list[tuple[str, str]]:
        """The JSON view's pairs (empty when the text is empty or invalid)."""
        text = self.json_edit.toPlainText().strip()
        if not text or self._json_error:
            return []
        try:
            return parse_metadata_json(text)
        except MetadataParseError:
            return []

    def current_pairs(self) -> list[tuple[str, str]]:
        """What will be sent: the table rows, or the JSON object in JSON mode."""
        return self.json_pairs() if self.in_json_mode() else self.pairs()
