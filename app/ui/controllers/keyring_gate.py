"""The window's one door to the keyring: each call on a daemon thread, time-boxed, never queued up.

A keyring call can block for as long as a system prompt stays open ("choose a password for
the new keyring", an unlock prompt). The window must not wait for it: a call that has not
answered within `patience` seconds raises `KeyringNotAnsweringError`, its thread goes on, and
until it ends every new call is refused at once (no pile of blocked threads). The threads
are daemons, so quitting while a prompt is open does not hang the process; the loop's
executor (joined by `loop.close()`) is never used for them.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

# What a person is told while the keyring has not answered.
NOT_ANSWERING_MESSAGE = (
    "The keyring has not answered yet: a system prompt may be waiting for you (unlock the "
    "keyring or choose its password). Answer it and send again, or choose “Use for this "
    "session only” to type the client ID and secret; the Sandbox works meanwhile."
)


class KeyringNotAnsweringError(Exception):
    """The keyring did not answer in time, or an earlier call is still waiting for it."""

    def __init__(self) -> None:
        super().__init__(NOT_ANSWERING_MESSAGE)


class KeyringGate:
    """Runs keyring calls off the UI thread, one at a time, waiting at most `patience` s."""

    def __init__(self, patience: float = 3.0) -> None:
        self._patience = patience
        self._serial = threading.Lock()  # the backends are not all safe to call in parallel
        self._stuck: asyncio.Future[Any] | None = None
        self._answered = asyncio.Event()
        self._answered.set()
        # Only the threads still running are kept: a list of every call's thread grew by
        # one Thread (~2 KB) per send from a stored profile, for the window's lifetime.
        self._live: set[threading.Thread] = set()
        self.started = 0  # for tests: how many calls were given a thread

    @property
    def patience(self) -> float:
        return self._patience

    @property
    def threads(self) -> list[threading.Thread]:
        """The keyring calls' threads that are still running (for tests and shutdown)."""
        return [t for t in list(self._live) if t.is_alive()]

    @property
    def stuck(self) -> bool:
        """True while a call that ran out of patience is still waiting for the keyring."""
        return self._stuck is not None

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` on a daemon thread; raises KeyringNotAnsweringError rather than wait long."""
        if self._stuck is not None:
            raise KeyringNotAnsweringError()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()

        def settle(ok: bool, value: Any) -> None:
            if future.done():
                return
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

        def run() -> None:
            try:
                with self._serial:
                    try:
                        result: tuple[bool, Any] = (True, fn(*args))
                    except BaseException as exc:  # noqa: BLE001 -- handed to the awaiting task
                        result = (False, exc)
                try:
                    loop.call_soon_threadsafe(settle, *result)
                except RuntimeError:  # the loop closed while the keyring was blocked
                    pass
            finally:
                self._live.discard(threading.current_thread())

        thread = threading.Thread(target=run, name="keyring-call", daemon=True)
        self._live.add(thread)
        self.started += 1
        thread.start()
        try:
            return await asyncio.wait_for(asyncio.shield(future), self._patience)
        except TimeoutError:
            self._mark_stuck(future)
            raise KeyringNotAnsweringError() from None

    async def answered(self) -> None:
        """Wait until a stuck call has ended (at once when none is stuck)."""
        await self._answered.wait()

    def _mark_stuck(self, future: asyncio.Future[Any]) -> None:
        self._stuck = future
        self._answered.clear()

        def unstick(done: asyncio.Future[Any]) -> None:
            if not done.cancelled():
                done.exception()  # retrieved: its result is no longer wanted
            self._stuck = None
            self._answered.set()

        future.add_done_callback(unstick)
