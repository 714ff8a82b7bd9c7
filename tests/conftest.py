"""Root test configuration: the harness every test runs in.

- Qt runs offscreen (no display needed) and qasync uses PySide6; both are set here,
  at import time, before anything imports Qt.
- Every test gets its own XDG config/data/state/cache folders, so the app's config,
  history and logs (found through platformdirs) start fresh each time.
- Tests marked ``keyring`` need the real Secret Service that
  ``scripts/with-keyring.sh`` provides (it sets COGNITO_RESEND_REAL_KEYRING=1). Without
  it they skip, saying why -- except under CI, where they fail: CI must never skip the
  real-keyring proof silently.
- Hypothesis runs the ``ci`` profile unless told otherwise: derandomized (each property
  draws the same examples on every run and machine, so any failure replays), no example
  database, and a failure prints its ``@reproduce_failure`` blob. The ``deep`` profile
  runs ten times as many examples of every property, also derandomized (so a failure
  it finds replays the same way on any machine), and is only run on purpose::

      ./scripts/dev.sh test -- --hypothesis-profile=deep tests/unit tests/reliability

  (``HYPOTHESIS_PROFILE=deep`` in the environment does the same.)
- A test that runs past its timeout fails at once and is never shrunk by Hypothesis
  (``tests/support/timeouts.py``).
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

import pytest
from hypothesis import Verbosity, settings

# The sandbox fixtures shared across the suite, the fail-at-once timeout, and the count of
# generated cases in the summary (also under pytest-xdist).
pytest_plugins = ["tests.support.sandbox", "tests.support.timeouts", "tests.support.case_count"]

# -- Hypothesis profiles (see the module docstring) ----------------------------------------
DEEP_FACTOR = 10
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile(
    "deep",
    max_examples=100 * DEEP_FACTOR,
    derandomize=True,
    database=None,
    print_blob=True,
    verbosity=Verbosity.normal,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    _deepen(items)


def _deepen(items: list[pytest.Item]) -> None:
    """Under ``deep``, properties that name their own ``max_examples`` run DEEP_FACTOR
    times as many too (a profile alone only changes those that do not)."""
    if settings().max_examples < 100 * DEEP_FACTOR:
        return
    for item in items:
        test = getattr(item, "obj", None)
        own = getattr(test, "_hypothesis_internal_use_settings", None)
        if own is None or own.max_examples >= settings().max_examples:
            continue
        deeper = settings(own, max_examples=own.max_examples * DEEP_FACTOR)
        test._hypothesis_internal_use_settings = deeper  # type: ignore[union-attr]

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


@pytest.fixture(autouse=True)
def _one_keyring_user_at_a_time(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tests that reach the one real Secret Service take turns across pytest-xdist workers.

    Seen in a CI-style run on two workers: three secret-scan tests found the keyring
    unavailable (exit 5) while another worker's keyring test ran; each passed alone. The
    workers of one run share the D-Bus session (scripts/with-keyring.sh), so a lock file
    named after its address is theirs alone; the OS drops it if a worker dies.
    (pytest-xdist's --dist loadgroup would do this, but with pytest 9.2 it ignores the
    groups: it renames nodeids through an attribute pytest no longer reads.)
    """
    item = request.node
    real = item.get_closest_marker("keyring") is not None or "real_keyring" in getattr(
        item, "fixturenames", ()
    )
    bus = os.environ.get("DBUS_SESSION_BUS_ADDRESS", "")
    if not real or not bus or "PYTEST_XDIST_WORKER" not in os.environ:
        yield
        return
    import fcntl
    import hashlib
    import tempfile

    digest = hashlib.sha256(bus.encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"cognito-resend-keyring-{digest}.lock"
    with path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
