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

import logging
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from app.core.outcome import Attempt
from app.services.history_rows import (
    ORDER,
    SCHEMA_VERSION,
    UPSERT,
    HistoryStoreError,
    decode,
    migrate,
    row_values,
)
from app.services.history_search import (
    SEARCH_PROBE,
    HistoryFilter,
    ensure_search_index,
    indexable,
    text_index,
    where_clause,
)
from app.services.history_writer import WRITE_BEHIND_DELAY_S, WriteBehind

__all__ = [
    "BUSY_TIMEOUT_MS",
    "SCHEMA_VERSION",
    "WRITE_BEHIND_DELAY_S",
    "HistoryFilter",
    "HistoryStore",
    "HistoryStoreError",
]

log = logging.getLogger(__name__)

# How long a writer waits for another process's write to finish before giving up.
BUSY_TIMEOUT_MS = 15_000
_SQLITE_HEADER = b"SQLite format 3\x00"
# Primary result codes that mean the file is damaged: SQLITE_CORRUPT, SQLITE_NOTADB.
_CORRUPT_CODES = (11, 26)


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
        # Looked up at each write (not bound now), so a replaced append_many is the one used.
        self._writer = WriteBehind(lambda rows: self.append_many(rows)) if write_behind else None
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
            mode = _enter_wal(conn)
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
                migrate(conn, version)
            self._search_index = ensure_search_index(conn)
            if not self._full_check:
                conn.execute(
                    f"SELECT attempt_id, length(data) FROM attempts {ORDER} LIMIT 100"
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


    def _use_search_index(self, flt: HistoryFilter) -> bool:
        """Whether the text filter of `flt` goes through the trigram index: it exists,
        the needle suits it and matches few enough rows (probed, then remembered)."""
        needle = flt.text.strip().casefold()
        if not self._search_index or not needle or not indexable(needle):
            return False
        known = self._search_plan.get(needle)
        if known is not None:
            return known
        with self._lock:
            try:
                n: int = self._db().execute(
                    "SELECT count(*) FROM (SELECT 1 FROM attempts_search WHERE search LIKE ? "
                    "LIMIT ?)",
                    (f"%{needle}%", SEARCH_PROBE + 1),
                ).fetchone()[0]
            except sqlite3.Error:
                n = SEARCH_PROBE + 1
        if len(self._search_plan) > 256:
            self._search_plan.clear()
        use = int(n) <= SEARCH_PROBE
        self._search_plan[needle] = use
        return use


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
        rows = [row_values(a) for a in attempts]
        if not rows:
            return 0
        with self._lock:
            db = self._db()
            try:
                db.execute("BEGIN IMMEDIATE")
                try:
                    db.executemany(UPSERT, rows)
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
        where, params = where_clause(flt, self._use_search_index(flt))
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
        where, params = where_clause(flt, indexed)
        # Pick the page's rowids first: the inner query can be answered from a covering
        # index (started_at, search), so skipped and non-matching rows are never read
        # with their JSON; only the page's own rows are. 100k rows, 1% matching: 95 -> 17 ms.
        hint = text_index(flt, indexed)
        sql = (
            "SELECT attempt_id, started_at, profile, username, data FROM attempts "
            f"WHERE rowid IN (SELECT rowid FROM attempts {hint} {where} {ORDER} "
            f"LIMIT ? OFFSET ?) {ORDER}"
        )
        with self._lock:
            try:
                rows = self._db().execute(sql, [*params, limit, offset]).fetchall()
            except sqlite3.Error as exc:
                raise self._fail("read", exc) from exc
        return [decode(*r) for r in rows]

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
        return decode(*row) if row else None

    def iter_filtered(self, flt: HistoryFilter) -> Iterator[Attempt]:
        """Every matching attempt, newest first, streamed (for exports).

        Reads through a connection of its own, so a long export neither holds the lock
        nor blocks appends (WAL readers see the snapshot of when the query began).
        """
        self._db()  # fail early when closed
        self.flush()
        where, params = where_clause(flt)
        sql = (
            f"SELECT attempt_id, started_at, profile, username, data FROM attempts {where} {ORDER}"
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
                    yield decode(*r)
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


class _UnusableDatabaseError(Exception):
    """Internal: the file cannot serve as the history (message says why)."""


def _enter_wal(conn: sqlite3.Connection) -> str:
    """Switch to WAL, waiting for a second process that is doing the same.

    Changing the journal mode takes an exclusive lock that SQLite does not wait for (its
    busy handler is not consulted), so two processes creating the file at the same moment
    see "database is locked" at once (seen: the two-process append test, under load).
    Retried with a short backoff for as long as any other wait here may last.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.005
    while True:
        try:
            return str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.2)
