"""Pytest plugin: the count of generated (property-based) input cases, by surface, printed
in the pytest summary. Tests call ``count_case(surface)`` per case they check.

Under pytest-xdist each worker counts its own cases and hands them to the controller,
which adds them up and prints the one total.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

GENERATED_CASES: Counter[str] = Counter()


def count_case(surface: str) -> None:
    GENERATED_CASES[surface] += 1


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker
        workeroutput["generated_cases"] = dict(GENERATED_CASES)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    GENERATED_CASES.update(getattr(node, "workeroutput", {}).get("generated_cases", {}))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not GENERATED_CASES:
        return
    total = sum(GENERATED_CASES.values())
    parts = ", ".join(f"{k} {v:,}" for k, v in sorted(GENERATED_CASES.items()))
    terminalreporter.write_line(f"reliability: {total:,} generated input cases ({parts})")
