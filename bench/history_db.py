"""A history database of N rows for the benchmarks, generated fast and cached in bench/out.

    cached_history(rows) -> Path    (bench/out/history-cache/history-s<schema>-<rows>.sqlite3)

The rows are the ones bench_window's `fill_history` writes (three kinds of attempt, seven
profiles, one second apart), byte for byte what `HistoryStore.append_many` would store:
each kind's row is rendered once by the store's own `_row_values` with marker values,
and every row is that template with the markers replaced (checked against
`_row_values` on a sample). The rows go in with one `executemany` in one transaction,
the indexes (and the trigram index) are built afterwards (a sorted build, not a million
b-tree inserts), and the file is keyed by the schema, so a schema change makes a new one.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CACHE = ROOT / "bench" / "out" / "history-cache"
T0 = datetime(2025, 1, 1, tzinfo=UTC)
_ID, _USER, _PROFILE = "0" * 31 + "f", "markuser", "Pmark"


def _kinds() -> list[Any]:
    from app.core.errors import decode
    from app.core.outcome import Attempt, DeliveryDetails, DeliveryMedium

    base = Attempt(profile="P0", username="user", client_id="4example0client0id",
                   region="us-east-1", client_metadata=(("template", "welcome"),), started_at=T0)
    end = T0 + timedelta(milliseconds=150)
    return [
        base.delivered(DeliveryDetails("u***@e***", DeliveryMedium.EMAIL, "email"),
                       request_id="r", http_status=200, finished_at=end),
        base.failed(decode("LimitExceededException", "Attempt limit exceeded."), finished_at=end),
        base.failed(decode("UserNotFoundException", "User does not exist."), finished_at=end),
    ]


def attempt(i: int, kinds: list[Any]) -> Any:
    """Row i as an Attempt (what bench_window.fill_history appends)."""
    return replace(kinds[i % len(kinds)], attempt_id=uuid.UUID(int=i + 1).hex,
                   started_at=T0 + timedelta(seconds=i), profile=f"P{i % 7}",
                   username=f"user{i:06d}@example.com")


def _columns() -> list[str]:
    """The columns `_row_values` fills, in its order (read from the store's own INSERT)."""
    from app.services.history_rows import UPSERT as _UPSERT

    inside = _UPSERT.split("(", 1)[1].split(")", 1)[0]
    return [c.strip() for c in inside.split(",")]


def _rows(n: int) -> Iterator[tuple[object, ...]]:
    from app.services.history_rows import row_values as _row_values
    from app.services.history_rows import utc_key as _utc_key

    cols = _columns()
    i_started, i_search, i_data = (cols.index(c) for c in ("started_at", "search", "data"))
    i_id, i_profile, i_user = (cols.index(c) for c in ("attempt_id", "profile", "username"))

    kinds = _kinds()
    marked = [
        _row_values(replace(k, attempt_id=_ID, started_at=T0 + timedelta(seconds=1),
                            profile=_PROFILE, username=_USER))
        for k in kinds
    ]
    iso_mark = (T0 + timedelta(seconds=1)).isoformat()
    key_mark = _utc_key(T0 + timedelta(seconds=1))
    assert key_mark
    for i in range(n):
        row = list(marked[i % len(kinds)])
        at = T0 + timedelta(seconds=i)
        user, prof, aid = f"user{i:06d}@example.com", f"P{i % 7}", uuid.UUID(int=i + 1).hex
        data = str(row[i_data]).replace(_ID, aid).replace(iso_mark, at.isoformat())
        data = data.replace(f'"{_PROFILE}"', f'"{prof}"').replace(f'"{_USER}"', f'"{user}"')
        row[i_data] = data
        row[i_search] = (
            str(row[i_search]).replace(_USER, user).replace(_PROFILE.casefold(), prof.casefold())
        )
        row[i_id], row[i_started], row[i_profile], row[i_user] = aid, _utc_key(at), prof, user
        yield tuple(row)


def _check(n: int) -> None:
    """The templated rows equal what the store itself renders (a sample of them)."""
    from app.services.history_rows import row_values as _row_values

    kinds = _kinds()
    sample = sorted({0, 1, 2, 3, 7, 21, 1000, n - 1} & set(range(n)))
    made = dict(enumerate(_rows(max(sample) + 1)))
    for i in sample:
        want = _row_values(attempt(i, kinds))
        if made[i] != want:
            raise AssertionError(f"templated row {i} differs:\n{made[i]}\n{want}")


def generate(path: Path, rows: int) -> float:
    """Write a `rows`-row history at `path` (replaced); returns the seconds it took."""
    from app.services.history_store import HistoryStore

    t0 = time.perf_counter()
    _check(rows)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    HistoryStore(path).close()  # the schema, exactly as the app creates it
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        # Indexes and triggers (the trigram index's) go, then come back after the rows.
        indexes = conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
            "AND sql IS NOT NULL"
        ).fetchall()
        fts = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'attempts_search'"
        ).fetchone()
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("BEGIN")
        for kind, name, _sql in indexes:
            conn.execute(f"DROP {kind.upper()} {name}")
        cols = _columns()
        conn.executemany(
            f"INSERT INTO attempts ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
            _rows(rows),
        )
        for _kind, _name, sql in indexes:
            conn.execute(sql)
        if fts:
            conn.execute("INSERT INTO attempts_search(attempts_search) VALUES ('rebuild')")
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return time.perf_counter() - t0


def cached_history(rows: int) -> Path:
    """The path of a `rows`-row history (generated on first use); do not write to it.

    Keyed by the schema version and a digest of the schema a new store creates (its
    tables, indexes, triggers), so any change to it makes a new file."""
    import hashlib
    import tempfile

    from app.services.history_store import SCHEMA_VERSION, HistoryStore

    with tempfile.TemporaryDirectory() as scratch:
        HistoryStore(Path(scratch) / "h.sqlite3").close()
        conn = sqlite3.connect(Path(scratch) / "h.sqlite3")
        try:
            schema = "\n".join(
                str(r[0]) for r in conn.execute("SELECT sql FROM sqlite_master ORDER BY name")
            )
        finally:
            conn.close()
    digest = hashlib.sha256(schema.encode()).hexdigest()[:10]
    path = CACHE / f"history-s{SCHEMA_VERSION}-{digest}-{rows}.sqlite3"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        took = generate(tmp, rows)
        tmp.replace(path)
        print(f"[bench] generated {rows} history rows in {took:.1f} s: {path}", file=sys.stderr)
    return path


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    print(cached_history(n))
