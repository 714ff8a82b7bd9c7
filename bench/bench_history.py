"""Benchmark: HistoryStore paging, counting and filtering at 100,000 rows vs empty, as JSON."""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

# Run as `python bench/bench_history.py` from anywhere: the repository root holds `app`.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.errors import decode
from app.core.outcome import Attempt, DeliveryDetails, DeliveryMedium, Status
from app.services.history_export import export_csv
from app.services.history_store import HistoryFilter, HistoryStore

T0 = datetime(2025, 1, 1, tzinfo=UTC)
REPEATS = 15
FILTERED = HistoryFilter(text="limit", profile="P3")  # index on profile, then LIKE
TEXT_ONLY = HistoryFilter(text="user0421")  # no index helps: a scan of `search`
STATUS_ONLY = HistoryFilter(status=Status.FAILED)


def _templates() -> list[Attempt]:
    base = Attempt(
        profile="P0",
        username="user",
        client_id="4example0client0id",
        region="eu-west-1",
        client_metadata=(("template", "welcome"), ("lang", "en")),
        started_at=T0,
    )
    end = T0 + timedelta(milliseconds=150)
    return [
        base.delivered(
            DeliveryDetails("u***@e***", DeliveryMedium.EMAIL, "email"),
            request_id="r",
            http_status=200,
            finished_at=end,
        ),
        base.failed(
            decode("LimitExceededException", "Attempt limit exceeded, please try after some time."),
            finished_at=end,
        ),
        base.failed(decode("UserNotFoundException", "User does not exist."), finished_at=end),
        base,  # pending
    ]


def _attempts(n: int) -> Iterator[Attempt]:
    templates = _templates()
    for i in range(n):
        yield replace(
            templates[i % len(templates)],
            attempt_id=uuid.UUID(int=i).hex,
            started_at=T0 + timedelta(seconds=i),
            profile=f"P{i % 7}",
            username=f"user{i:06d}@example.com",
        )


def _median_ms(fn: Callable[[], object], repeats: int = REPEATS) -> float:
    fn()  # warm the page cache and the statement cache
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return round(statistics.median(times) * 1000, 3)


def _count_and_page(store: HistoryStore, flt: HistoryFilter, offset: int = 0) -> float:
    def run() -> None:
        store.count(flt)
        store.page(flt, offset, 100)

    return _median_ms(run)


def _queries(store: HistoryStore) -> dict[str, float]:
    return {
        "count_and_first_page_ms": _count_and_page(store, HistoryFilter()),
        "filtered_profile_text_count_and_page_ms": _count_and_page(store, FILTERED),
        "filtered_text_only_count_and_page_ms": _count_and_page(store, TEXT_ONLY),
        "filtered_status_count_and_page_ms": _count_and_page(store, STATUS_ONLY),
        "first_page_only_ms": _median_ms(lambda: store.page(HistoryFilter(), 0, 100)),
        "count_only_ms": _median_ms(lambda: store.count()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args(argv)
    rows: int = args.rows

    with tempfile.TemporaryDirectory(prefix="bench-history-") as tmp:
        db = Path(tmp) / "history.sqlite3"
        t = time.perf_counter()
        store = HistoryStore(db)
        open_empty_ms = (time.perf_counter() - t) * 1000
        empty = _queries(store)

        t = time.perf_counter()
        chunk: list[Attempt] = []
        for a in _attempts(rows):
            chunk.append(a)
            if len(chunk) == 5_000:
                store.append_many(chunk)
                chunk.clear()
        store.append_many(chunk)
        fill_s = time.perf_counter() - t

        t = time.perf_counter()
        for a in _attempts(200):  # single appends, one transaction each (the app's case)
            store.append(replace(a, attempt_id=uuid.uuid4().hex))
        single_append_ms = (time.perf_counter() - t) * 1000 / 200

        full = _queries(store)
        full["page_at_offset_50k_ms"] = _count_and_page(store, HistoryFilter(), rows // 2)
        full["last_page_ms"] = _count_and_page(store, HistoryFilter(), max(rows - 100, 0))
        store.close()

        t = time.perf_counter()
        store = HistoryStore(db)  # includes PRAGMA quick_check
        reopen_ms = (time.perf_counter() - t) * 1000
        assert store.recovered_from is None
        conn = store._db()
        t = time.perf_counter()
        conn.execute("PRAGMA integrity_check").fetchall()
        integrity_ms = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        conn.execute("PRAGMA quick_check").fetchall()
        quick_ms = (time.perf_counter() - t) * 1000

        t = time.perf_counter()
        sink = io.StringIO()
        exported = export_csv(store.iter_filtered(HistoryFilter()), sink)
        export_s = time.perf_counter() - t
        csv_bytes = len(sink.getvalue().encode())
        del sink

        class _Discard(io.TextIOBase):
            def write(self, s: str) -> int:
                return len(s)

        tracemalloc.start()
        export_csv(store.iter_filtered(HistoryFilter()), _Discard())
        _cur, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        store.close()
        db_bytes = db.stat().st_size

    result = {
        "name": "history_store",
        "rows": rows,
        "empty": {"open_ms": round(open_empty_ms, 2), **empty},
        f"at_{rows}": full,
        "fill_rows_per_s": round(rows / fill_s),
        "single_append_ms": round(single_append_ms, 3),
        "reopen_with_quick_check_ms": round(reopen_ms, 1),
        "integrity_check_ms": round(integrity_ms, 1),
        "quick_check_ms": round(quick_ms, 1),
        "export_csv_rows_per_s": round(exported / export_s),
        "export_csv_mb": round(csv_bytes / 1e6, 2),
        "export_csv_peak_python_mb": round(peak / 1e6, 2),
        "db_mb": round(db_bytes / 1e6, 2),
        "cpus": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
