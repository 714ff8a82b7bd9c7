"""The window's pages, one shown at a time: the first-run welcome, support and developer views."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from PySide6.QtWidgets import QStackedWidget, QWidget

from app.ui.qt_util import name_widget

if TYPE_CHECKING:
    from app.ui.models.history_model import HistoryTableModel
    from app.ui.widgets.developer_view import DeveloperView
    from app.ui.widgets.support_view import SupportView
    from app.ui.widgets.welcome_page import WelcomePage

PageKind = Literal["welcome", "support", "developer"]
PAGES: tuple[PageKind, ...] = ("welcome", "support", "developer")


class ViewStack(QStackedWidget):
    """Holds the three pages; `ViewSwitching` (app/ui/window) decides which one shows.

    Only the shown page's widgets are visible, so `sendButton` (support and developer
    view) and `diagnosisCard` stay unique among the visible widgets.

    With a history model all three pages are built at once; without one, none is, and the
    window's staged start builds the page of its first screen (`build_page`), paints it,
    then the others (`build_rest`). Each page's module is imported when it is built."""

    welcome_page: WelcomePage
    support_view: SupportView
    developer_view: DeveloperView

    def __init__(
        self, history_model: HistoryTableModel | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        name_widget(self, "viewStack")
        if history_model is not None:
            self.build_rest(history_model)

    def has_page(self, kind: PageKind) -> bool:
        return hasattr(self, _ATTRIBUTE[kind])

    def page(self, kind: PageKind) -> QWidget:
        page: QWidget = getattr(self, _ATTRIBUTE[kind])
        return page

    def build_page(self, kind: PageKind, history_model: HistoryTableModel | None = None) -> QWidget:
        """Build and add the page `kind` (the developer view needs the history's model)."""
        if self.has_page(kind):
            return self.page(kind)
        page: QWidget
        if kind == "welcome":
            from app.ui.widgets.welcome_page import WelcomePage

            page = self.welcome_page = WelcomePage(self)
        elif kind == "support":
            from app.ui.widgets.support_view import SupportView

            page = self.support_view = SupportView(self)
        else:
            from app.ui.widgets.developer_view import DeveloperView

            if history_model is None:
                raise ValueError("the developer view needs the history's model")
            page = self.developer_view = DeveloperView(history_model, self)
        self.addWidget(page)
        return page

    def build_rest(self, history_model: HistoryTableModel) -> None:
        """The pages not built yet."""
        for kind in PAGES:
            self.build_page(kind, history_model)


_ATTRIBUTE: dict[PageKind, str] = {
    "welcome": "welcome_page",
    "support": "support_view",
    "developer": "developer_view",
}
