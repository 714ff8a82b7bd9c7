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
        # Every finished send asks for a refresh: while one read runs, further asks only
        # mark it to read once more (50 sends in flight made 50 reads and table rebuilds).
        self._running: asyncio.Task[None] | None = None
        self._again = False

    def refresh_inbox(self) -> asyncio.Task[None] | None:
        """Read the inbox off the UI thread; the task ends once what it shows is newer than
        this call (one already running reads again after its current read)."""
        if self._session.sandbox is None or self._tasks.closing:
            return None
        if self._running is not None and not self._running.done():
            self._again = True
            return self._running
        self._again = False
        self._running = self._tasks.spawn(self._refresh_inbox())
        return self._running

    async def _refresh_inbox(self) -> None:
        while True:
            self._again = False
            sandbox = self._session.sandbox
            if sandbox is None:
                return
            try:
                messages = await self._tasks.blocking(sandbox.inbox)
            except Exception:
                log.warning("could not read the sandbox inbox", exc_info=True)
                return
            self.inbox_loaded.emit(list(messages))
            if not self._again or self._tasks.closing:
                return
