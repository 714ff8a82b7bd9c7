"""Guards against a Qt binding that corrupts reference counts (PySide6 6.12.0 on Python 3.11)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel


class _Emitter(QObject):
    toggled = Signal(bool)


def test_void_calls_do_not_release_none(qtbot) -> None:
    # PySide6 6.12.0 drops one reference to None per void call; a long session then
    # aborts with "none_dealloc". pyproject.toml pins below 6.12 because of this.
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
    assert sys.getrefcount(None) - before > -100


def test_bool_signal_emit_does_not_release_true(qtbot) -> None:
    emitter = _Emitter()
    received: list[bool] = []
    emitter.toggled.connect(received.append)
    before = sys.getrefcount(True)
    for _ in range(2000):
        emitter.toggled.emit(True)
    received.clear()
    assert sys.getrefcount(True) - before > -100
