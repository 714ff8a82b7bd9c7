"""The developer view: the full resend form, the diagnosis card and the history, side by side."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QSplitter, QVBoxLayout, QWidget

from app.ui.models.history_model import HistoryTableModel
from app.ui.qt_util import name_widget
from app.ui.widgets.diagnosis_card import DiagnosisCard
from app.ui.widgets.history_pane import HistoryPane
from app.ui.widgets.resend_form import ResendForm


class DeveloperView(QWidget):
    """The form (scrolls vertically), the diagnosis card (issue 12) and the history pane in
    one splitter."""

    def __init__(self, history_model: HistoryTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "developerView")
        self.form = ResendForm(self)
        name_widget(self.form, "resendForm")
        form_scroll = QScrollArea(self)
        form_scroll.setWidgetResizable(True)
        # The form reflows to the pane's width; only vertical scrolling makes sense.
        form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        form_scroll.setWidget(self.form)
        form_scroll.setMinimumWidth(360)
        self.history_pane = HistoryPane(history_model, self)
        # Beside the form: who the typed user is and whether a code will go out.
        self.diagnosis_card = DiagnosisCard(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        name_widget(self.splitter, "mainSplitter")
        self.splitter.addWidget(form_scroll)
        self.splitter.addWidget(self.diagnosis_card)
        self.splitter.addWidget(self.history_pane)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    def parts(self) -> tuple[ResendForm, HistoryPane, QSplitter, DiagnosisCard]:
        """The form, history pane, splitter and diagnosis card (the window keeps them)."""
        return self.form, self.history_pane, self.splitter, self.diagnosis_card
