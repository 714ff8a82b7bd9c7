"""A one-shot CLI call opens the history with the cheap check; `history list` reads it all.

SQLite's quick_check reads every page: 5.4 s at 1,000,000 rows on this machine, paid by
every `resend` before this change. A damage in the oldest rows (a leaf page of the table
overwritten) shows which check ran: the cheap one does not see it, the full one does.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import replace
from pathlib import Path

from app.core.attempts import begin_attempt
from app.core.outcome import Status
from app.core.profile import Profile
from app.core.request import ResendInput
from app.sandbox.server import Sandbox
from app.services.history_store import HistoryStore
from tests.integration.cli.test_cli import resend, run_cli

ROWS = 1500


def _history_path() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "cognito-resend" / "history.sqlite3"


def _fill(path: Path) -> None:
    profile = Profile(name="Old", region="us-east-1")
    store = HistoryStore(path)
    try:
        attempts = [
            replace(
                begin_attempt(profile, ResendInput("c", f"old-{i:05d}")), status=Status.DELIVERED
            )
            for i in range(ROWS)
        ]
        store.append_many(attempts)
    finally:
        store.close()


def _damage_oldest_rows(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (leaf,) = conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'attempts' AND pagetype = 'leaf' "
            "ORDER BY path LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    with path.open("r+b") as f:
        f.seek((leaf - 1) * page_size + 8)  # the page's cell pointers
        f.write(b"\xff" * 64)


def test_resend_skips_the_full_check_and_history_list_runs_it(fresh_sandbox: Sandbox) -> None:
    path = _history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    _fill(path)
    _damage_oldest_rows(path)

    out = resend(fresh_sandbox, "--username", "alice")
    assert out.returncode == 0, out.stderr
    assert "damaged" not in out.stderr and path.exists()  # not read, so not moved aside
    assert not list(path.parent.glob("*.corrupt-*"))

    listed = run_cli("history", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert "damaged" in listed.stderr and list(path.parent.glob("*.corrupt-*"))
    assert json.loads(listed.stdout) == []  # a new, empty history
