"""HistoryStore with write-behind (the window's store): reads see the queued writes,
flush/close commit them, bursts become few transactions, a failed write is logged."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.services.history_store import HistoryFilter, HistoryStore, HistoryStoreError
from tests.unit.services.test_history_store import make_attempt


def _on_disk(db: Path) -> int:
    raw = sqlite3.connect(db)
    try:
        return int(raw.execute("SELECT count(*) FROM attempts").fetchone()[0])
    finally:
        raw.close()


def test_write_behind_reads_its_own_writes_and_flush_commits(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    store = HistoryStore(db, write_behind=True)
    try:
        for i in range(50):
            store.append(make_attempt(i))
        # Every read waits for what was appended before it.
        assert store.count() == 50
        assert store.page(HistoryFilter(), 0, 1)[0].started_at == make_attempt(49).started_at
        store.append(make_attempt(50))
        assert store.flush(10)
        assert _on_disk(db) == 51  # another connection sees it: committed
    finally:
        store.close()


def test_write_behind_close_commits_what_is_queued(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    store = HistoryStore(db, write_behind=True)
    for i in range(20):
        store.append(make_attempt(i))
    store.close()
    assert _on_disk(db) == 20
    with pytest.raises(HistoryStoreError):
        store.append(make_attempt(99))


def test_write_behind_gathers_appends_into_few_transactions(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3", write_behind=True)
    calls: list[int] = []
    real = store.append_many

    def counting(attempts):  # type: ignore[no-untyped-def]
        rows = list(attempts)
        calls.append(len(rows))
        return real(rows)

    store.append_many = counting  # type: ignore[method-assign]
    try:
        for i in range(200):
            store.append(make_attempt(i))
        assert store.flush(10)
        assert sum(calls) == 200 and len(calls) < 20, calls
    finally:
        store.close()


def test_write_behind_failure_is_logged_not_raised(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3", write_behind=True)

    def broken(attempts):  # type: ignore[no-untyped-def]
        raise HistoryStoreError("disk full")

    store.append_many = broken  # type: ignore[method-assign]
    try:
        store.append(make_attempt(1))
        assert store.flush(10)  # done, not hung
        assert "could not record 1 attempt" in caplog.text
    finally:
        store.close()


def test_without_write_behind_append_commits_before_it_returns(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    with HistoryStore(db) as store:
        store.append(make_attempt(1))
        assert _on_disk(db) == 1
        assert store.flush(0)
