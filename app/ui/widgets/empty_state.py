"""An empty state: a centred hint over an item view while it has no rows."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractItemView, QLabel

from app.ui import theme
from app.ui.qt_util import name_widget


class EmptyState(QLabel):
    """Covers `view`'s viewport with `text` whenever the view's model has no rows."""

    def __init__(self, view: QAbstractItemView, name: str, text: str) -> None:
        super().__init__(text, view.viewport())
        name_widget(self, name)
        self._view = view
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setMargin(12)
        self.setTextFormat(Qt.TextFormat.PlainText)
        # Clicks and the context menu reach the view under the hint.
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._apply_palette()
        view.viewport().installEventFilter(self)
        model = view.model()
        for signal in (model.rowsInserted, model.rowsRemoved):
            signal.connect(self.refresh)
        model.modelReset.connect(self.refresh)
        model.layoutChanged.connect(self.refresh)
        self.setGeometry(view.viewport().rect())
        self.refresh()

    def set_text(self, text: str) -> None:
        if text != self.text():
            self.setText(text)

    def refresh(self) -> None:
        empty = self._view.model().rowCount() == 0
        if empty == self.isHidden():
            self.setVisible(empty)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(self._view.viewport().rect())
        return False

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()
        super().changeEvent(event)

    def _apply_palette(self) -> None:
        palette = self.palette()
        muted = theme.muted_text(self._view.palette())
        if palette.color(QPalette.ColorRole.WindowText) != muted:
            palette.setColor(QPalette.ColorRole.WindowText, muted)
            self.setPalette(palette)
