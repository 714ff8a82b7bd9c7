"""Where a finished attempt is recorded: the `HistorySink` protocol and an in-memory sink."""

from __future__ import annotations

from typing import Protocol

from app.core.outcome import Attempt


class HistorySink(Protocol):
    """What the resend pipeline writes each final attempt to, exactly once.

    `HistoryStore` (SQLite), `BufferedHistory` (a batch's buffer) and `MemoryHistory`
    all satisfy it, so none of them needs a cast to be passed in.
    """

    # Positional-only: the implementations name the parameter differently.
    def append(self, attempt: Attempt, /) -> None: ...


class MemoryHistory:
    """A sink that keeps attempts in a list: the self-test must not touch the real history."""

    def __init__(self) -> None:
        self.attempts: list[Attempt] = []

    def append(self, attempt: Attempt, /) -> None:
        self.attempts.append(attempt)
