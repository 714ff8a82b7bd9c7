"""Root test configuration: the harness every test runs in.

- Qt runs offscreen (no display needed) and qasync uses PySide6; both are set here,
  at import time, before anything imports Qt.
- Every test gets its own XDG config/data/state/cache folders, so the app's config,
  history and logs (found through platformdirs) start fresh each time.
- Tests marked ``keyring`` need the real Secret Service that
  ``scripts/with-keyring.sh`` provides (it sets COGNITO_RESEND_REAL_KEYRING=1). Without
  it they skip, saying why -- except under CI, where they fail: CI must never skip the
  real-keyring proof silently.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_API"] = "pyside6"

import pytest  # noqa: E402

# Fixtures shared across the suite (sandbox endpoint), when that module exists.
pytest_plugins = (
    ["tests.support.sandbox"]
    if (Path(__file__).parent / "support" / "sandbox.py").is_file()
    else []
)

REAL_KEYRING_ENV = "COGNITO_RESEND_REAL_KEYRING"
XDG_VARS = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")


def is_ci(env: Mapping[str, str] = os.environ) -> bool:
    return env.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def keyring_gate(env: Mapping[str, str] = os.environ) -> tuple[str, str] | None:
    """What to do with a test marked ``keyring``: None (run it), or (action, reason)
    where action is "skip" or "fail"."""
    if env.get(REAL_KEYRING_ENV) == "1":
        return None
    reason = (
        "needs a real Secret Service: run through ./scripts/dev.sh test, which starts "
        "gnome-keyring in a private D-Bus session (scripts/with-keyring.sh) and sets "
        f"{REAL_KEYRING_ENV}=1"
    )
    if is_ci(env):
        return ("fail", f"CI is set but {REAL_KEYRING_ENV} is not: {reason}")
    return ("skip", reason)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("keyring") is None:
        return
    verdict = keyring_gate()
    if verdict is None:
        return
    action, reason = verdict
    if action == "fail":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_xdg_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Point the XDG base directories at folders of this test's tmp_path."""
    dirs: dict[str, Path] = {}
    for var in XDG_VARS:
        d = tmp_path / "xdg" / var.removeprefix("XDG_").removesuffix("_HOME").lower()
        d.mkdir(parents=True)
        monkeypatch.setenv(var, str(d))
        dirs[var] = d
    return dirs


@dataclass(frozen=True)
class RealKeyring:
    """The real Secret Service backend and a service name unique to one test."""

    backend: Any
    service: str


@pytest.fixture
def real_keyring() -> Iterator[RealKeyring]:
    """The real keyring (applies the ``keyring`` gate even if the test is not marked).

    Use ``real_keyring.service`` as the service name so tests never collide; the whole
    keyring lives in a throw-away home (scripts/with-keyring.sh) anyway.
    """
    verdict = keyring_gate()
    if verdict is not None:
        action, reason = verdict
        if action == "fail":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    import keyring
    from keyring.backends import SecretService

    backend = keyring.get_keyring()
    assert isinstance(backend, SecretService.Keyring), (
        f"expected keyring.backends.SecretService.Keyring, got {type(backend)!r}"
    )
    yield RealKeyring(backend=backend, service=f"cognito-resend-test-{uuid.uuid4().hex}")
