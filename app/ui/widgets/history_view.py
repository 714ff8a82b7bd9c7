"""The history pane's table view: selection, row height and column widths set once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

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
)
from app.ui.models.history_model import HistoryTableModel
from app.ui.qt_util import name_widget

_COLUMN_WIDTHS = {
    COL_TIME: 150,
    COL_PROFILE: 110,
    COL_USERNAME: 160,
    COL_OUTCOME: 190,
    COL_DESTINATION: 150,
    COL_MEDIUM: 64,
    COL_ATTRIBUTE: 110,
    COL_LATENCY: 80,
    COL_REQUEST_ID: 120,
}


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
    vheader = view.verticalHeader()
    vheader.hide()
    # A fixed row height spares the view from measuring rows: 100k stay smooth.
    vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vheader.setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for col, width in _COLUMN_WIDTHS.items():
        header.resizeSection(col, width)
    return view
