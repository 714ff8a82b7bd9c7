"""The sandbox controller: reads the built-in sandbox's inbox off the UI thread."""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import QObject, Signal

from app.ui.controllers.session import Session
from app.ui.controllers.tasks import TaskGroup

log = logging.getLogger(__name__)


class SandboxController(QObject):
    """The inbox of the sandbox the session started (codes the sends issued)."""

    inbox_loaded = Signal(list)  # list[InboxMessage]

    def __init__(self, session: Session, tasks: TaskGroup, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._tasks = tasks

    def refresh_inbox(self) -> asyncio.Task[None] | None:
        if self._session.sandbox is None or self._tasks.closing:
            return None
        return self._tasks.spawn(self._refresh_inbox())

    async def _refresh_inbox(self) -> None:
        sandbox = self._session.sandbox
        if sandbox is None:
            return
        try:
            messages = await self._tasks.blocking(sandbox.inbox)
        except Exception:
            log.warning("could not read the sandbox inbox", exc_info=True)
            return
        self.inbox_loaded.emit(list(messages))
