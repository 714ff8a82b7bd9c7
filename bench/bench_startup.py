"""Benchmark: time to an interactive window, the app from source vs a bare PySide6 window."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, child_env, emit, figure, time_to_line, tiny

# Printed by app/ui/staged_start.py on the first loop turn after show(): the window is
# up and its event loop is turning, i.e. it takes input.
MARKER = "cognito-resend: main window shown"
TARGET_RATIO = 1.3

# The baseline: the least a PySide6 window can cost in this Python, measured the same way.
BARE_WINDOW = f"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow()
w.resize(900, 600)
w.show()
QTimer.singleShot(0, lambda: (print({MARKER!r}, flush=True), app.quit()))
app.exec()
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=2 if tiny() else 11)
    args = parser.parse_args(argv)
    app_cmd = [sys.executable, str(ROOT / "main.py")]
    bare_cmd = [sys.executable, "-c", BARE_WINDOW]
    app_s: list[float] = []
    bare_s: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        env = child_env(Path(tmp), COGNITO_RESEND_EXIT_AFTER_SHOWN="1")
        # Unmeasured: the first start of each reads its files into the page cache.
        time_to_line(app_cmd, env, MARKER)
        time_to_line(bare_cmd, env, MARKER)
        for _ in range(args.runs):  # interleaved, so load changes hit both alike
            app_s.append(time_to_line(app_cmd, env, MARKER) * 1000)
            bare_s.append(time_to_line(bare_cmd, env, MARKER) * 1000)
    emit(
        figure(
            "startup_window",
            app_s,
            bare_s,
            unit="ms",
            target=TARGET_RATIO,
            description="process start to main window shown and a timer fired on its loop "
            "(python main.py, offscreen) vs a bare PySide6 QMainWindow in the same Python",
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
