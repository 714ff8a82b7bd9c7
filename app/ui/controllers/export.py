"""The export controller: writes the filtered history to CSV or JSON off the UI thread."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.core.words import counted
from app.ui.controllers.session import Session
from app.ui.controllers.tasks import TaskGroup

if TYPE_CHECKING:
    from app.services.history_store import HistoryFilter

log = logging.getLogger(__name__)


class ExportController(QObject):
    """Exports what the history pane (or a batch) selects."""

    export_finished = Signal(str, int)  # path, rows written
    status_changed = Signal(str)  # a short line for the status bar
    problem_reported = Signal(str, str)  # title, plain-language text

    def __init__(self, session: Session, tasks: TaskGroup, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._tasks = tasks

    def export_history(self, fmt: str, path: str, flt: HistoryFilter) -> asyncio.Task[None]:
        return self._tasks.spawn(self._export(fmt, path, flt))

    async def _export(self, fmt: str, path: str, flt: HistoryFilter) -> None:
        history, exporter = self._session.history, self._session.factories.exporter
        if history is None or exporter is None:
            self.problem_reported.emit("Export unavailable", "The history is not open yet.")
            return
        try:
            n = await self._tasks.blocking(exporter, fmt, flt, Path(path), history)
        except Exception as exc:
            log.warning("export to %s failed: %s", path, exc)
            self.problem_reported.emit("Export failed", f"Could not write {path}: {exc}")
            return
        self.status_changed.emit(f"Exported {counted(n, 'attempt')} to {path}")
        self.export_finished.emit(path, n)
