"""The history keeps each attempt's kind in an indexed column and filters by it; schema 2
files are upgraded in place with their rows' kinds."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from app.core.outcome import AttemptKind, Status
from app.core.serialize import attempt_to_dict
from app.services.history_store import SCHEMA_VERSION, HistoryFilter, HistoryStore
from tests.unit.services.test_history_store import make_attempt

# The attempts table as schema 2 wrote it (no kind column).
_SCHEMA_2 = """
CREATE TABLE attempts (
    attempt_id TEXT PRIMARY KEY NOT NULL, started_at TEXT NOT NULL, profile TEXT NOT NULL,
    username TEXT NOT NULL, status TEXT NOT NULL, outcome TEXT NOT NULL, batch_id TEXT,
    search TEXT NOT NULL, data TEXT NOT NULL
);
CREATE INDEX attempts_by_time ON attempts (started_at);
CREATE INDEX attempts_text_by_time ON attempts (started_at, search);
CREATE INDEX attempts_text_by_profile ON attempts (profile, started_at, search);
"""


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


def _kinds(store: HistoryStore, kind: AttemptKind | None, text: str = "") -> list[str]:
    flt = HistoryFilter(kind=kind, text=text)
    page = store.page(flt, 0, 100)
    assert store.count(flt) == len(page)
    return [a.username for a in page]


def test_filter_by_kind(db_path: Path) -> None:
    with HistoryStore(db_path) as store:
        store.append(make_attempt(1, username="r1"))
        store.append(replace(make_attempt(2, username="s1"), kind=AttemptKind.SIGNUP))
        confirm = replace(make_attempt(3, username="c1"), kind=AttemptKind.CONFIRM)
        store.append(confirm.succeeded(request_id="r", http_status=200))
        assert _kinds(store, None) == ["c1", "s1", "r1"]
        assert _kinds(store, AttemptKind.SIGNUP) == ["s1"]
        assert _kinds(store, AttemptKind.CONFIRM) == ["c1"]
        assert _kinds(store, AttemptKind.RESEND) == ["r1"]
        assert _kinds(store, AttemptKind.ADMIN_CONFIRM) == []
        # With a text filter, the kind still applies (no covering index is forced).
        assert _kinds(store, AttemptKind.CONFIRM, text="confirmed") == ["c1"]
        assert _kinds(store, AttemptKind.RESEND, text="confirmed") == []
        back = store.get(confirm.attempt_id)
        assert back is not None and back.status is Status.SUCCEEDED
        assert back.kind is AttemptKind.CONFIRM


def test_kind_filter_uses_its_index(db_path: Path) -> None:
    with HistoryStore(db_path):
        pass
    conn = sqlite3.connect(db_path)
    try:
        plan = " ".join(
            str(r[3])
            for r in conn.execute(
                "EXPLAIN QUERY PLAN SELECT rowid FROM attempts WHERE kind = ? "
                "ORDER BY started_at DESC, rowid DESC",
                ("signup",),
            )
        )
    finally:
        conn.close()
    assert "attempts_by_kind" in plan


def test_schema_2_file_is_upgraded_keeping_its_rows_kinds(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    old = make_attempt(1, username="old")
    old_dict = attempt_to_dict(old)
    del old_dict["kind"]  # written before Attempt had a kind
    signup = attempt_to_dict(replace(make_attempt(2, username="new"), kind=AttemptKind.SIGNUP))
    conn = sqlite3.connect(db_path)
    conn.executescript(_SCHEMA_2)
    for i, d in enumerate((old_dict, signup)):
        conn.execute(
            "INSERT INTO attempts VALUES (?, ?, 'Dev', ?, 'delivered', 'Delivered', NULL, ?, ?)",
            (d["attempt_id"], f"2026-01-01T00:00:0{i}.000000Z", d["username"], "x",
             json.dumps(d)),
        )  # fmt: skip
    conn.execute("INSERT INTO attempts VALUES ('bad', '2026-01-01T00:00:09.000000Z', 'Dev', "
                 "'broken', 'failed', 'x', NULL, 'x', 'not json')")  # fmt: skip
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()

    with HistoryStore(db_path, full_check=False) as store:
        assert store.recovered_from is None and store.count() == 3
        assert _kinds(store, AttemptKind.SIGNUP) == ["new"]
        assert _kinds(store, AttemptKind.RESEND) == ["broken", "old"]
        again = store.get(old.attempt_id)
        assert again is not None and again.kind is AttemptKind.RESEND
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    finally:
        conn.close()
