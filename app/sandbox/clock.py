"""The sandbox's clock: real UTC time plus an offset a tester moves to test code expiry."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any


def iso(moment: datetime) -> str:
    """UTC in milliseconds with a Z, the form the inbox and trigger log already use."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso(text: str) -> datetime:
    """An ISO 8601 instant; a naive one is taken as UTC. ValueError when it is not one."""
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class ClockState:
    """What `GET /_sandbox/clock` answers."""

    now: datetime
    offset_seconds: float

    def to_json(self) -> dict[str, Any]:
        return {"now": iso(self.now), "offset_seconds": self.offset_seconds}


class SandboxClock:
    """Real time shifted by an offset; only ever moved on purpose (advance, set, reset).

    An offset rather than a frozen instant: codes issued after a jump still age in real
    time, as they would on Cognito a day later.
    """

    def __init__(self, real: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._real = real
        self._lock = threading.Lock()
        self._offset = timedelta(0)

    def now(self) -> datetime:
        with self._lock:
            offset = self._offset
        return self._real() + offset

    def timestamp(self) -> float:
        """Seconds since the epoch in sandbox time, for counters that keep floats."""
        return self.now().timestamp()

    def advance(self, seconds: float) -> ClockState:
        with self._lock:
            self._offset += timedelta(seconds=seconds)
        return self.state()

    def set(self, moment: datetime) -> ClockState:
        with self._lock:
            self._offset = moment - self._real()
        return self.state()

    def reset(self) -> ClockState:
        with self._lock:
            self._offset = timedelta(0)
        return self.state()

    def state(self) -> ClockState:
        with self._lock:
            offset = self._offset
        return ClockState(self._real() + offset, round(offset.total_seconds(), 3))

    def apply(self, payload: object) -> ClockState:
        """Apply a `POST /_sandbox/clock` body; ValueError says what is wrong with it."""
        if not isinstance(payload, dict) or len(payload) != 1:
            raise ValueError(
                'expected exactly one of {"advance_seconds": N}, {"now": "<ISO 8601>"}, '
                '{"reset": true}'
            )
        ((key, value),) = payload.items()
        if key == "advance_seconds":
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError('"advance_seconds" must be a number')
            return self.advance(float(value))
        if key == "now":
            if not isinstance(value, str):
                raise ValueError('"now" must be an ISO 8601 string')
            return self.set(parse_iso(value))
        if key == "reset" and value is True:
            return self.reset()
        raise ValueError(f"unknown clock setting {key!r}")
