"""The history pane's table view: selection, row height, columns and the header's column menu."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView

from app.ui.models.history_columns import (
    COL_ATTRIBUTE,
    COL_DESTINATION,
    COL_LATENCY,
    COL_MEDIUM,
    COL_OUTCOME,
    COL_PROFILE,
    COL_REQUEST_ID,
    COL_TIME,
    COL_USERNAME,
    DEFAULT_HIDDEN,
    HEADERS,
)
from app.ui.models.history_model import CLOCK_MS, HistoryTableModel
from app.ui.qt_util import name_widget

# Interactive columns start at these widths; the ones in _STRETCHED share what is left, so
# the columns shown by default fit the pane without a horizontal scrollbar.
_COLUMN_WIDTHS = {
    COL_TIME: 96,
    COL_PROFILE: 110,
    COL_MEDIUM: 64,
    COL_ATTRIBUTE: 110,
    COL_LATENCY: 80,
    COL_REQUEST_ID: 120,
}
_STRETCHED = (COL_USERNAME, COL_OUTCOME, COL_DESTINATION)


def make_history_view(model: HistoryTableModel) -> QTableView:
    """The history table: rows selected whole, fixed row height, the store's order."""
    view = QTableView()
    name_widget(view, "historyView")
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setSortingEnabled(False)  # the store's order (newest first) is the order
    view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    # Tab moves on to the details, not from cell to cell (arrows move between rows).
    view.setTabKeyNavigation(False)
    vheader = view.verticalHeader()
    vheader.hide()
    # A fixed row height spares the view from measuring rows: 100k stay smooth.
    vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vheader.setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    header.setMinimumSectionSize(48)
    for col, width in _COLUMN_WIDTHS.items():
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(col, width)
    for col in _STRETCHED:
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
    for col in DEFAULT_HIDDEN:
        header.setSectionHidden(col, True)
    fit_scroll_policy(view)
    header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    header.customContextMenuRequested.connect(
        lambda pos: _show_column_menu(view, header.mapToGlobal(QPoint(pos)))
    )
    # The view owns the clock (a widget dies on the GUI thread; a bare model may not).
    clock = QTimer(view)
    clock.setInterval(CLOCK_MS)
    clock.timeout.connect(model.refresh_times)
    clock.start()
    return view


def build_column_menu(view: QTableView) -> QMenu:
    """One checkable entry per column; the last visible column cannot be hidden."""
    header = view.horizontalHeader()
    menu = QMenu(view)
    menu.setObjectName("historyColumnMenu")
    visible = [c for c in range(len(HEADERS)) if not header.isSectionHidden(c)]
    for col, title in enumerate(HEADERS):
        action = QAction(title, menu)
        action.setObjectName(f"historyColumn_{title.replace(' ', '')}")
        action.setCheckable(True)
        action.setChecked(col in visible)
        action.setEnabled(visible != [col])
        action.toggled.connect(lambda on, c=col: _show_column(view, c, on))
        menu.addAction(action)
    return menu


def fit_scroll_policy(view: QTableView) -> None:
    """No sideways scrollbar while only stretching columns show (they always fit; Qt's
    stretch can overshoot by a pixel or two); one as needed once a fixed column is shown."""
    header = view.horizontalHeader()
    shown = {c for c in range(len(HEADERS)) if not header.isSectionHidden(c)}
    fits = shown <= {COL_TIME, *_STRETCHED}
    view.setHorizontalScrollBarPolicy(
        Qt.ScrollBarPolicy.ScrollBarAlwaysOff if fits else Qt.ScrollBarPolicy.ScrollBarAsNeeded
    )


def _show_column(view: QTableView, col: int, on: bool) -> None:
    view.horizontalHeader().setSectionHidden(col, not on)
    fit_scroll_policy(view)


def _show_column_menu(view: QTableView, where: QPoint) -> None:
    menu = build_column_menu(view)
    menu.exec(where)
    menu.deleteLater()
