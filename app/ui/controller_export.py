"""Controller export: write the filtered history to CSV or JSON off the UI thread."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from app.ui.controller_base import ControllerPart

if TYPE_CHECKING:
    from app.services.history_store import HistoryFilter

log = logging.getLogger(__name__)


class ExportMixin(ControllerPart):
    """Exports the history the pane shows."""

    def export_history(self, fmt: str, path: str, flt: HistoryFilter) -> asyncio.Task[None]:
        return self._spawn(self._export(fmt, path, flt))

    async def _export(self, fmt: str, path: str, flt: HistoryFilter) -> None:
        if self._history is None or self._factories.exporter is None:
            self.problem_reported.emit("Export unavailable", "The history is not open yet.")
            return
        try:
            n = await self._blocking(self._factories.exporter, fmt, flt, Path(path), self._history)
        except Exception as exc:
            log.warning("export to %s failed: %s", path, exc)
            self.problem_reported.emit("Export failed", f"Could not write {path}: {exc}")
            return
        self.status_changed.emit(f"Exported {n} attempt(s) to {path}")
        self.export_finished.emit(path, n)
