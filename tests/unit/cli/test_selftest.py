"""The self-test from source: report format, exit codes, and a real run against the sandbox."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import selftest

ROOT = Path(__file__).resolve().parents[3]


def _boom() -> str:
    raise RuntimeError("the model is missing")


def test_all_checks_pass_prints_ok_lines_and_pass() -> None:
    out = io.StringIO()
    rc = selftest.self_test(out, checks=[("one", lambda: "fine"), ("two", lambda: "also")])
    text = out.getvalue()
    assert rc == 0
    assert "[ OK ] one" in text and "fine" in text
    assert text.strip().splitlines()[-1].startswith(selftest.PASS_LINE)


def test_a_failing_check_fails_the_run_and_says_why_without_a_traceback() -> None:
    out = io.StringIO()
    rc = selftest.self_test(out, checks=[("good", lambda: "ok"), ("model", _boom)])
    text = out.getvalue()
    assert rc == 1
    assert "[FAIL] model" in text and "RuntimeError: the model is missing" in text
    assert "Traceback" not in text
    last = text.strip().splitlines()[-1]
    assert last.startswith(selftest.FAIL_LINE) and "(model)" in last


@pytest.fixture
def fail_keyring() -> Iterator[None]:
    import keyring
    from keyring.backends import fail

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(before)


def test_keyring_check_fails_when_no_backend_was_found(fail_keyring: None) -> None:
    with pytest.raises(RuntimeError, match=r"keyring\.backends\.fail\.Keyring"):
        selftest.check_keyring()


# qapp: an in-process check_qt would otherwise create a bare QGuiApplication that the
# session's later QApplication users (tests/unit/test_environment.py) cannot replace.
def test_resources_model_and_qt_checks_pass_from_source(qapp: object) -> None:
    assert "app.svg" in selftest.check_resources()
    assert "ResendConfirmationCode" not in selftest.check_model()  # a summary, not a dump
    assert "operations" in selftest.check_model()
    assert "icon 256x256" in selftest.check_qt()


@pytest.mark.timeout(90)
def test_python_m_app_selftest_runs_headless_end_to_end(tmp_path: Path) -> None:
    """The whole self-test in a child process, as `python -m app.cli.selftest` runs it."""
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("QT_QPA_PLATFORM", None)  # the self-test must pick offscreen itself
    env["AWS_CONFIG_FILE"] = env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    proc = subprocess.run(
        [sys.executable, "-m", "app.cli.selftest"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=80,
    )
    report = proc.stdout
    assert "self-test (from source" in report
    for name in ("resources", "aws model", "qt", "log folder", "sandbox", "resend"):
        assert f"[ OK ] {name}" in report, report + proc.stderr
    assert "delivered to a***@e*** by EMAIL (SecretHash used" in report
    if os.environ.get("COGNITO_RESEND_REAL_KEYRING") == "1":
        assert "[ OK ] keyring" in report and "SecretService" in report, report
        assert proc.returncode == 0, report + proc.stderr
        assert selftest.PASS_LINE in report
    else:  # no Secret Service here: only the keyring check may fail, and it says so
        assert "[FAIL] keyring" in report and "No system keyring was found" in report
        assert proc.returncode == 1
    saved = Path(env["XDG_STATE_HOME"]) / "cognito-resend" / "log" / selftest.REPORT_FILE
    assert saved.read_text(encoding="utf-8").splitlines()[-1] == report.splitlines()[-1]
