"""Benchmarks of the real window on injected services: responsiveness, history scale, memory.

    python bench/bench_window.py responsiveness|history|memory [--sizes...]

Each mode runs in its own process (one QApplication each; memory is not shared). The
window is built as the application builds it (app.ui.application.default_factories,
WindowControllers, MainWindow) with two substitutions: an in-memory keyring backend behind
the real SecretStore, and the sandbox running in a separate process (bench.common).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    emit,
    figure,
    percentile,
    resendable_users,
    rss_mb,
    sandbox_process,
    tiny,
    use_home,
)

if TYPE_CHECKING:
    pass
from bench import window_harness
from bench.window_harness import (
    GapTimer,
    Harness,
    PaintWatch,
    StallTracer,
    settle,
    wait_until,
)

# memory: "flat after the first 2,000 resends" means at most this much more by the end.
FLAT_MB = 2.0



# --------------------------------------------------------------------------- responsiveness
async def responsiveness(h: Harness, args: argparse.Namespace) -> list[dict[str, Any]]:
    window = h.open()
    await h.ready(window)
    await settle(0.5)
    timer = GapTimer()
    idle_worst: list[float] = []
    idle_p99: list[float] = []
    busy_worst: list[float] = []
    busy_p99: list[float] = []
    finished: list[Any] = []
    window.controllers.sending.attempt_finished.connect(finished.append)
    username = f"fault-slow-{args.slow}"
    for _ in range(args.runs):
        timer.start()
        await settle(args.idle_s)
        gaps = timer.stop()
        idle_worst.append(max(gaps))
        idle_p99.append(percentile(gaps, 99))

        finished.clear()
        window.form.username_edit.setText(username)
        timer.start()
        for _ in range(args.sends):  # clicks, as a person would: Send frees itself at once
            await wait_until(window.form.send_button.isEnabled)
            window.form.send_button.click()
        await wait_until(lambda: len(finished) >= args.sends)
        gaps = timer.stop()
        busy_worst.append(max(gaps))
        busy_p99.append(percentile(gaps, 99))
        # fault-slow-N is not a seeded user: after the delay it answers UserNotFound.
        assert all(a.http_status for a in finished), [a.failure for a in finished][:3]
        await settle(0.3)  # the inbox refresh after the last one
    await h.close(window)
    return [
        figure(
            "responsiveness",
            busy_worst,
            idle_worst,
            unit="ms",
            target=20.0,
            target_on="median",
            description=f"worst interval of a 10 ms QTimer while {args.sends} resends are in "
            f"flight from the window (Send clicked {args.sends} times, sandbox answering "
            f"after {args.slow} s: {username}) vs the same timer with the window idle",
            p99_median=round(statistics.median(busy_p99), 2),
            p99_max=round(max(busy_p99), 2),
            baseline_p99_median=round(statistics.median(idle_p99), 2),
            sends=args.sends,
        )
    ]


# --------------------------------------------------------------------------- history
def fill_history(db: Path, rows: int) -> None:
    """`rows` attempts of four kinds, as bench/bench_history.py writes them."""
    from datetime import UTC, datetime, timedelta

    from app.core.errors import decode
    from app.core.outcome import Attempt, DeliveryDetails, DeliveryMedium
    from app.services.history_store import HistoryStore

    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    base = Attempt(profile="P0", username="user", client_id="4example0client0id",
                   region="us-east-1", client_metadata=(("template", "welcome"),), started_at=t0)
    end = t0 + timedelta(milliseconds=150)
    kinds = [
        base.delivered(DeliveryDetails("u***@e***", DeliveryMedium.EMAIL, "email"),
                       request_id="r", http_status=200, finished_at=end),
        base.failed(decode("LimitExceededException", "Attempt limit exceeded."), finished_at=end),
        base.failed(decode("UserNotFoundException", "User does not exist."), finished_at=end),
    ]

    def attempts() -> Iterator[Attempt]:
        for i in range(rows):
            yield replace(kinds[i % len(kinds)], attempt_id=uuid.UUID(int=i + 1).hex,
                          started_at=t0 + timedelta(seconds=i), profile=f"P{i % 7}",
                          username=f"user{i:06d}@example.com")

    store = HistoryStore(db)
    try:
        chunk: list[Attempt] = []
        for a in attempts():
            chunk.append(a)
            if len(chunk) == 5000:
                store.append_many(chunk)
                chunk.clear()
        store.append_many(chunk)
    finally:
        store.close()


async def _open_and_paint(h: Harness) -> tuple[Any, float]:
    """Open a window; ms from the start of its construction to the history view's first
    paint after the history store was handed to it."""
    opened: list[float] = []
    t0 = time.perf_counter()
    window = h.open(developer=True)
    watch = PaintWatch(window.history_pane.view.viewport())
    window.controllers.session.history_opened.connect(lambda _s: opened.append(time.perf_counter()))
    await wait_until(lambda: opened and watch.after(opened[0]) is not None)
    painted = watch.after(opened[0])
    assert painted is not None
    await h.ready(window)
    return window, (painted - t0) * 1000


def _debounce_timer(pane: Any) -> Any:
    """The pane's typing debounce (a single-shot QTimer of FILTER_DEBOUNCE_MS)."""
    from PySide6.QtCore import QTimer

    from app.ui.widgets.history_pane import FILTER_DEBOUNCE_MS

    timers = [t for t in pane.findChildren(QTimer)
              if t.isSingleShot() and t.interval() == FILTER_DEBOUNCE_MS]
    if len(timers) != 1:
        raise RuntimeError(f"expected one debounce timer in the history pane, found {len(timers)}")
    return timers[0]


async def _filter_keystroke(window: Any) -> tuple[float, float, int]:
    """One keystroke in the filter box: ms from the debounce firing to the filtered view
    painted (the work), ms from the keystroke to that paint, and the rows matched."""
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtTest import QTest

    edit = window.history_pane.filter_edit
    model = window.history_model
    watch = PaintWatch(window.history_pane.view.viewport())
    fired: list[float] = []

    class _Fired(QObject):
        # An event filter sees the QTimerEvent before the timer emits timeout, i.e.
        # before the pane's slot runs the query.
        def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Timer:
                fired.append(time.perf_counter())
            return False

    timer = _debounce_timer(window.history_pane)
    spy = _Fired()
    edit.setText("user04")
    await wait_until(lambda: model.current_filter().text == "user04")
    await settle(0.1)
    timer.installEventFilter(spy)
    t0 = time.perf_counter()
    QTest.keyClick(edit, Qt.Key.Key_2)  # "user042"
    await wait_until(lambda: model.current_filter().text == "user042")
    await wait_until(lambda: fired and watch.after(fired[-1]) is not None)
    timer.removeEventFilter(spy)
    painted = watch.after(fired[-1])
    assert painted is not None and edit.text() == "user042"
    matched = model.total_count()
    edit.clear()
    await wait_until(lambda: model.current_filter().text == "")
    return (painted - fired[-1]) * 1000, (painted - t0) * 1000, matched


async def history(h: Harness, args: argparse.Namespace) -> list[dict[str, Any]]:
    from app.ui.widgets.history_pane import FILTER_DEBOUNCE_MS
    from bench.history_db import cached_history

    db = h.paths.history_db
    empty_db = db.with_name("empty.sqlite3")
    full_db = db.with_name("full.sqlite3")
    # Generated once per schema version and size (bench/out/history-cache), then linked.
    cached = cached_history(args.rows)
    try:
        os.link(cached, full_db)
    except OSError:  # another file system: one copy per run of this benchmark
        import shutil

        shutil.copyfile(cached, full_db)
    fill_history(empty_db, 0)
    paint_full: list[float] = []
    paint_empty: list[float] = []
    work_full: list[float] = []
    work_empty: list[float] = []
    key_full: list[float] = []
    matched = 0

    async def one(
        src: Path, paints: list[float], works: list[float], keys: list[float]
    ) -> int:
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        os.link(src, db)  # the same file every run: nothing is copied into the clock
        window, ms = await _open_and_paint(h)
        work_ms, key_ms, total = await _filter_keystroke(window)
        await h.close(window)
        paints.append(ms)
        works.append(work_ms)
        keys.append(key_ms)
        return total

    await one(empty_db, [], [], [])  # unmeasured: imports, first boto3 client, caches
    for _ in range(args.runs):
        await one(empty_db, paint_empty, work_empty, [])
        matched = await one(full_db, paint_full, work_full, key_full)
    return [
        figure(
            "history_first_paint",
            paint_full,
            paint_empty,
            unit="ms",
            target=300.0,
            target_on="extra",
            description=f"window construction to the history view's first paint with the "
            f"store attached, {args.rows} rows vs an empty history (target: extra ms)",
            rows=args.rows,
        ),
        figure(
            "history_filter",
            work_full,
            work_empty,
            unit="ms",
            target=50.0,
            target_on="median",
            description=f"one keystroke in the filter box ('user04' -> 'user042', "
            f"{matched} of {args.rows} rows match): from the pane's {FILTER_DEBOUNCE_MS} ms "
            "typing debounce firing to the filtered view painted; vs the same on an empty "
            "history (keystroke_to_view_median includes the debounce)",
            debounce_ms=FILTER_DEBOUNCE_MS,
            keystroke_to_view_median=round(statistics.median(key_full), 2),
            rows=args.rows,
        ),
    ]


# --------------------------------------------------------------------------- memory
async def memory(h: Harness, args: argparse.Namespace) -> list[dict[str, Any]]:
    from app.core.profile import Profile
    from app.core.request import ResendInput
    from app.core.secrets import Secret
    from app.ui.controllers.types import ProfileEdit, SendRequest

    info = h.sandbox_json
    window = h.open(developer=args.developer_view)
    await h.ready(window)
    c = window.controllers
    public = next(x for x in info["clients"] if x["name"] == "public")
    # A stored profile on the sandbox's endpoint: the path of a real AWS profile (the
    # built-in Sandbox profile re-reads the whole inbox after every send).
    profile = Profile(name="Bench", region=info["region"], endpoint_url=info["endpoint_url"])
    saved = c.profiles.save_profile(ProfileEdit(profile, public["client_id"], Secret("")))
    await wait_until(saved.done)
    assert saved.result() is True
    users = resendable_users(info)

    async def burst(n: int, start: int) -> None:
        # Bounded concurrency: the executor's worker count, as clicks would queue anyway.
        sem = asyncio.Semaphore(6)

        async def one(i: int) -> None:
            async with sem:
                form = ResendInput(client_id="", username=users[i % len(users)])
                req = SendRequest("Bench", form)
                final = await c.sending.send(req)
                assert final is not None and final.failure is None, final

        await asyncio.gather(*(one(start + i) for i in range(n)))

    await burst(20, 0)  # warm: first-call costs are start-up, not growth
    await settle(0.5)
    gc.collect()
    if args.malloc_trim:
        _malloc_trim()
    if args.trace_memory:
        import tracemalloc

        tracemalloc.start(12)
        before = tracemalloc.take_snapshot()
    idle = [rss_mb()]
    trace: list[tuple[int, float]] = [(0, idle[0])]
    kinds: list[tuple[int, dict[str, float]]] = [(0, _rss_kinds())]
    step = max(1, args.sends // 5)
    done = 0
    while done < args.sends:
        n = min(step, args.sends - done)
        await burst(n, done)
        done += n
        await settle(0.2)
        gc.collect()
        if args.malloc_trim:
            _malloc_trim()
        trace.append((done, round(rss_mb(), 1)))
        kinds.append((done, _rss_kinds()))
    after = [trace[-1][1]]
    if args.trace_memory:
        diff = tracemalloc.take_snapshot().compare_to(before, "traceback")
        print(f"python heap growth: {sum(d.size_diff for d in diff) / 1e6:.1f} MB "
              f"(RSS {trace[-1][1] - idle[0]:.1f} MB); largest:", file=sys.stderr)
        for d in diff[:12]:
            print(f"{d.size_diff / 1e6:8.2f} MB {d.count_diff:8d} blocks", file=sys.stderr)
            for line in d.traceback.format()[-6:]:
                print("        " + line, file=sys.stderr)
        tracemalloc.stop()
    rows_in_model = window.history_model.loaded_count()
    await h.close(window)
    # "Flat after the first 2,000": growth from the trace point at (or after) 2,000
    # resends to the end, which must stay within FLAT_MB.
    settled = next((mb for n, mb in trace if n >= min(2000, args.sends)), trace[-1][1])
    growth_after_2000 = round(trace[-1][1] - settled, 1)
    view = "the developer view" if args.developer_view else "the window's first screen"
    result = figure(
        "memory",
        after,
        idle,
        unit="MB",
        target=15.0,
        target_on="extra",
        description=f"resident set (VmRSS) of the window idle (services ready) vs after "
        f"{args.sends} resends through its controller (stored profile on the sandbox "
        f"process, 6 in flight), in {view}; target: growth in MB",
        sends=args.sends,
        view="developer" if args.developer_view else "first screen (support)",
        rss_trace=trace,
        rss_kinds_trace=kinds,
        growth_after_2000_mb=growth_after_2000,
        flat_target_mb=FLAT_MB,
        flat_after_2000=growth_after_2000 <= FLAT_MB,
        rows_loaded_in_history_model=rows_in_model,
    )
    # Met only if both hold: the growth and its flatness after 2,000.
    result["met"] = bool(result["met"] and growth_after_2000 <= FLAT_MB)
    return [result]


def _rss_kinds() -> dict[str, float]:
    """RssAnon / RssFile / RssShmem (MB) from /proc/self/status: where RSS growth lives."""
    out: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("RssAnon", "RssFile", "RssShmem"):
            out[key] = round(int(value.split()[0]) / 1024, 1)
    return out


def _malloc_trim() -> None:
    """--malloc-trim: give glibc's free heap pages back before reading RSS (an experiment:
    how much of the growth is freed-but-kept native memory)."""
    import ctypes

    ctypes.CDLL("libc.so.6").malloc_trim(0)


MODES = {"responsiveness": responsiveness, "history": history, "memory": memory}


def main(argv: list[str] | None = None) -> int:
    small = tiny()
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("mode", choices=sorted(MODES))
    parser.add_argument("--runs", type=int, default=2 if small else 5)
    parser.add_argument("--sends", type=int, help="responsiveness: 50; memory: 10000")
    parser.add_argument("--slow", default="0.2" if small else "1", help="fault-slow-<s>")
    parser.add_argument("--idle-s", type=float, default=0.5 if small else 3.0)
    parser.add_argument("--rows", type=int, default=500 if small else 1_000_000)
    parser.add_argument("--developer-view", action="store_true",
                        help="memory: in the developer view (the history pane shown and "
                        "repainting) instead of the window's first screen")
    parser.add_argument("--malloc-trim", action="store_true",
                        help="memory: malloc_trim(0) before each RSS reading (experiment)")
    parser.add_argument("--trace-memory", action="store_true",
                        help="memory: print the Python heap's growth by allocation site")
    parser.add_argument("--trace-stalls", action="store_true",
                        help="responsiveness: print the UI thread's stacks when the timer is late")
    args = parser.parse_args(argv)
    if args.trace_stalls:  # the GapTimer reads it from the harness module
        window_harness.TRACER = StallTracer()
    if args.sends is None:
        args.sends = {"responsiveness": 5 if small else 50, "memory": 50 if small else 10_000}.get(
            args.mode, 0
        )

    with tempfile.TemporaryDirectory(prefix="bench-window-") as tmp, sandbox_process() as box:
        use_home(Path(tmp))
        from PySide6.QtWidgets import QApplication

        os.environ.setdefault("QT_API", "pyside6")
        import qasync

        from app.ui import application

        # As the application does at start (where it still has such a guard).
        guard = getattr(application, "pin_singletons_if_pyside_overreleases", None)
        if guard is not None:
            guard()
        app = QApplication([sys.argv[0]])
        app.setQuitOnLastWindowClosed(False)
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        try:
            harness = Harness(box)
            results = loop.run_until_complete(MODES[args.mode](harness, args))
        finally:
            loop.close()
    for r in results:
        emit(r)
    if window_harness.TRACER is not None:
        window_harness.TRACER.report()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
