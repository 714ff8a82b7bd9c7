"""`python main.py batch` against the session sandbox: rows, JSON lines, exit codes."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.sandbox.server import Sandbox
from tests.support.sandbox import no_credentials_env

pytestmark = pytest.mark.timeout(90)

REPO = Path(__file__).resolve().parents[3]


def batch(
    sandbox: Sandbox, *args: str, stdin: str | None = None, url_by_env: bool = False
) -> subprocess.CompletedProcess[str]:
    env = no_credentials_env()
    env.pop("COGNITO_RESEND_SANDBOX_URL", None)
    where: list[str] = []
    if url_by_env:
        env["COGNITO_RESEND_SANDBOX_URL"] = sandbox.info.endpoint_url
    else:
        where = ["--endpoint-url", sandbox.info.endpoint_url]
    return subprocess.run(
        [sys.executable, str(REPO / "main.py"), "batch", "--profile", "Sandbox", *where, *args],
        cwd=REPO,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def json_lines(out: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def history_rows(xdg_data: Path) -> list[tuple[str, str | None]]:
    (db,) = list(xdg_data.rglob("history*"))
    with sqlite3.connect(db) as conn:
        return list(conn.execute("SELECT username, batch_id FROM attempts"))


def test_csv_all_delivered_json_lines_history_tagged_exit_0(
    fresh_sandbox: Sandbox, tmp_path: Path, _fresh_xdg_dirs: dict[str, Path]
) -> None:
    f = tmp_path / "users.csv"
    f.write_bytes(
        "\ufeffusername,metadata.flow\r\nqa-user-001,qa\r\nqa-user-002,\r\nqa-user-003,x\r\n".encode()
    )
    out = batch(fresh_sandbox, "--file", str(f), "--json", "--concurrency", "2", "--rate", "50")
    assert out.returncode == 0, out.stderr
    results = json_lines(out)
    assert sorted((r["line"], r["username"], r["outcome"]) for r in results) == [
        (2, "qa-user-001", "delivered"),
        (3, "qa-user-002", "delivered"),
        (4, "qa-user-003", "delivered"),
    ]
    first = next(r for r in results if r["username"] == "qa-user-001")
    assert first["client_metadata"] in ({"flow": "qa"}, [["flow", "qa"]])
    batch_ids = {r["batch_id"] for r in results}
    assert len(batch_ids) == 1 and None not in batch_ids
    (batch_id,) = batch_ids
    assert "3 delivered" in out.stderr and str(batch_id) in out.stderr
    rows = history_rows(_fresh_xdg_dirs["XDG_DATA_HOME"])
    assert sorted(rows) == [(f"qa-user-00{n}", batch_id) for n in (1, 2, 3)]
    assert "Traceback" not in out.stderr


def test_bad_rows_are_listed_with_line_numbers_and_nothing_is_sent(
    fresh_sandbox: Sandbox, tmp_path: Path
) -> None:
    f = tmp_path / "users.csv"
    f.write_text("username,metadata\nqa-user-001,\nbad user,\nqa-user-002,{oops}\nqa-user-001,\n")
    out = batch(fresh_sandbox, "--file", str(f))
    assert out.returncode == 2
    assert "line 3:" in out.stderr and "space" in out.stderr
    assert "line 4:" in out.stderr and "JSON" in out.stderr
    assert "line 5: duplicate of line 2" in out.stderr
    assert "nothing was sent" in out.stderr and "--skip-invalid" in out.stderr
    assert out.stdout == ""
    assert fresh_sandbox.inbox() == []


def test_skip_invalid_sends_valid_rows_and_exits_2_for_the_skipped_ones(
    fresh_sandbox: Sandbox, tmp_path: Path
) -> None:
    f = tmp_path / "users.txt"
    f.write_text("qa-user-004\nbad user\nqa-user-004\n")
    out = batch(fresh_sandbox, "--file", str(f), "--skip-invalid", "--json", url_by_env=True)
    assert out.returncode == 2, out.stderr
    assert [r["username"] for r in json_lines(out)] == ["qa-user-004"]  # duplicate skipped
    assert "1 duplicate row will be skipped" in out.stderr  # a real plural (issue 14)


def test_exit_code_is_the_worst_outcome_and_limit_is_not_retried(
    fresh_sandbox: Sandbox,
) -> None:
    text = "qa-user-005\nfault-limit\nfault-throttle\n"
    out = batch(fresh_sandbox, "--file", "-", "--json", "--rate", "100", stdin=text)
    assert out.returncode == 3, out.stderr
    results = {r["username"]: r for r in json_lines(out)}
    assert results["qa-user-005"]["outcome"] == "delivered"
    assert results["fault-limit"]["error_code"] == "LimitExceededException"
    # fault-throttle throttles every call: retried within the budget, then recorded.
    assert results["fault-throttle"]["error_code"] == "TooManyRequestsException"
    # The summary says it in words: the code names are in the JSON lines.
    assert "1 attempt limit exceeded" in out.stderr
    assert "LimitExceededException" not in out.stderr

    out = batch(fresh_sandbox, "--file", "-", stdin="qa-user-006\nfault-drop\nfault-limit\n")
    assert out.returncode == 4  # network beats Cognito errors
    assert "line 1\tqa-user-006\tdelivered to" in out.stdout


def test_a_file_that_cannot_be_read_or_has_no_username_column_exits_2(
    fresh_sandbox: Sandbox, tmp_path: Path
) -> None:
    out = batch(fresh_sandbox, "--file", str(tmp_path / "missing.csv"))
    assert out.returncode == 2 and "cannot read" in out.stderr
    f = tmp_path / "wrong.csv"
    f.write_text("user,email\nqa-user-001,x\n")
    out = batch(fresh_sandbox, "--file", str(f))
    assert out.returncode == 2 and "no 'username' column" in out.stderr
    f.write_bytes(b"username\nqa-user-00\xe9\n")
    out = batch(fresh_sandbox, "--file", str(f))
    assert out.returncode == 2 and "not UTF-8" in out.stderr and "line 2" in out.stderr


def test_flags_out_of_range_are_refused(fresh_sandbox: Sandbox, tmp_path: Path) -> None:
    f = tmp_path / "u.txt"
    f.write_text("qa-user-001\n")
    for flag, value in (("--concurrency", "0"), ("--rate", "0"), ("--concurrency", "x")):
        out = batch(fresh_sandbox, "--file", str(f), flag, value)
        assert out.returncode == 2 and flag in out.stderr
    assert fresh_sandbox.inbox() == []


def test_a_throttled_user_is_one_printed_line_and_one_history_row(
    fresh_sandbox: Sandbox, tmp_path: Path, _fresh_xdg_dirs: dict[str, Path]
) -> None:
    f = tmp_path / "users.txt"
    f.write_text("qa-user-001\nfault-throttle\nqa-user-002\n", encoding="utf-8")
    out = batch(fresh_sandbox, "--file", str(f), "--json", "--concurrency", "1", "--rate", "200")
    assert out.returncode != 0, out.stderr  # the throttled user failed in the end
    results = json_lines(out)
    assert sorted(str(r["username"]) for r in results) == [
        "fault-throttle",
        "qa-user-001",
        "qa-user-002",
    ]
    throttled = next(r for r in results if r["username"] == "fault-throttle")
    assert throttled["retries"] == 4 and "TooManyRequestsException" in str(throttled["notes"])
    # Before: 1 + 4 retries = 5 rows for fault-throttle, 7 in all.
    rows = history_rows(_fresh_xdg_dirs["XDG_DATA_HOME"])
    assert sorted(u for u, _ in rows) == ["fault-throttle", "qa-user-001", "qa-user-002"]
    assert "3 users sent to; 2 delivered; 1 failed: 1 too many requests" in out.stderr
