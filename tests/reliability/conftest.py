"""Reliability suite plumbing: a count of generated (property-based) cases, printed in the
pytest summary, and a clean root logger after tests that install the app's log set-up."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

# The count of property-based cases run, by input surface (form, CLI, profile file, CSV
# import, ...): kept and printed by the tests.support.case_count plugin.
from tests.support.case_count import GENERATED_CASES, count_case

__all__ = ["GENERATED_CASES", "count_case"]


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
