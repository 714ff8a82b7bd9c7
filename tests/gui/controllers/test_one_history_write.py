"""A window's send writes its attempt to the history exactly once, with or without the
sandbox's local trigger (the trigger notes are in that one write)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from app.core.outcome import Attempt, Status
from app.services.history_store import HistoryStore
from tests.gui.conftest import WindowHarness
from tests.gui.window.test_trigger_ui import attach, spec


@pytest.fixture
def detached(harness: WindowHarness) -> Iterator[WindowHarness]:
    yield harness
    harness.sandbox.set_custom_message_trigger(None)  # the sandbox is shared


def _counting(h: WindowHarness, writes: Counter[str]) -> Any:
    base = h.factories().history

    def history() -> HistoryStore:
        store = base()
        append = store.append

        def counted(a: Attempt) -> None:
            writes[a.attempt_id] += 1
            append(a)

        store.append = counted  # type: ignore[method-assign]
        return store

    return history


@pytest.mark.parametrize("with_trigger", [False, True], ids=["no-trigger", "trigger"])
def test_one_history_write_per_attempt(detached: WindowHarness, with_trigger: bool) -> None:
    writes: Counter[str] = Counter()
    window = detached.open(detached.factories(history=_counting(detached, writes)))
    if with_trigger:
        attach(detached, window, spec("ok"))
    final = detached.send(window, "alice")
    assert final.status is Status.DELIVERED
    assert bool(final.notes) is with_trigger
    assert writes == Counter({final.attempt_id: 1})
    store = window.controllers.session.history
    assert store is not None
    stored = store.get(final.attempt_id)
    assert stored is not None and stored.notes == final.notes
