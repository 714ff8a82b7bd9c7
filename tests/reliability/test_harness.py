"""The suite's own guards: a hung property fails at once, and generation replays.

Each check runs a small pytest session in a subprocess (its own tmp folder, so none of
this suite's conftest applies) with the plugin under test given by ``-p``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

HUNG_PROPERTY = """
import time
from pathlib import Path
from hypothesis import given, settings, strategies as st

CALLS = Path(__file__).with_name("calls.txt")

@settings(deadline=None, database=None)
@given(st.integers())
def test_hangs(x):
    with CALLS.open("a") as f:
        f.write(f"{x}\\n")
    time.sleep(60)

def test_after():
    pass
"""


def _pytest(folder: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("PYTEST_ADDOPTS", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=folder, env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )


@pytest.mark.timeout(90)
def test_a_hung_property_fails_at_once_and_is_not_shrunk(tmp_path: Path) -> None:
    (tmp_path / "test_hung.py").write_text(HUNG_PROPERTY)
    t0 = time.monotonic()
    run = _pytest(tmp_path, "-p", "tests.support.timeouts", "--timeout=2", "test_hung.py")
    took = time.monotonic() - t0
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 failed, 1 passed" in run.stdout, run.stdout
    assert "TestTimedOut" in run.stdout and "not retried or shrunk" in run.stdout
    # One example ran: the timeout was not taken for a failure to shrink.
    assert len((tmp_path / "calls.txt").read_text().splitlines()) == 1
    assert took < 30, f"took {took:.1f} s"


@pytest.mark.timeout(90)
def test_without_the_plugin_hypothesis_shrinks_a_hang(tmp_path: Path) -> None:
    """The failure mode the plugin removes (guards the test above against passing for
    the wrong reason): pytest-timeout alone lets Hypothesis run the hang again."""
    (tmp_path / "test_hung.py").write_text(HUNG_PROPERTY.replace("time.sleep(60)", (
        "time.sleep(60 if len(CALLS.read_text().splitlines()) == 1 else 0)")))
    run = _pytest(tmp_path, "--timeout=2", "test_hung.py")
    assert run.returncode == 1, run.stdout + run.stderr
    assert len((tmp_path / "calls.txt").read_text().splitlines()) > 1


def test_the_ci_profile_is_loaded_and_derandomized() -> None:
    from hypothesis import settings

    if settings._current_profile != "ci":
        pytest.skip(f"the {settings._current_profile!r} Hypothesis profile was asked for")
    assert settings().derandomize is True
    assert settings().database is None
    assert settings().print_blob is True


def _lockcheck() -> Any:
    spec = importlib.util.spec_from_file_location("lockcheck", ROOT / "scripts" / "lockcheck.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_lock_is_current_with_pyproject() -> None:
    """A dependency changed in pyproject.toml without `./scripts/dev.sh lock` fails here."""
    assert _lockcheck().stale() == [], "run ./scripts/dev.sh lock and commit requirements/"


def test_the_lock_pins_every_package_with_hashes() -> None:
    pins: dict[str, str] = {}
    for lock in ("run.txt", "test.txt"):
        text = (ROOT / "requirements" / lock).read_text()
        for block in re.split(r"\n(?=[a-z0-9])", text):
            first = block.splitlines()[0]
            if first.startswith("#"):
                continue
            name, _, version = first.split(" ", 1)[0].partition("==")
            assert version, f"{lock}: {first!r} is not pinned"
            assert "--hash=sha256:" in block, f"{lock}: {name} has no hash"
            assert pins.setdefault(name, version) == version, f"{name}: two versions locked"
    # pyproject.toml: 6.12.0 aborts the process; the lock keeps 6.11.x.
    assert pins["pyside6-essentials"].startswith("6.11."), pins["pyside6-essentials"]


QT_WARNING = """
from PySide6 import QtCore

def test_warns(qapp):
    QtCore.qWarning("a stray Qt warning")

def test_offscreen_noise_is_allowed(qapp):
    QtCore.qWarning("This plugin does not support raise()")
"""


@pytest.mark.timeout(90)
def test_a_qt_warning_fails_the_test(tmp_path: Path) -> None:
    """With this project's pytest settings (-c pyproject.toml), a qWarning fails its test,
    except the offscreen plugin's known ones listed in qt_log_ignore."""
    (tmp_path / "test_qt.py").write_text(QT_WARNING)
    run = _pytest(tmp_path, "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(tmp_path),
                  str(tmp_path / "test_qt.py"))
    assert "1 failed, 1 passed" in run.stdout, run.stdout + run.stderr
    assert "a stray Qt warning" in run.stdout
