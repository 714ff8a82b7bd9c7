"""Reliability suite plumbing: a count of generated (property-based) cases, printed in the
pytest summary, and a clean root logger after tests that install the app's log set-up."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator

import pytest

# Property-based cases run, by input surface (form, CLI, profile file, CSV import, ...).
GENERATED_CASES: Counter[str] = Counter()


def count_case(surface: str) -> None:
    GENERATED_CASES[surface] += 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not GENERATED_CASES:
        return
    total = sum(GENERATED_CASES.values())
    parts = ", ".join(f"{k} {v:,}" for k, v in sorted(GENERATED_CASES.items()))
    terminalreporter.write_line(f"reliability: {total:,} generated input cases ({parts})")


@pytest.fixture(autouse=True)
def _restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for h in list(root.handlers):
        if h not in handlers:
            root.removeHandler(h)
            h.close()
    root.setLevel(level)


# The GUI reliability tests (test_gui_*.py) drive the real window through the GUI suite's
# harness: its fixtures, registered for this folder too.
from tests.gui.conftest import harness, qloop  # noqa: E402, F401
