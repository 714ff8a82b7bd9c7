"""main.py / app.__main__: which arguments open the window and which run the CLI."""

from __future__ import annotations

import pytest

from app.__main__ import wants_gui


@pytest.mark.parametrize(
    ("args", "gui"),
    [
        ([], True),
        (["-platform", "offscreen"], True),
        (["-style", "fusion"], True),
        (["--self-test"], True),
        (["resend", "--profile", "x"], False),
        (["sandbox"], False),
        (["--help"], False),
        (["-h"], False),
        (["--version"], False),
        (["-v", "history", "list"], False),
        (["bogus"], False),  # argparse explains a mistyped command better than a window
        (["--bogus"], False),
    ],
)
def test_wants_gui(args: list[str], gui: bool) -> None:
    assert wants_gui(args) is gui
