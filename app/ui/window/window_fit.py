"""What lets the window fit a small screen and work from the keyboard, set up once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer

from app.ui.theme import focus_ring_style

if TYPE_CHECKING:
    from app.ui.window.main_window import MainWindow

# The window must fit 1024 px with the Sandbox drawer open (issue 14).
FORM_MIN_WIDTH = 300
DOCK_MIN_WIDTH = 220
DOCK_MAX_SHARE = 0.26  # of the window's width, once the window is narrow


def fit_and_keyboard(window: MainWindow) -> None:
    """A focus ring from the palette, menu shortcuts over text fields, a drawer that shrinks."""
    window.setStyleSheet(focus_ring_style(window.palette()))
    form_scroll = window.splitter.widget(0)  # the developer view's form, in its scroll area
    if form_scroll is not None:
        form_scroll.setMinimumWidth(FORM_MIN_WIDTH)
    window.window_actions.keep_over_text_fields(window)  # the filter's parent is the window
    window.sandbox_panel.setMinimumWidth(0)
    window.sandbox_dock.setMinimumWidth(DOCK_MIN_WIDTH)
    # A long status ("alice: Lambda trigger rejected the request") is cut, never widening.
    window.status_label.setMinimumWidth(1)
    window.installEventFilter(DrawerFit(window))


class DrawerFit(QObject):
    """Narrows the Sandbox drawer as the window narrows, so the history keeps its room.

    QMainWindow takes a shrinking window's width from the central widget alone; on a
    1024 px screen the drawer kept its 340 px and the history needed a scrollbar.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            # After the layout has settled: a dock resized mid-resize is laid out again.
            QTimer.singleShot(0, self.fit)
        return False

    def fit(self) -> None:
        w = self._window
        dock = w.sandbox_dock
        target = max(DOCK_MIN_WIDTH, int(w.width() * DOCK_MAX_SHARE))
        if dock.isVisible() and not dock.isFloating() and dock.width() > target:
            w.resizeDocks([dock], [target], Qt.Orientation.Horizontal)
