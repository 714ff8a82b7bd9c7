"""Puts the attempts a batch has committed into the history table, keeping the table small."""

from __future__ import annotations

from collections.abc import Sequence

from app.core.outcome import Attempt
from app.ui.models.history_model import HistoryTableModel

# Beyond this many loaded rows the table is reloaded (one page) instead of grown: a
# 100,000-row batch must not end up held in the model.
MAX_LOADED_PAGES = 2


def show_recorded(model: HistoryTableModel, attempts: Sequence[Attempt]) -> None:
    """Row by row while few (the view keeps its place), else one reload from the store."""
    if not attempts:
        return
    if model.loaded_count() + len(attempts) > model.page_size * MAX_LOADED_PAGES:
        model.reload()
        return
    for attempt in attempts:
        model.update_attempt(attempt)
