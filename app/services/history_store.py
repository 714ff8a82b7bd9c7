"""The resend history: every Attempt, kept in an SQLite file (WAL) in the platform data folder.

One table. Columns the history list filters and sorts on are real, indexed columns;
the whole attempt is a JSON column written by `app.core.serialize.attempt_to_dict`
(which never holds the client secret or the SecretHash: an Attempt has neither).

Safe to share between threads (one connection behind a lock) and between processes
(WAL + busy_timeout: a GUI and a CLI appending at the same time both land). A file that
is not a database, or fails SQLite's check, is moved aside and a new one started;
`recovered_from` says where the old one went, so the UI can tell the person. The window
opens with a cheap check and runs the full one (`verify`) after its first paint; damage
found then is moved aside at the next start.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.core.outcome import Attempt, AttemptKind, Status
from app.core.serialize import AttemptFormatError, attempt_from_dict, attempt_to_dict

log = logging.getLogger(__name__)

SCHEMA_VERSION = 3
# How long a writer waits for another process's write to finish before giving up.
BUSY_TIMEOUT_MS = 15_000
# Separates the searched fields in the `search` column; a needle holding it matches nothing.
_SEP = "\x1f"
_SQLITE_HEADER = b"SQLite format 3\x00"
# Primary result codes that mean the file is damaged: SQLITE_CORRUPT, SQLITE_NOTADB.
_CORRUPT_CODES = (11, 26)

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS attempts (
    attempt_id TEXT PRIMARY KEY NOT NULL,
    started_at TEXT NOT NULL,      -- UTC, fixed-width ISO 8601: sorts as text
    profile    TEXT NOT NULL,
    username   TEXT NOT NULL,
    status     TEXT NOT NULL,
    outcome    TEXT NOT NULL,      -- Attempt.outcome_label: "Delivered" or the failure title
    batch_id   TEXT,
    kind       TEXT NOT NULL DEFAULT 'resend',  -- Attempt.kind (schema 3)
    search     TEXT NOT NULL,      -- casefolded username{_SEP!r}profile{_SEP!r}outcome
    data       TEXT NOT NULL       -- attempt_to_dict(a) as JSON
);
-- Each ends in started_at (and, implicitly, rowid), so a filtered page is read straight
-- from the index in ORDER BY started_at DESC, rowid DESC order with no sort step.
CREATE INDEX IF NOT EXISTS attempts_by_time ON attempts (started_at);
CREATE INDEX IF NOT EXISTS attempts_by_profile ON attempts (profile, started_at);
CREATE INDEX IF NOT EXISTS attempts_by_username ON attempts (username, started_at);
CREATE INDEX IF NOT EXISTS attempts_by_status ON attempts (status, started_at);
CREATE INDEX IF NOT EXISTS attempts_by_batch ON attempts (batch_id, started_at);
-- Schema 2: covering indexes for the text filter. A count(*) with a text filter reads
-- `search` from these small indexes instead of scanning the rows and their JSON.
CREATE INDEX IF NOT EXISTS attempts_text_by_time ON attempts (started_at, search);
CREATE INDEX IF NOT EXISTS attempts_text_by_profile ON attempts (profile, started_at, search);
-- Schema 3: sign-ups, confirmations and resends side by side, filterable by kind.
CREATE INDEX IF NOT EXISTS attempts_by_kind ON attempts (kind, started_at);
"""

_UPSERT = """
INSERT INTO attempts (attempt_id, started_at, profile, username, status, outcome, batch_id,
                      kind, search, data)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (attempt_id) DO UPDATE SET
    started_at = excluded.started_at, profile = excluded.profile,
    username = excluded.username, status = excluded.status, outcome = excluded.outcome,
    batch_id = excluded.batch_id, kind = excluded.kind, search = excluded.search,
    data = excluded.data
"""
# Keeping the row (upsert, not INSERT OR REPLACE) keeps its rowid, so an attempt that
# goes from PENDING to DELIVERED keeps its place among attempts of the same instant.

_ORDER = "ORDER BY started_at DESC, rowid DESC"

# A trigram index of `search` (FTS5, external content: no second copy of the text), kept
# by triggers. Outside the schema version: created at open where SQLite has FTS5 with the
# trigram tokenizer (3.34+), and where it has not, the text filter scans as before.
# 1,000,000 rows, a needle matching 1,000: 260 ms of scan -> 1-2 ms (count and page).
# A needle matching a large share of the rows is faster scanned (the index must test
# every candidate row): `_SEARCH_PROBE` decides, per needle.
_SEARCH_INDEX = (
    "CREATE VIRTUAL TABLE attempts_search USING fts5(search, content='attempts', "
    "content_rowid='rowid', tokenize='trigram', detail='none')",
    "CREATE TRIGGER attempts_search_ai AFTER INSERT ON attempts BEGIN "
    "INSERT INTO attempts_search(rowid, search) VALUES (new.rowid, new.search); END",
    "CREATE TRIGGER attempts_search_ad AFTER DELETE ON attempts BEGIN "
    "INSERT INTO attempts_search(attempts_search, rowid, search) "
    "VALUES ('delete', old.rowid, old.search); END",
    "CREATE TRIGGER attempts_search_au AFTER UPDATE OF search ON attempts BEGIN "
    "INSERT INTO attempts_search(attempts_search, rowid, search) "
    "VALUES ('delete', old.rowid, old.search); "
    "INSERT INTO attempts_search(rowid, search) VALUES (new.rowid, new.search); END",
    "INSERT INTO attempts_search(attempts_search) VALUES ('rebuild')",
)
# At most this many matches (found through the index, which stops there) and the index
# serves the filter; more, and the covering-index scan does.
_SEARCH_PROBE = 5_000
_SEARCH_IN = "rowid IN (SELECT rowid FROM attempts_search WHERE search LIKE ?)"


@dataclass(frozen=True)
class HistoryFilter:
    """Which attempts to show. Empty fields do not filter.

    `text` is a case-insensitive substring of the username, the profile name or the
    outcome title; the other fields must match exactly.
    """

    text: str = ""
    profile: str | None = None
    username: str | None = None
    status: Status | None = None
    batch_id: str | None = None
    kind: AttemptKind | None = None


class HistoryStoreError(Exception):
    """The history could not be read or written; str() says what happened."""


def _utc_key(t: datetime) -> str:
    # Naive times are taken as UTC (Attempt makes aware UTC ones; this guards old rows).
    aware = t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)
    return aware.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _search_key(a: Attempt) -> str:
    return _SEP.join((a.username, a.profile, a.outcome_label)).casefold()


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _indexable(needle: str) -> bool:
    """A needle the trigram index can answer exactly: 3+ characters, no LIKE wildcards
    (FTS5's LIKE has no ESCAPE)."""
    return len(needle) >= 3 and not any(c in needle for c in "%_\\") and _SEP not in needle


def _where(flt: HistoryFilter, indexed: bool = False) -> tuple[str, list[object]]:
    """The WHERE clause; `indexed`: the text filter goes through the trigram index."""
    clauses: list[str] = []
    params: list[object] = []
    if flt.profile is not None:
        clauses.append("profile = ?")
        params.append(flt.profile)
    if flt.username is not None:
        clauses.append("username = ?")
        params.append(flt.username)
    if flt.status is not None:
        clauses.append("status = ?")
        params.append(Status(flt.status).value)
    if flt.batch_id is not None:
        clauses.append("batch_id = ?")
        params.append(flt.batch_id)
    if flt.kind is not None:
        clauses.append("kind = ?")
        params.append(AttemptKind(flt.kind).value)
    needle = flt.text.strip().casefold()
    if needle:
        if _SEP in needle:
            clauses.append("0")
        elif indexed:
            clauses.append(_SEARCH_IN)
            params.append(f"%{needle}%")
        else:
            clauses.append("search LIKE ? ESCAPE '\\'")
            params.append(f"%{_escape_like(needle)}%")
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


def _text_index(flt: HistoryFilter, indexed: bool = False) -> str:
    """For a text filter, the covering index to page through (SQLite would rather take
    attempts_by_time for its exact order and then read every row's JSON to test it)."""
    if indexed or not flt.text.strip() or flt.username is not None or flt.status is not None:
        return ""
    if flt.batch_id is not None or flt.kind is not None:
        return ""
    if flt.profile is not None:
        return "INDEXED BY attempts_text_by_profile"
    return "INDEXED BY attempts_text_by_time"


def _row_values(a: Attempt) -> tuple[object, ...]:
    data = json.dumps(attempt_to_dict(a), ensure_ascii=False, separators=(",", ":"))
    return (
        a.attempt_id,
        _utc_key(a.started_at),
        a.profile,
        a.username,
        a.status.value,
        a.outcome_label,
        a.batch_id,
        a.kind.value,
        _search_key(a),
        data,
    )


def _decode(attempt_id: str, started_at: str, profile: str, username: str, data: str) -> Attempt:
    try:
        return attempt_from_dict(json.loads(data))
    except (ValueError, AttemptFormatError) as exc:
        # Shown as a failed row that says what is wrong, rather than hidden or fatal.
        log.warning("history row %s could not be read: %s", attempt_id, exc)
        try:
            started = datetime.fromisoformat(started_at.replace("Z", "+00:00"))
        except ValueError:
            started = datetime.fromtimestamp(0, UTC)
        return Attempt(
            profile=profile,
            username=username,
            client_id="",
            region="",
            status=Status.FAILED,
            started_at=started,
            attempt_id=attempt_id,
            notes=f"This history entry could not be read back: {exc}",
        )


class HistoryStore:
    """Appends attempts and reads them back, newest first, filtered and paged.

    Calls block on disk I/O (and, under write contention from another process, up to
    BUSY_TIMEOUT_MS): call them off the UI thread.
    """

    def __init__(self, path: Path, *, full_check: bool = True, write_behind: bool = False) -> None:
        """Open (or create) the history at `path`.

        `full_check=False` skips SQLite's quick_check (~170 ms at 100,000 rows) and only
        checks cheaply (header, schema, the newest rows); the caller then runs `verify()`
        in the background. A damage `verify()` finds is moved aside at the next open.

        `write_behind=True`: `append` queues the attempt and returns; one writer thread
        commits what is queued (several in one transaction when they pile up). Every
        read of this store, `flush()` and `close()` first wait until what was appended
        before them is committed, so this store always reads its own writes. A caller
        that must know an attempt is on disk before it says so (the CLI prints it) calls
        `flush()`. Without it, `append` commits before it returns.
        """
        self._path = path
        self._full_check = full_check
        self._lock = threading.RLock()
        self._writer = _WriteBehind(self) if write_behind else None
        self._search_index = False
        self._search_plan: dict[str, bool] = {}
        self.recovered_from: Path | None = None
        self.recovery_reason: str | None = None
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            self._conn: sqlite3.Connection | None = self._open_checked()
        except _UnusableDatabaseError as exc:
            self.recovered_from = self._set_aside(str(exc))
            self.recovery_reason = str(exc)
            self._conn = self._open_checked()

    @property
    def path(self) -> Path:
        return self._path

    @property
    def damage_marker(self) -> Path:
        """Written by a failed `verify()`: the next open moves the file aside."""
        return self._path.with_name(self._path.name + ".damaged")

    def verify(self) -> str | None:
        """Run SQLite's quick_check (blocking; call it off the UI thread).

        None when the file is sound. Otherwise a plain-language reason, which is also
        written next to the file so that the next open moves it aside (never in the
        middle of a session: rows still readable stay on screen until then).
        """
        with self._lock:
            try:
                problems = [r[0] for r in self._db().execute("PRAGMA quick_check").fetchall()]
            except sqlite3.Error as exc:
                if (getattr(exc, "sqlite_errorcode", 0) & 0xFF) not in _CORRUPT_CODES:
                    raise self._fail("check", exc) from exc
                problems = [f"SQLite could not read it ({exc})"]
        if problems == ["ok"]:
            return None
        # quick_check can return one row holding hundreds of lines: keep a readable few.
        lines = [line for row in problems for line in str(row).splitlines() if line.strip()]
        more = f" (and {len(lines) - 3} more)" if len(lines) > 3 else ""
        reason = f"SQLite's check failed: {'; '.join(lines[:3])}{more}"
        log.error("history file %s is damaged (%s); it will be moved aside", self._path, reason)
        try:
            self.damage_marker.write_text(reason + "\n", encoding="utf-8")
        except OSError as exc:
            log.error("history: could not note the damage in %s: %s", self.damage_marker, exc)
        return reason

    # ------------------------------------------------------------------ opening
    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self._path,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,  # autocommit; writes open their own BEGIN IMMEDIATE
            check_same_thread=False,  # shared between threads, guarded by self._lock
        )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return conn

    def _open_checked(self) -> sqlite3.Connection:
        marker = self.damage_marker
        if marker.exists():
            try:
                why = marker.read_text(encoding="utf-8").strip()
            except OSError:
                why = ""
            marker.unlink(missing_ok=True)
            if self._path.exists():
                raise _UnusableDatabaseError(why or "an earlier check found it damaged")
        if self._path.exists() and self._path.stat().st_size > 0:
            with self._path.open("rb") as f:
                if f.read(len(_SQLITE_HEADER)) != _SQLITE_HEADER:
                    raise _UnusableDatabaseError("it is not an SQLite database")
        conn = self._connect()
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                log.warning("history: SQLite kept journal_mode=%s (WAL not available)", mode)
            conn.execute("PRAGMA synchronous = NORMAL")
            if self._full_check:
                problems = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
                if problems != ["ok"]:
                    raise _UnusableDatabaseError(
                        f"SQLite's check failed: {'; '.join(problems[:3])}"
                    )
            else:
                # Reads the schema and the b-tree pages on the way to the newest rows:
                # catches a file that is not a database and most damage, in a few ms.
                conn.execute("PRAGMA schema_version").fetchone()
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise _UnusableDatabaseError(
                    f"it was written by a newer Cognito Resend (schema {version}; this "
                    f"version knows {SCHEMA_VERSION})"
                )
            if version < SCHEMA_VERSION:
                self._migrate(conn, version)
            self._search_index = self._ensure_search_index(conn)
            if not self._full_check:
                conn.execute(
                    f"SELECT attempt_id, length(data) FROM attempts {_ORDER} LIMIT 100"
                ).fetchall()
        except sqlite3.Error as exc:
            conn.close()
            # Only "corrupt" and "not a database" mean the file itself is bad. Busy,
            # locked, permission or I/O errors are not its fault: moving it aside would
            # throw away a good history (e.g. while another process creates it).
            if (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in _CORRUPT_CODES:
                raise _UnusableDatabaseError(f"SQLite could not open it ({exc})") from exc
            raise HistoryStoreError(f"Could not open the history in {self._path}: {exc}") from exc
        except BaseException:
            conn.close()
            raise
        return conn

    def _ensure_search_index(self, conn: sqlite3.Connection) -> bool:
        """Create the trigram index of `search` if it is missing (filling it from the rows:
        ~14 s at 1,000,000, once); False where this SQLite cannot."""
        def present() -> bool:
            row = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'attempts_search'"
            ).fetchone()
            return row is not None

        if present():
            return True
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            log.info("history: no trigram index this time (%s)", exc)
            return False
        try:
            if not present():  # another process may have made it while we waited
                for statement in _SEARCH_INDEX:
                    conn.execute(statement)
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            conn.execute("ROLLBACK")
            # No FTS5, or no trigram tokenizer (SQLite < 3.34): the filter scans.
            log.info("history: no trigram index for the text filter (%s)", exc)
            return False
        return True

    def _use_search_index(self, flt: HistoryFilter) -> bool:
        """Whether the text filter of `flt` goes through the trigram index: it exists,
        the needle suits it and matches few enough rows (probed, then remembered)."""
        needle = flt.text.strip().casefold()
        if not self._search_index or not needle or not _indexable(needle):
            return False
        known = self._search_plan.get(needle)
        if known is not None:
            return known
        with self._lock:
            try:
                n: int = self._db().execute(
                    "SELECT count(*) FROM (SELECT 1 FROM attempts_search WHERE search LIKE ? "
                    "LIMIT ?)",
                    (f"%{needle}%", _SEARCH_PROBE + 1),
                ).fetchone()[0]
            except sqlite3.Error:
                n = _SEARCH_PROBE + 1
        if len(self._search_plan) > 256:
            self._search_plan.clear()
        use = int(n) <= _SEARCH_PROBE
        self._search_plan[needle] = use
        return use

    @staticmethod
    def _migrate(conn: sqlite3.Connection, version: int) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have created it while we waited for the write lock.
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            if current < SCHEMA_VERSION:
                # 0 -> 1 created the table and indexes; 1 -> 2 added the covering indexes;
                # 2 -> 3 adds the kind column (below) and its index. Every statement is
                # IF NOT EXISTS, so running them all covers each step.
                _add_kind_column(conn)
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        log.info("history: schema %d -> %d", version, SCHEMA_VERSION)

    def _set_aside(self, why: str) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        base = self._path.with_name(f"{self._path.name}.corrupt-{stamp}")
        target, n = base, 1
        while target.exists():  # never overwrite an earlier copy
            target = base.with_name(f"{base.name}-{n}")
            n += 1
        self._path.replace(target)
        # The WAL and shared-memory files belong to the old database; a new database
        # must not start next to them.
        for suffix in ("-wal", "-shm", "-journal"):
            side = self._path.with_name(self._path.name + suffix)
            if side.exists():
                side.replace(target.with_name(target.name + suffix))
        log.error("history file unusable (%s); moved to %s, starting a new one", why, target)
        return target

    # ------------------------------------------------------------------ helpers
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise HistoryStoreError("the history is closed")
        return self._conn

    def _fail(self, doing: str, exc: sqlite3.Error) -> HistoryStoreError:
        return HistoryStoreError(f"Could not {doing} the history in {self._path}: {exc}")

    # ------------------------------------------------------------------ writes
    def append(self, a: Attempt) -> None:
        """Insert the attempt, or replace the stored one with the same attempt_id.

        With `write_behind`, queued for the writer thread (see __init__); a failed write
        is then logged, not raised."""
        if self._writer is not None:
            self._writer.put(a)
        else:
            self.append_many((a,))

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every attempt appended so far is committed (write-behind; otherwise
        there is nothing to wait for). False if `timeout` passed first. A write that
        failed counts as done: its error is in the log, as for a synchronous append."""
        return True if self._writer is None else self._writer.wait(timeout)

    def append_many(self, attempts: Iterable[Attempt]) -> int:
        """Insert or replace several attempts in one transaction; returns how many."""
        rows = [_row_values(a) for a in attempts]
        if not rows:
            return 0
        with self._lock:
            db = self._db()
            try:
                db.execute("BEGIN IMMEDIATE")
                try:
                    db.executemany(_UPSERT, rows)
                    db.execute("COMMIT")
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                raise self._fail("write to", exc) from exc
        return len(rows)

    # ------------------------------------------------------------------ reads
    def count(self, flt: HistoryFilter = HistoryFilter()) -> int:  # noqa: B008 -- frozen
        self.flush()
        where, params = _where(flt, self._use_search_index(flt))
        with self._lock:
            try:
                row = self._db().execute(f"SELECT count(*) FROM attempts {where}", params)
                return int(row.fetchone()[0])
            except sqlite3.Error as exc:
                raise self._fail("count", exc) from exc

    def page(self, flt: HistoryFilter, offset: int, limit: int) -> list[Attempt]:
        """Up to `limit` attempts after skipping `offset`, newest first."""
        if offset < 0 or limit < 0:
            raise ValueError("offset and limit must not be negative")
        self.flush()
        indexed = self._use_search_index(flt)
        where, params = _where(flt, indexed)
        # Pick the page's rowids first: the inner query can be answered from a covering
        # index (started_at, search), so skipped and non-matching rows are never read
        # with their JSON; only the page's own rows are. 100k rows, 1% matching: 95 -> 17 ms.
        hint = _text_index(flt, indexed)
        sql = (
            "SELECT attempt_id, started_at, profile, username, data FROM attempts "
            f"WHERE rowid IN (SELECT rowid FROM attempts {hint} {where} {_ORDER} "
            f"LIMIT ? OFFSET ?) {_ORDER}"
        )
        with self._lock:
            try:
                rows = self._db().execute(sql, [*params, limit, offset]).fetchall()
            except sqlite3.Error as exc:
                raise self._fail("read", exc) from exc
        return [_decode(*r) for r in rows]

    def get(self, attempt_id: str) -> Attempt | None:
        self.flush()
        with self._lock:
            try:
                row = (
                    self._db()
                    .execute(
                        "SELECT attempt_id, started_at, profile, username, data FROM attempts "
                        "WHERE attempt_id = ?",
                        (attempt_id,),
                    )
                    .fetchone()
                )
            except sqlite3.Error as exc:
                raise self._fail("read", exc) from exc
        return _decode(*row) if row else None

    def iter_filtered(self, flt: HistoryFilter) -> Iterator[Attempt]:
        """Every matching attempt, newest first, streamed (for exports).

        Reads through a connection of its own, so a long export neither holds the lock
        nor blocks appends (WAL readers see the snapshot of when the query began).
        """
        self._db()  # fail early when closed
        self.flush()
        where, params = _where(flt)
        sql = (
            f"SELECT attempt_id, started_at, profile, username, data FROM attempts {where} {_ORDER}"
        )
        conn = self._connect()
        try:
            cursor = conn.execute(sql, params)
            while True:
                try:
                    batch = cursor.fetchmany(500)
                except sqlite3.Error as exc:
                    raise self._fail("read", exc) from exc
                if not batch:
                    return
                for r in batch:
                    yield _decode(*r)
        finally:
            conn.close()

    def close(self) -> None:
        """Close the database (SQLite folds the WAL back into the file). Idempotent.

        With write-behind, what is queued is committed first and the writer ends."""
        if self._writer is not None:
            self._writer.stop()
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


# How long the writer gathers appends before it commits them in one transaction; a
# read, `flush` or `close` commits at once. A crash of the process can lose that much.
WRITE_BEHIND_DELAY_S = 0.05


class _WriteBehind:
    """The writer thread of a write-behind HistoryStore: a queue, a thread started on the
    first append, sequence numbers so that `wait` waits for exactly what came before it.

    One commit per 9-index row costs more CPU than the row itself (measured: ~0.25 ms
    per single-row transaction); gathering for WRITE_BEHIND_DELAY_S makes it one
    transaction (and one wake-up of this thread) per burst."""

    def __init__(self, store: HistoryStore, delay_s: float = WRITE_BEHIND_DELAY_S) -> None:
        self._store = store
        self._delay_s = delay_s
        self._hurry = 0  # waiters: commit now
        self._cv = threading.Condition()
        self._queue: list[Attempt] = []
        self._queued = 0  # attempts put so far
        self._done = 0  # of those, committed (or given up on: the error is logged)
        self._thread: threading.Thread | None = None
        self._stopping = False

    def put(self, a: Attempt) -> None:
        with self._cv:
            if self._stopping:
                raise HistoryStoreError("the history is closed")
            self._queue.append(a)
            self._queued += 1
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="history-writer", daemon=True
                )
                self._thread.start()
            elif len(self._queue) == 1:
                self._cv.notify_all()

    def wait(self, timeout: float | None) -> bool:
        if self._thread is not None and threading.current_thread() is self._thread:
            return True  # the writer itself: nothing before it to wait for
        with self._cv:
            target = self._queued
            if self._done >= target:
                return True
            self._hurry += 1
            self._cv.notify_all()
            try:
                return self._cv.wait_for(lambda: self._done >= target, timeout)
            finally:
                self._hurry -= 1

    def _run(self) -> None:
        while True:
            with self._cv:
                while not self._queue and not self._stopping:
                    self._cv.wait()
                deadline = time.monotonic() + self._delay_s
                while not self._stopping and not self._hurry and len(self._queue) < 500:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    self._cv.wait(left)
                if not self._queue:
                    return
                rows, self._queue = self._queue, []
                upto = self._queued
            try:
                self._store.append_many(rows)
            except Exception:  # logged, as the pipeline logs a failed synchronous append
                log.exception("could not record %d attempt(s) in the history", len(rows))
            with self._cv:
                self._done = upto
                self._cv.notify_all()

    def stop(self) -> None:
        with self._cv:
            self._stopping = True
            thread = self._thread
            self._cv.notify_all()
        if thread is not None and thread is not threading.current_thread():
            thread.join()


def _add_kind_column(conn: sqlite3.Connection) -> None:
    """Schema 2 -> 3: a `kind` column, filled from the JSON of rows that already carry one.

    Rows written before Attempt had a kind read back as resends (its default), and the
    column's default says the same, so only rows whose JSON names another kind change.
    """
    columns = {row[1] for row in conn.execute("PRAGMA table_info(attempts)")}
    if not columns or "kind" in columns:
        return  # a new file (CREATE TABLE has the column) or already migrated
    conn.execute("ALTER TABLE attempts ADD COLUMN kind TEXT NOT NULL DEFAULT 'resend'")
    conn.execute(
        "UPDATE attempts SET kind = json_extract(data, '$.kind') "
        "WHERE json_valid(data) AND json_extract(data, '$.kind') IN "
        f"({', '.join('?' for _ in AttemptKind)}) AND json_extract(data, '$.kind') != 'resend'",
        [k.value for k in AttemptKind],
    )


class _UnusableDatabaseError(Exception):
    """Internal: the file cannot serve as the history (message says why)."""
