"""HistoryStore on real SQLite files: paging, filters, persistence, recovery, concurrency."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core.errors import decode
from app.core.outcome import Attempt, DeliveryDetails, DeliveryMedium, Status
from app.services.history_store import (
    SCHEMA_VERSION,
    HistoryFilter,
    HistoryStore,
    HistoryStoreError,
)

T0 = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)
REPO_ROOT = Path(__file__).resolve().parents[3]


def make_attempt(
    i: int = 0,
    *,
    profile: str = "Dev",
    username: str | None = None,
    kind: str = "delivered",
    batch_id: str | None = None,
    at: datetime | None = None,
) -> Attempt:
    """A finished attempt `i` seconds after T0: delivered, "limit" or "notfound" failure."""
    started = at or T0 + timedelta(seconds=i)
    base = Attempt(
        profile=profile,
        username=username or f"user{i:06d}@example.com",
        client_id="4example0client0id",
        region="eu-west-1",
        endpoint_url="http://127.0.0.1:4566",
        client_metadata=(("template", "welcome"), ("n", str(i))),
        used_secret_hash=True,
        started_at=started,
        batch_id=batch_id,
    )
    end = started + timedelta(milliseconds=120)
    if kind == "delivered":
        return base.delivered(
            DeliveryDetails("u***@e***", DeliveryMedium.EMAIL, "email"),
            request_id=f"req-{i}",
            http_status=200,
            finished_at=end,
        )
    if kind == "limit":
        return base.failed(
            decode(
                "LimitExceededException",
                "Attempt limit exceeded, please try after some time.",
                request_id=f"req-{i}",
                http_status=400,
            ),
            finished_at=end,
        )
    if kind == "notfound":
        return base.failed(
            decode("UserNotFoundException", "Username/client id combination not found."),
            finished_at=end,
        )
    return base


# Template kinds by i % 4, as bulk_fill lays them out.
BULK_KINDS = ("delivered", "limit", "notfound", "delivered")

_BULK_SQL = """
WITH RECURSIVE
  seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < :n - 1),
  tpl(k, status, outcome, data) AS (VALUES (0, :s0, :o0, :d0), (1, :s1, :o1, :d1),
                                           (2, :s2, :o2, :d2), (3, :s3, :o3, :d3)),
  r AS (SELECT i, printf('%032x', i) AS id,
               strftime('%Y-%m-%dT%H:%M:%S', :t0 + i, 'unixepoch') AS ts,
               'P' || (i % 7) AS profile, printf('user%06d@example.com', i) AS username
        FROM seq)
INSERT INTO attempts (attempt_id, started_at, profile, username, status, outcome, batch_id,
                      search, data)
SELECT r.id, r.ts || '.000000Z', r.profile, r.username, tpl.status, tpl.outcome, NULL,
       lower(r.username || char(31) || r.profile || char(31) || tpl.outcome),
       json_set(tpl.data, '$.attempt_id', r.id, '$.started_at', r.ts || '+00:00',
                '$.profile', r.profile, '$.username', r.username, '$.finished_at', NULL,
                '$.latency_ms', NULL)
FROM r JOIN tpl ON tpl.k = r.i % 4
"""


def bulk_fill(path: Path, n: int) -> None:
    """n rows in one statement (seconds, not minutes, for 100k): row i is `i` seconds
    after T0, profile "P<i % 7>", kind BULK_KINDS[i % 4]. Same columns and JSON as
    HistoryStore.append writes; the store must already have created the file."""
    import json

    from app.core.serialize import attempt_to_dict

    params: dict[str, object] = {"n": n, "t0": int(T0.timestamp())}
    for k, kind in enumerate(BULK_KINDS):
        a = make_attempt(0, kind=kind)
        params[f"s{k}"] = a.status.value
        params[f"o{k}"] = a.outcome_label
        params[f"d{k}"] = json.dumps(attempt_to_dict(a))
    conn = sqlite3.connect(path, timeout=30)
    try:
        with conn:
            conn.execute(_BULK_SQL, params)
    finally:
        conn.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


@pytest.fixture
def store(db_path: Path) -> HistoryStore:
    s = HistoryStore(db_path)
    yield s  # type: ignore[misc]
    s.close()


def ids(attempts: list[Attempt]) -> list[str]:
    return [a.attempt_id for a in attempts]


def test_empty_store(store: HistoryStore) -> None:
    assert store.count() == 0
    assert store.page(HistoryFilter(), 0, 100) == []
    assert list(store.iter_filtered(HistoryFilter())) == []
    assert store.get("nope") is None
    assert store.recovered_from is None


def test_pragmas_and_schema_version(store: HistoryStore, db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        cols = {r[1] for r in conn.execute("PRAGMA table_info(attempts)")}
        assert {
            "attempt_id",
            "started_at",
            "profile",
            "username",
            "status",
            "outcome",
            "batch_id",
            "data",
        } <= cols
    finally:
        conn.close()


def test_append_get_round_trip(store: HistoryStore) -> None:
    for a in (make_attempt(1), make_attempt(2, kind="limit"), make_attempt(3, kind="pending")):
        store.append(a)
        assert store.get(a.attempt_id) == a


def test_append_replaces_by_attempt_id_and_keeps_its_place(store: HistoryStore) -> None:
    same_time = T0
    first = make_attempt(1, at=same_time, kind="pending")
    second = make_attempt(2, at=same_time)
    store.append(first)
    store.append(second)
    done = first.delivered(
        DeliveryDetails("a***", DeliveryMedium.SMS, "phone_number"), request_id="r", http_status=200
    )
    done = replace(done, started_at=same_time)
    store.append(done)
    assert store.count() == 2
    assert store.get(first.attempt_id) == done
    # Same instant: the later insert is first; the update did not move `first` ahead.
    assert ids(store.page(HistoryFilter(), 0, 10)) == [second.attempt_id, first.attempt_id]


def test_pages_are_newest_first_and_complete(store: HistoryStore) -> None:
    attempts = [make_attempt(i) for i in range(250)]
    shuffled = attempts[::7] + [a for i, a in enumerate(attempts) if i % 7]
    for a in shuffled:
        store.append(a)
    newest_first = ids(sorted(attempts, key=lambda a: a.started_at, reverse=True))
    got: list[str] = []
    for offset in range(0, 300, 100):
        got += ids(store.page(HistoryFilter(), offset, 100))
    assert got == newest_first
    assert store.page(HistoryFilter(), 1000, 100) == []
    assert ids(list(store.iter_filtered(HistoryFilter()))) == newest_first


def test_times_in_other_zones_sort_by_instant(store: HistoryStore) -> None:
    plus2 = datetime(2025, 3, 1, 13, 30, tzinfo=__import__("datetime").timezone(timedelta(hours=2)))
    early = make_attempt(1, at=plus2)  # 11:30 UTC
    late = make_attempt(2, at=T0)  # 12:00 UTC
    store.append(late)
    store.append(early)
    assert ids(store.page(HistoryFilter(), 0, 10)) == [late.attempt_id, early.attempt_id]


def test_same_instant_ties_break_by_insertion_newest_first(store: HistoryStore) -> None:
    batch = [make_attempt(i, at=T0) for i in range(5)]
    store.append_many(batch)
    assert ids(store.page(HistoryFilter(), 0, 10)) == ids(batch[::-1])


def test_negative_paging_is_refused(store: HistoryStore) -> None:
    with pytest.raises(ValueError):
        store.page(HistoryFilter(), -1, 10)


@pytest.fixture
def mixed(store: HistoryStore) -> HistoryStore:
    store.append_many(
        [
            make_attempt(1, profile="Dev", username="alice", kind="delivered"),
            make_attempt(2, profile="Dev", username="bob", kind="limit", batch_id="b1"),
            make_attempt(3, profile="Prod EU", username="Ålice", kind="notfound", batch_id="b1"),
            make_attempt(4, profile="Prod EU", username="carol_x", kind="pending"),
            make_attempt(5, profile="QA", username="100%sure", kind="delivered"),
        ]
    )
    return store


@pytest.mark.parametrize(
    ("flt", "expected_users"),
    [
        (HistoryFilter(), ["100%sure", "carol_x", "Ålice", "bob", "alice"]),
        (HistoryFilter(text="ALI"), ["alice"]),
        (HistoryFilter(text="ålice"), ["Ålice"]),  # non-ASCII, case-insensitive
        (HistoryFilter(text="  prod eu "), ["carol_x", "Ålice"]),  # profile, trimmed
        (HistoryFilter(text="limit exceeded"), ["bob"]),  # outcome title
        (HistoryFilter(text="delivered"), ["100%sure", "alice"]),
        (HistoryFilter(text="pending"), ["carol_x"]),
        (HistoryFilter(text="%"), ["100%sure"]),  # LIKE wildcards are literal
        (HistoryFilter(text="_"), ["carol_x"]),
        (HistoryFilter(text="ol_x"), ["carol_x"]),
        (HistoryFilter(text="c_rol"), []),  # "_" would match the "a" if not escaped
        (HistoryFilter(text="a%e"), []),
        (HistoryFilter(text="\\"), []),
        (HistoryFilter(text="a\x1fb"), []),  # the store's field separator
        (HistoryFilter(profile="Dev"), ["bob", "alice"]),
        (HistoryFilter(profile="dev"), []),  # profile filter is exact
        (HistoryFilter(username="bob"), ["bob"]),
        (HistoryFilter(status=Status.FAILED), ["Ålice", "bob"]),
        (HistoryFilter(status=Status.PENDING), ["carol_x"]),
        (HistoryFilter(batch_id="b1"), ["Ålice", "bob"]),
        (HistoryFilter(batch_id="b1", text="found", status=Status.FAILED), ["Ålice"]),
        (HistoryFilter(profile="Dev", status=Status.DELIVERED), ["alice"]),
    ],
)
def test_filters(mixed: HistoryStore, flt: HistoryFilter, expected_users: list[str]) -> None:
    assert [a.username for a in mixed.page(flt, 0, 100)] == expected_users
    assert mixed.count(flt) == len(expected_users)
    assert [a.username for a in mixed.iter_filtered(flt)] == expected_users


def test_filters_agree_with_the_ui_model_semantics(mixed: HistoryStore) -> None:
    """The UI filters rows it adds locally with attempt_matches; the store must agree."""
    pytest.importorskip("PySide6")
    from app.ui.models.history_model import attempt_matches

    everything = mixed.page(HistoryFilter(), 0, 100)
    for text in ("ali", "ÅLI", "prod", "exceeded", "%", "_", "x", "found", ""):
        for status in (None, *Status):
            flt = HistoryFilter(text=text, status=status)
            expected = [a.attempt_id for a in everything if attempt_matches(flt, a)]
            assert ids(mixed.page(flt, 0, 100)) == expected, flt


def test_persists_across_close_and_reopen(db_path: Path) -> None:
    attempts = [make_attempt(i, kind="limit" if i % 2 else "delivered") for i in range(20)]
    with HistoryStore(db_path) as s:
        for a in attempts:
            s.append(a)
    with HistoryStore(db_path) as again:
        assert again.recovered_from is None
        assert again.count() == 20
        assert again.page(HistoryFilter(), 0, 100) == sorted(
            attempts, key=lambda a: a.started_at, reverse=True
        )


def test_closed_store_says_so(store: HistoryStore) -> None:
    store.close()
    store.close()
    with pytest.raises(HistoryStoreError, match="closed"):
        store.count()
    with pytest.raises(HistoryStoreError, match="closed"):
        store.append(make_attempt())


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all", b"SQLite format 3\x00" + b"\x07" * 4000],
    ids=["not-a-database", "sqlite-header-then-garbage"],
)
def test_corrupt_file_is_moved_aside_and_a_fresh_one_started(db_path: Path, content: bytes) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(content)
    with HistoryStore(db_path) as s:
        assert s.recovered_from is not None
        assert s.recovered_from.name.startswith("history.sqlite3.corrupt-")
        assert s.recovered_from.read_bytes() == content  # kept, not dropped
        assert s.recovery_reason
        assert s.count() == 0
        s.append(make_attempt(1))
        assert s.count() == 1
    with HistoryStore(db_path) as again:
        assert again.recovered_from is None and again.count() == 1


def test_damaged_pages_fail_the_check_and_are_moved_aside(db_path: Path) -> None:
    with HistoryStore(db_path) as s:
        s.append_many(make_attempt(i) for i in range(2000))
    raw = bytearray(db_path.read_bytes())
    page_size = 4096
    assert len(raw) > 20 * page_size
    # Scribble over a few pages in the middle (b-tree pages of the table and indexes).
    for p in (5, 9, 13):
        raw[p * page_size + 8 : p * page_size + 200] = b"\xa5" * 192
    db_path.write_bytes(bytes(raw))
    with HistoryStore(db_path) as s:
        assert s.recovered_from is not None
        assert s.recovered_from.read_bytes() == bytes(raw)
        assert s.count() == 0


def test_earlier_corrupt_copies_are_kept(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    moved = []
    for i in range(3):
        db_path.write_bytes(f"garbage {i}".encode())
        with HistoryStore(db_path) as s:
            assert s.recovered_from is not None
            moved.append(s.recovered_from)
    assert len(set(moved)) == 3


def test_stale_wal_of_a_corrupt_file_moves_with_it(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"garbage")
    wal = db_path.with_name("history.sqlite3-wal")
    wal.write_bytes(b"old wal")
    with HistoryStore(db_path) as s:
        assert s.recovered_from is not None
        assert s.recovered_from.with_name(s.recovered_from.name + "-wal").read_bytes() == b"old wal"


def test_newer_schema_is_not_used_but_kept(db_path: Path) -> None:
    with HistoryStore(db_path) as s:
        s.append(make_attempt(1))
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with HistoryStore(db_path) as s:
        assert s.recovered_from is not None
        assert "newer" in (s.recovery_reason or "")
        assert s.count() == 0


def test_busy_database_is_not_mistaken_for_corrupt(db_path: Path) -> None:
    with HistoryStore(db_path) as s:
        s.append(make_attempt(1))
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("PRAGMA locking_mode = EXCLUSIVE")
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        import app.services.history_store as hs

        old = hs.BUSY_TIMEOUT_MS
        hs.BUSY_TIMEOUT_MS = 200
        try:
            with pytest.raises(HistoryStoreError):
                HistoryStore(db_path)
        finally:
            hs.BUSY_TIMEOUT_MS = old
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert not list(db_path.parent.glob("*.corrupt-*"))
    with HistoryStore(db_path) as s:
        assert s.count() == 1


def test_unreadable_row_shows_as_a_failed_entry(store: HistoryStore, db_path: Path) -> None:
    a = make_attempt(1)
    store.append(a)
    conn = sqlite3.connect(db_path)
    conn.execute('UPDATE attempts SET data = \'{"format": 1, "status": "weird"}\'')
    conn.commit()
    conn.close()
    (shown,) = store.page(HistoryFilter(), 0, 10)
    assert shown.attempt_id == a.attempt_id and shown.username == a.username
    assert shown.status is Status.FAILED
    assert "could not be read back" in shown.notes


def test_threads_appending_at_once_lose_nothing(store: HistoryStore) -> None:
    errors: list[BaseException] = []

    def writer(t: int) -> None:
        try:
            for i in range(200):
                store.append(make_attempt(t * 1000 + i, username=f"t{t}-{i}"))
                if i % 50 == 0:
                    store.page(HistoryFilter(text=f"t{t}"), 0, 10)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(t,)) for t in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert store.count() == 800
    for t in range(4):
        assert store.count(HistoryFilter(text=f"t{t}-")) == 200


_WRITER = """
import sys
sys.path.insert(0, sys.argv[3])
from pathlib import Path
from tests.unit.services.test_history_store import make_attempt
from app.services.history_store import HistoryStore

tag, path = sys.argv[1], Path(sys.argv[2])
print("ready", flush=True)
sys.stdin.readline()  # start together
store = HistoryStore(path)
for i in range(500):
    store.append(make_attempt(i, username=f"{tag}-{i}"))
store.close()
"""


def test_two_processes_appending_500_each_lose_no_row(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, tag, str(db_path), str(REPO_ROOT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("p1", "p2")
    ]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    for p in procs:  # neither has opened the (not yet existing) database yet
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        _out, err = p.communicate(timeout=110)
        assert p.returncode == 0, err
    with HistoryStore(db_path) as s:
        assert s.recovered_from is None
        assert s.count() == 1000
        assert s.count(HistoryFilter(text="p1-")) == 500
        assert s.count(HistoryFilter(text="p2-")) == 500
    assert not list(db_path.parent.glob("*.corrupt-*"))


def test_iter_filtered_streams_without_blocking_appends(store: HistoryStore) -> None:
    store.append_many(make_attempt(i) for i in range(1200))
    it = store.iter_filtered(HistoryFilter())
    first = next(it)
    store.append(make_attempt(5000))  # would deadlock if the iterator held the lock
    rest = list(it)
    assert first.started_at == T0 + timedelta(seconds=1199)
    assert len(rest) == 1199  # the snapshot taken when the query started
    assert store.count() == 1201


@pytest.mark.slow
def test_100k_rows_page_fetch_works(store: HistoryStore, db_path: Path) -> None:
    bulk_fill(db_path, 100_000)
    store.append(make_attempt(100_000, profile="P0"))  # and one through the API
    assert store.count() == 100_001
    first = store.page(HistoryFilter(), 0, 100)
    assert len(first) == 100
    assert [a.started_at for a in first] == [
        T0 + timedelta(seconds=100_000 - k) for k in range(100)
    ]
    assert first[1].profile == "P4" and first[1].status is Status.DELIVERED
    deep = store.page(HistoryFilter(), 99_951, 100)
    assert len(deep) == 50 and deep[-1].started_at == T0
    flt = HistoryFilter(text="limit", profile="P3")
    expected = sum(1 for i in range(100_000) if i % 7 == 3 and BULK_KINDS[i % 4] == "limit")
    assert store.count(flt) == expected
    page = store.page(flt, 0, 100)
    assert len(page) == 100
    assert all(a.profile == "P3" and a.outcome_label == "Attempt limit exceeded" for a in page)
    assert page == sorted(page, key=lambda a: a.started_at, reverse=True)


def test_schema_1_file_is_upgraded_in_place(db_path: Path) -> None:
    with HistoryStore(db_path) as s:
        s.append(make_attempt(1))
    conn = sqlite3.connect(db_path)
    conn.execute("DROP INDEX attempts_text_by_time")
    conn.execute("DROP INDEX attempts_text_by_profile")
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    with HistoryStore(db_path) as s:
        assert s.recovered_from is None and s.count() == 1
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {"attempts_text_by_time", "attempts_text_by_profile"} <= names
    finally:
        conn.close()


def _scribble_middle_pages(db_path: Path) -> bytes:
    raw = bytearray(db_path.read_bytes())
    for p in (5, 9, 13):
        raw[p * 4096 + 8 : p * 4096 + 200] = b"\xa5" * 192
    db_path.write_bytes(bytes(raw))
    return bytes(raw)


def test_cheap_open_then_verify_moves_damage_aside_at_the_next_open(db_path: Path) -> None:
    with HistoryStore(db_path) as s:
        s.append_many(make_attempt(i) for i in range(2000))
    damaged = _scribble_middle_pages(db_path)
    # The window's open: no full check, so the damage in the middle goes unseen at first.
    with HistoryStore(db_path, full_check=False) as s:
        assert s.recovered_from is None
        reason = s.verify()
        assert reason and "check failed" in reason
        assert s.damage_marker.exists()
        # Nothing is dropped mid-session: the file is still where it was.
        assert db_path.read_bytes() == damaged
    with HistoryStore(db_path, full_check=False) as s:
        assert s.recovered_from is not None
        assert s.recovered_from.read_bytes() == damaged
        assert s.recovery_reason and "check failed" in s.recovery_reason
        assert not s.damage_marker.exists()
        assert s.count() == 0
        assert s.verify() is None


def test_verify_of_a_sound_file_leaves_no_marker(db_path: Path) -> None:
    with HistoryStore(db_path, full_check=False) as s:
        s.append_many(make_attempt(i) for i in range(50))
        assert s.verify() is None
        assert not s.damage_marker.exists()
    with HistoryStore(db_path, full_check=False) as again:
        assert again.recovered_from is None and again.count() == 50


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all", b"SQLite format 3\x00" + b"\x07" * 4000],
    ids=["not-a-database", "sqlite-header-then-garbage"],
)
def test_cheap_open_still_moves_a_non_database_aside(db_path: Path, content: bytes) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(content)
    with HistoryStore(db_path, full_check=False) as s:
        assert s.recovered_from is not None
        assert s.recovered_from.read_bytes() == content
        assert s.count() == 0
