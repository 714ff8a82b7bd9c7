"""The history table: its schema and migrations, and the row an Attempt becomes.

Part of `app.services.history_store` (which re-exports the public names).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from datetime import UTC, datetime

from app.core.outcome import Attempt, AttemptKind, Status
from app.core.serialize import AttemptFormatError, attempt_from_dict, attempt_to_dict

log = logging.getLogger("app.services.history_store")

SCHEMA_VERSION = 3
# Separates the searched fields in the `search` column; a needle holding it matches nothing.
SEP = "\x1f"

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS attempts (
    attempt_id TEXT PRIMARY KEY NOT NULL,
    started_at TEXT NOT NULL,      -- UTC, fixed-width ISO 8601: sorts as text
    profile    TEXT NOT NULL,
    username   TEXT NOT NULL,
    status     TEXT NOT NULL,
    outcome    TEXT NOT NULL,      -- Attempt.outcome_label: "Delivered" or the failure title
    batch_id   TEXT,
    kind       TEXT NOT NULL DEFAULT 'resend',  -- Attempt.kind (schema 3)
    search     TEXT NOT NULL,      -- casefolded username{SEP!r}profile{SEP!r}outcome
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

UPSERT = """
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

ORDER = "ORDER BY started_at DESC, rowid DESC"


class HistoryStoreError(Exception):
    """The history could not be read or written; str() says what happened."""


def utc_key(t: datetime) -> str:
    # Naive times are taken as UTC (Attempt makes aware UTC ones; this guards old rows).
    aware = t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)
    return aware.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def search_key(a: Attempt) -> str:
    return SEP.join((a.username, a.profile, a.outcome_label)).casefold()


def row_values(a: Attempt) -> tuple[object, ...]:
    data = json.dumps(attempt_to_dict(a), ensure_ascii=False, separators=(",", ":"))
    return (
        a.attempt_id,
        utc_key(a.started_at),
        a.profile,
        a.username,
        a.status.value,
        a.outcome_label,
        a.batch_id,
        a.kind.value,
        search_key(a),
        data,
    )


def decode(attempt_id: str, started_at: str, profile: str, username: str, data: str) -> Attempt:
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


def migrate(conn: sqlite3.Connection, version: int) -> None:
    """Bring the schema from `version` up to SCHEMA_VERSION in one write transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Another process may have created it while we waited for the write lock.
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        if current < SCHEMA_VERSION:
            # 0 -> 1 created the table and indexes; 1 -> 2 added the covering indexes;
            # 2 -> 3 adds the kind column (below) and its index. Every statement is
            # IF NOT EXISTS, so running them all covers each step.
            add_kind_column(conn)
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    log.info("history: schema %d -> %d", version, SCHEMA_VERSION)


def add_kind_column(conn: sqlite3.Connection) -> None:
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
