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


class BlockingStore(Store):
    """A store whose commit waits until released, as a slow disk sync would."""

    def __init__(self) -> None:
        super().__init__()
        import threading

        self.release = threading.Event()
        self.threads: set[str] = set()

    def append_many(self, attempts: Iterable[Attempt]) -> int:
        import threading

        self.threads.add(threading.current_thread().name)
        assert self.release.wait(10)
        return super().append_many(attempts)


def test_writer_thread_commits_without_blocking_the_appender_and_flush_waits() -> None:
    import threading

    store = BlockingStore()
    written: list[list[str]] = []
    done = threading.Event()

    def on_written(rows: object) -> None:
        written.append([r.username for r in rows])  # type: ignore[attr-defined]
        done.set()

    buf = BufferedHistory(
        store, max_rows=2, max_delay_s=60.0, on_written=on_written, writer_thread=True
    )
    for i in range(3):
        buf.append(a(f"u{i}"))  # returns at once although the commit is stuck
    assert store.writes == []
    store.release.set()
    assert done.wait(10)
    assert buf.flush() >= 0  # synchronous: every appended row is committed after it
    assert [u for w in store.writes for u in w] == ["u0", "u1", "u2"]
    assert [u for w in written for u in w] == ["u0", "u1", "u2"]
    assert store.threads <= {"batch-history", threading.current_thread().name}
    assert "batch-history" in store.threads


def test_writer_thread_writes_an_old_buffer_without_another_append() -> None:
    import threading

    store = Store()
    done = threading.Event()
    buf = BufferedHistory(
        store,
        max_rows=100,
        max_delay_s=0.05,
        on_written=lambda rows: done.set(),
        writer_thread=True,
    )
    buf.append(a("u0"))
    assert done.wait(10)
    assert store.writes == [["u0"]] and buf.pending == 0
