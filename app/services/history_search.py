"""The history's filter: HistoryFilter, its WHERE clause, and the trigram (FTS5) index
that answers the text filter where this SQLite has one.

Part of `app.services.history_store` (which re-exports HistoryFilter).
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass

from app.core.outcome import AttemptKind, Status
from app.services.history_rows import SEP

log = logging.getLogger("app.services.history_store")

# A trigram index of `search` (FTS5, external content: no second copy of the text), kept
# by triggers. Outside the schema version: created at open where SQLite has FTS5 with the
# trigram tokenizer (3.34+), and where it has not, the text filter scans as before.
# 1,000,000 rows, a needle matching 1,000: 260 ms of scan -> 1-2 ms (count and page).
# A needle matching a large share of the rows is faster scanned (the index must test
# every candidate row): `SEARCH_PROBE` decides, per needle.
SEARCH_INDEX = (
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
SEARCH_PROBE = 5_000
SEARCH_IN = "rowid IN (SELECT rowid FROM attempts_search WHERE search LIKE ?)"


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


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def indexable(needle: str) -> bool:
    """A needle the trigram index can answer exactly: 3+ characters, no LIKE wildcards
    (FTS5's LIKE has no ESCAPE)."""
    return len(needle) >= 3 and not any(c in needle for c in "%_\\") and SEP not in needle


def where_clause(flt: HistoryFilter, indexed: bool = False) -> tuple[str, list[object]]:
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
        if SEP in needle:
            clauses.append("0")
        elif indexed:
            clauses.append(SEARCH_IN)
            params.append(f"%{needle}%")
        else:
            clauses.append("search LIKE ? ESCAPE '\\'")
            params.append(f"%{escape_like(needle)}%")
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


def text_index(flt: HistoryFilter, indexed: bool = False) -> str:
    """For a text filter, the covering index to page through (SQLite would rather take
    attempts_by_time for its exact order and then read every row's JSON to test it)."""
    if indexed or not flt.text.strip() or flt.username is not None or flt.status is not None:
        return ""
    if flt.batch_id is not None or flt.kind is not None:
        return ""
    if flt.profile is not None:
        return "INDEXED BY attempts_text_by_profile"
    return "INDEXED BY attempts_text_by_time"


def ensure_search_index(conn: sqlite3.Connection) -> bool:
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
            for statement in SEARCH_INDEX:
                conn.execute(statement)
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        conn.execute("ROLLBACK")
        # No FTS5, or no trigram tokenizer (SQLite < 3.34): the filter scans.
        log.info("history: no trigram index for the text filter (%s)", exc)
        return False
    return True
