"""The support actions' confirmations (what changes), and the "Why didn't it arrive?" list."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QCheckBox, QDialog, QMessageBox, QTextBrowser, QVBoxLayout, QWidget

from app.core.arrival import ChecklistItem
from app.ui.qt_util import name_widget


def action_box(
    parent: QWidget | None, title: str, text: str, *, mark_label: str = ""
) -> tuple[QMessageBox, QCheckBox | None]:
    """A Yes/No box that says what the action changes; with `mark_label`, a checkbox
    (unchecked: confirming leaves email and phone unverified)."""
    box = QMessageBox(parent)
    name_widget(box, "supportActionDialog")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    check: QCheckBox | None = None
    if mark_label:
        check = QCheckBox(mark_label, box)
        name_widget(check, "supportActionMarkVerified")
        box.setCheckBox(check)
    return box, check


def checklist_html(items: tuple[ChecklistItem, ...]) -> str:
    rows = []
    for item in items:
        mark = "⚠ " if item.likely else "• "
        detail = escape(item.detail).replace("\n", "<br>")
        rows.append(f"<p><b>{mark}{escape(item.title)}</b><br>{detail}</p>")
    return "".join(rows)


class ArrivalDialog(QDialog):
    """The checklist for one delivered attempt (likely causes first, marked ⚠)."""

    def __init__(self, items: tuple[ChecklistItem, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "arrivalDialog")
        self.setWindowTitle("Why didn't it arrive?")
        self.resize(560, 480)
        layout = QVBoxLayout(self)
        self.text = QTextBrowser(self)
        name_widget(self.text, "arrivalChecklist")
        self.text.setHtml(checklist_html(items))
        layout.addWidget(self.text)
