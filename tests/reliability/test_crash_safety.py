"""Crash safety of the history: SIGKILL mid-batch, a corrupt file, two writers at once.

The batch is `python main.py batch` against a sandbox in its own process (so the kill
hits only the app). 1,000 usernames nobody signed up, on the sandbox's `protected`
client (user-existence protection on): each gets a simulated delivery, so every call
succeeds and the limit never trips.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core.outcome import Attempt
from app.services.history_store import HistoryFilter, HistoryStore
from app.services.paths import AppPaths
from tests.reliability.support import MAIN, REPO, cli_env, external_sandbox, run_cli

pytestmark = pytest.mark.timeout(240)

USERS = 1_000
KILL_AFTER_LINES = 300


def _batch_file(tmp_path: Path) -> Path:
    f = tmp_path / "users.csv"
    f.write_text("username\n" + "".join(f"ghost-{i:04d}\n" for i in range(USERS)))
    return f


def test_sigkill_mid_batch_keeps_every_printed_result(tmp_path: Path) -> None:
    paths = AppPaths.from_platform()
    with external_sandbox() as box:
        proc = subprocess.Popen(
            [sys.executable, str(MAIN), "batch", "--profile", "Sandbox", "--endpoint-url",
             box.url, "--sandbox-client", "protected", "--file", str(_batch_file(tmp_path)),
             "--json", "--rate", "200", "--concurrency", "8"],
            cwd=REPO, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdout is not None
        printed: list[dict[str, object]] = []
        try:
            for line in proc.stdout:
                printed.append(json.loads(line))
                if len(printed) >= KILL_AFTER_LINES:
                    break
            t_kill = time.monotonic()
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            # Lines already in the pipe were printed before the kill, too. Read through
            # the same buffered reader: it may hold the start of the next line already.
            rest = proc.stdout.read()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        printed += [json.loads(x) for x in rest.splitlines() if x.strip()]
        assert proc.returncode == -signal.SIGKILL
        assert len(printed) < USERS, "the batch finished before the kill; nothing was proven"

    # The raw file first: SQLite itself says the database is sound after the kill.
    raw = sqlite3.connect(paths.history_db)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored = {row[0] for row in raw.execute("SELECT attempt_id FROM attempts")}
    finally:
        raw.close()
    missing = [p["attempt_id"] for p in printed if p["attempt_id"] not in stored]
    assert missing == [], f"{len(missing)} printed result(s) are not in the history"

    # And the app opens it as it is, without moving it aside.
    store = HistoryStore(paths.history_db)
    try:
        assert store.recovered_from is None
        assert store.count() == len(stored) >= len(printed)
    finally:
        store.close()
    print(
        f"\nSIGKILL after {len(printed)} printed results of {USERS}: {len(stored)} rows "
        f"stored, 0 printed rows missing, integrity ok (killed {t_kill:.0f})"
    )


def test_corrupt_history_file_is_moved_aside_with_a_message() -> None:
    paths = AppPaths.from_platform().ensure()
    garbage = b"this was a history file once\x00\xff" * 100
    paths.history_db.write_bytes(garbage)

    out = run_cli("history", "list")
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    moved = sorted(paths.history_db.parent.glob(paths.history_db.name + ".corrupt-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == garbage
    # The person is told where it went (stderr), not left to wonder where the history went.
    assert str(moved[0]) in out.stderr or moved[0].name in out.stderr, out.stderr


def test_damaged_pages_are_moved_aside_too(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    with HistoryStore(db) as store:
        store.append_many(
            Attempt(profile="p", username=f"user-{i}", client_id="c", region="r")
            for i in range(2_000)
        )
    data = bytearray(db.read_bytes())
    # Keep the header (so it still looks like SQLite), scribble over the pages behind it.
    for offset in range(4096, len(data), 4096):
        data[offset : offset + 64] = b"\xde\xad\xbe\xef" * 16
    db.write_bytes(bytes(data))
    store = HistoryStore(db)
    try:
        assert store.recovered_from is not None and store.recovered_from.exists()
        assert store.recovery_reason
        assert store.count() == 0
    finally:
        store.close()


_WRITER = """
import sys
from app.core.outcome import Attempt
from app.services.history_store import HistoryFilter, HistoryStore
from pathlib import Path
tag, n = sys.argv[2], int(sys.argv[3])
store = HistoryStore(Path(sys.argv[1]))
print("ready", flush=True)
sys.stdin.readline()
for i in range(n):
    store.append(Attempt(profile=tag, username=f"{tag}-{i}", client_id="c", region="r"))
store.close()
"""


def test_two_processes_writing_at_once_lose_no_row(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    n = 400
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(db), tag, str(n)],
            cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        for tag in ("one", "two")
    ]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    for p in procs:  # released together: their writes interleave
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        assert p.wait(timeout=120) == 0
    with HistoryStore(db) as store:
        for tag in ("one", "two"):
            names = {a.username for a in store.iter_filtered(_flt(tag))}
            assert names == {f"{tag}-{i}" for i in range(n)}


def _flt(profile: str) -> HistoryFilter:
    return HistoryFilter(profile=profile)
