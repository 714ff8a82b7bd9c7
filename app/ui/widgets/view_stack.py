"""The window's pages, one shown at a time: the first-run welcome, support and developer views."""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget, QWidget

from app.ui.models.history_model import HistoryTableModel
from app.ui.qt_util import name_widget
from app.ui.widgets.developer_view import DeveloperView
from app.ui.widgets.support_view import SupportView
from app.ui.widgets.welcome_page import WelcomePage


class ViewStack(QStackedWidget):
    """Holds the three pages; `ViewSwitching` (app/ui/window) decides which one shows.

    Only the shown page's widgets are visible, so `sendButton` (support and developer
    view) and `diagnosisCard` stay unique among the visible widgets."""

    def __init__(self, history_model: HistoryTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "viewStack")
        self.welcome_page = WelcomePage(self)
        self.support_view = SupportView(self)
        self.developer_view = DeveloperView(history_model, self)
        for page in (self.welcome_page, self.support_view, self.developer_view):
            self.addWidget(page)
