"""Pytest plugin: a test that runs past its timeout fails at once, and is never shrunk.

pytest-timeout's own ``signal`` method ends a test with ``pytest.fail()``. Hypothesis
counts pytest's ``Failed`` as an ordinary failure (so that ``pytest.fail`` works inside a
property), so a property whose example hung went on to *shrink*: it ran more examples,
each of which could hang again until the timeout fired once more (a CLI fuzz case that
started a sandbox server took 9 minutes this way instead of failing).

This plugin takes over pytest-timeout's timer (its ``pytest_timeout_set_timer`` hook is
first-result and pytest-timeout's own implementation runs last): on SIGALRM it dumps the
threads' stacks like pytest-timeout and raises ``TestTimedOut``, a ``BaseException``
that is neither ``Exception`` nor ``Failed``. Hypothesis lets such an exception through
untouched (no shrinking, no replay), and pytest reports the test as failed and goes on
with the next one. Where SIGALRM cannot be used (not the main thread, or
``timeout_method = "thread"``) pytest-timeout's own behaviour applies.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

import pytest


class TestTimedOut(BaseException):
    """The test ran past its timeout (pytest-timeout's ``timeout`` ini value or marker)."""

    __test__ = False  # not a test class, despite the name


@pytest.hookimpl(tryfirst=True)
def pytest_timeout_set_timer(item: pytest.Item, settings: Any) -> bool | None:
    if settings.method != "signal" or threading.current_thread() is not threading.main_thread():
        return None  # pytest-timeout's own implementation handles it
    timeout = float(settings.timeout)

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        __tracebackhide__ = True
        from pytest_timeout import dump_stacks

        terminal = item.config.get_terminal_writer()
        terminal.sep("+", title=f"Timeout: {item.nodeid} ran past {timeout:g} s")
        dump_stacks(terminal)
        terminal.sep("+", title="Timeout")
        raise TestTimedOut(
            f"ran past its {timeout:g} s timeout: failed at once (not retried or shrunk)"
        )

    def cancel() -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)

    item.cancel_timeout = cancel  # type: ignore[attr-defined]  # pytest-timeout calls it
    signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    return True
