"""The diagnosis controller: debounced, off the UI thread, stale results dropped."""

from __future__ import annotations

import asyncio
import threading
import time
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from app.core.diagnosis import diagnose
from app.core.diagnosis_result import Diagnosis
from app.core.profile import Profile
from app.services.aws_session import AdminTarget, AwsCredentialSource
from app.ui.controllers.diagnosis import DiagnosisController, DiagnosisResult
from app.ui.controllers.tasks import TaskGroup
from tests.unit.core.diagnosis_cases import ALICE, DAVE, ENABLED, given_input

if TYPE_CHECKING:
    from app.services.admin_stack import AdminServices


class _SlowDiagnosis:
    """Diagnoses by name after `delay` seconds in the worker thread; counts its calls."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.calls: list[str] = []
        self.threads: set[int] = set()

    def diagnose(self, target: AdminTarget, identifier: str, **_: object) -> Diagnosis:
        self.calls.append(identifier)
        self.threads.add(threading.get_ident())
        time.sleep(self.delay)
        user = DAVE if identifier == "dave" else ALICE
        return diagnose(given_input(user, identifier=identifier, client=ENABLED))


_TARGET = AdminTarget(Profile("Sandbox", "us-east-1", builtin=True), "cid", AwsCredentialSource())


def _controller(delay: float = 0.0, debounce_ms: int = 50) -> tuple[DiagnosisController, Any]:
    fake = _SlowDiagnosis(delay)
    # Only `.diagnosis` of AdminServices is used here.
    services = cast("AdminServices", SimpleNamespace(diagnosis=fake))
    controller = DiagnosisController(
        TaskGroup(), lambda: services, lambda name: _TARGET, debounce_ms=debounce_ms
    )
    return controller, fake


def test_typing_is_debounced_into_one_diagnosis(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    controller, fake = _controller()
    with qtbot.waitSignal(controller.diagnosis_ready, timeout=5000) as ready:
        for prefix in ("a", "al", "ali", "alic", "alice"):
            controller.request("Sandbox", prefix)
    result = ready.args[0]
    assert isinstance(result, DiagnosisResult) and result.identifier == "alice"
    assert fake.calls == ["alice"]
    assert threading.get_ident() not in fake.threads  # never on the UI thread
    assert controller.for_send("Sandbox", "alice") is result.diagnosis
    assert controller.for_send("Sandbox", "bob") is None


def test_a_stale_result_is_dropped(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    controller, fake = _controller(delay=0.3, debounce_ms=10)
    shown: list[str] = []
    controller.diagnosis_ready.connect(lambda r: shown.append(r.identifier))
    with qtbot.waitSignal(controller.diagnosis_started, timeout=2000):
        controller.request("Sandbox", "alice")
    controller.request("Sandbox", "dave")  # while alice's diagnosis is still running
    qtbot.waitUntil(lambda: shown == ["dave"], timeout=5000)
    qtbot.wait(400)  # alice's late answer must not replace it
    assert shown == ["dave"] and fake.calls == ["alice", "dave"]


def test_the_window_keeps_painting_while_a_diagnosis_runs(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    controller, _ = _controller(delay=0.8, debounce_ms=10)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    try:
        with qtbot.waitSignal(controller.diagnosis_ready, timeout=5000):
            controller.request("Sandbox", "alice")
    finally:
        timer.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    assert len(ticks) > 30 and max(gaps) < 0.25, f"worst gap {max(gaps) * 1000:.0f} ms"


def test_clearing_the_field_clears_the_card(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    controller, fake = _controller()
    with qtbot.waitSignal(controller.diagnosis_cleared):
        controller.request("Sandbox", "   ")
    assert fake.calls == [] and controller.latest is None


@pytest.mark.parametrize("closing", [True])
def test_nothing_starts_while_closing(qtbot: QtBot, qloop: asyncio.AbstractEventLoop,
                                      closing: bool) -> None:  # fmt: skip
    controller, fake = _controller(debounce_ms=1)
    controller._tasks.closing = closing  # type: ignore[attr-defined]
    controller.request("Sandbox", "alice")
    qtbot.wait(100)
    assert fake.calls == []
