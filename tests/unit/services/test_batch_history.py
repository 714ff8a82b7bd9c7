"""BufferedHistory: rows are written in few transactions, in order, and none is lost on flush."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from app.core.outcome import Attempt
from app.services.batch_history import BufferedHistory


class Store:
    def __init__(self, fail: bool = False) -> None:
        self.writes: list[list[str]] = []
        self.fail = fail

    def append_many(self, attempts: Iterable[Attempt]) -> int:
        rows = [a.username for a in attempts]
        if self.fail:
            raise OSError("disk full")
        self.writes.append(rows)
        return len(rows)


def a(name: str) -> Attempt:
    return Attempt(profile="p", username=name, client_id="c", region="r", batch_id="b")


def test_full_buffers_are_written_in_one_transaction_each_and_flush_writes_the_rest() -> None:
    store = Store()
    now = [0.0]
    buf = BufferedHistory(store, max_rows=3, max_delay_s=10.0, clock=lambda: now[0])
    for i in range(7):
        buf.append(a(f"u{i}"))
    assert store.writes == [["u0", "u1", "u2"], ["u3", "u4", "u5"]]
    assert buf.pending == 1
    assert buf.flush() == 1 and buf.flush() == 0
    assert store.writes[-1] == ["u6"]


def test_an_old_buffer_is_written_on_the_next_append() -> None:
    store = Store()
    now = [0.0]
    buf = BufferedHistory(store, max_rows=100, max_delay_s=0.5, clock=lambda: now[0])
    buf.append(a("first"))
    now[0] = 0.6
    buf.append(a("second"))
    assert store.writes == [["first", "second"]]


def test_a_failing_store_raises_on_flush() -> None:
    buf = BufferedHistory(Store(fail=True), max_rows=100)
    buf.append(a("x"))
    with pytest.raises(OSError):
        buf.flush()


def test_on_written_hears_each_group_after_its_commit_and_after_a_failed_one() -> None:
    seen: list[tuple[list[str], int]] = []
    store = Store()
    buf = BufferedHistory(
        store,
        max_rows=2,
        max_delay_s=10.0,
        on_written=lambda rows: seen.append(([r.username for r in rows], len(store.writes))),
    )
    for name in ("u0", "u1", "u2"):
        buf.append(a(name))
    # Told after the transaction that holds them: the store already has the group.
    assert seen == [(["u0", "u1"], 1)]
    buf.flush()
    assert seen[-1] == (["u2"], 2)

    failing = BufferedHistory(Store(fail=True), on_written=lambda rows: seen.append(([], -1)))
    failing.append(a("lost"))
    with pytest.raises(OSError):
        failing.flush()
    assert seen[-1] == ([], -1)  # the outcome is still shown; the loss is in the log
