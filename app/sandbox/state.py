"""The sandbox's mutable per-instance state: inbox, resend attempt counters, queued faults."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from app.sandbox.faults import Fault
from app.sandbox.model import InboxMessage


class Inbox:
    """Every code the sandbox delivered, oldest first; shared by the server threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[InboxMessage] = []

    def add(self, message: InboxMessage) -> None:
        with self._lock:
            self._messages.append(message)

    def messages(self, username: str | None = None) -> list[InboxMessage]:
        with self._lock:
            return [m for m in self._messages if username is None or m.username == username]

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()


class AttemptLimiter:
    """A sliding window of resend attempts per user.

    Rejected attempts are recorded too: in Cognito, retrying after LimitExceededException
    burns more attempts and keeps the user locked out, and testers must see that.
    """

    def __init__(
        self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = limit
        self._window_s = window_s
        self._clock = clock
        self._lock = threading.Lock()
        self._attempts: dict[str, deque[float]] = {}

    def attempt(self, key: str) -> bool:
        """Record one attempt for `key`; True while it stays within the limit."""
        now = self._clock()
        with self._lock:
            stamps = self._attempts.setdefault(key, deque())
            while stamps and now - stamps[0] >= self._window_s:
                stamps.popleft()
            stamps.append(now)
            return len(stamps) <= self._limit

    def clear(self) -> None:
        with self._lock:
            self._attempts.clear()


class FaultQueue:
    """Faults injected for the next ResendConfirmationCode calls, one fault per call."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: deque[Fault] = deque()

    def extend(self, faults: list[Fault]) -> None:
        with self._lock:
            self._faults.extend(faults)

    def pop(self) -> Fault | None:
        with self._lock:
            return self._faults.popleft() if self._faults else None

    def pending(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
