"""The batch runner's pacing on a fake clock: spacing, halving on throttle, slow recovery."""

from __future__ import annotations

import pytest

from app.services.batch_runner import BatchSettings, _Pacer


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_slots_are_spaced_by_the_rate_and_idle_time_is_not_banked() -> None:
    clock = Clock()
    pacer = _Pacer(BatchSettings(rate_per_s=4.0), clock)
    waits = [pacer.reserve() for _ in range(4)]
    assert waits == [0.0, 0.25, 0.5, 0.75]
    clock.now += 60.0  # idle for a minute: no burst of 240 calls afterwards
    assert [pacer.reserve() for _ in range(2)] == [0.0, 0.25]


def test_throttle_halves_down_to_the_floor_and_delivery_recovers_to_the_ceiling() -> None:
    clock = Clock()
    s = BatchSettings(rate_per_s=8.0, min_rate_per_s=1.5, recovery_fraction=0.25)
    pacer = _Pacer(s, clock)
    pacer.throttled()
    assert pacer.rate == 4.0
    pacer.throttled()
    pacer.throttled()
    assert pacer.rate == 1.5
    pacer.delivered()
    assert pacer.rate == 3.5
    for _ in range(10):
        pacer.delivered()
    assert pacer.rate == 8.0


def test_a_throttle_pushes_the_next_slot_back() -> None:
    clock = Clock()
    pacer = _Pacer(BatchSettings(rate_per_s=10.0), clock)
    pacer.throttled()  # rate 5/s: everyone waits one slot of 0.2 s
    assert pacer.reserve() == pytest.approx(0.2)


@pytest.mark.parametrize(
    "kwargs", [{"concurrency": 0}, {"concurrency": 33}, {"rate_per_s": 0}, {"rate_per_s": 1e6}]
)
def test_settings_out_of_range_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        BatchSettings(**kwargs)  # type: ignore[arg-type]
