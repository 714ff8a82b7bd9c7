"""The window's in-flight work: the coroutines the controllers start, and how closing waits."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class TaskGroup:
    """Keeps every task the controllers spawn, so closing can wait for (or cancel) them.

    Sends are counted apart: the status bar shows how many calls are in flight.
    """

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._sends: set[asyncio.Task[Any]] = set()
        self.closing = False

    @property
    def in_flight(self) -> int:
        return len(self._sends)

    def spawn(self, coro: Coroutine[Any, Any, T], *, send: bool = False) -> asyncio.Task[T]:
        task = asyncio.get_event_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        if send:
            self._sends.add(task)
            task.add_done_callback(self._sends.discard)
        return task

    async def blocking(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn` in the loop's executor: keyring, boto3, SQLite never block the UI thread."""
        return await asyncio.to_thread(fn, *args)

    async def drain(self, timeout: float) -> None:
        """Refuse new work, let what runs finish within `timeout`, cancel the rest."""
        self.closing = True
        pending = [t for t in self._tasks if not t.done()]
        if not pending:
            return
        _done, still = await asyncio.wait(pending, timeout=timeout)
        for task in still:
            task.cancel()
        if still:
            await asyncio.wait(still, timeout=1.0)
