"""Entry point: the window without a command (or with only Qt options), the CLI otherwise."""

from __future__ import annotations

import sys
from collections.abc import Sequence

# Arguments that mean "the window", not a CLI command: Qt's own options (-platform,
# -style, ...) and the GUI's start-up check.
_GUI_FLAGS = ("--self-test",)


def wants_gui(args: Sequence[str]) -> bool:
    """True when no CLI command, help or version was asked for."""
    if not args:  # the window's usual start: no need to read the CLI's registry
        return True
    from app.cli.registry import SUBCOMMANDS

    first = args[0]
    if first in SUBCOMMANDS or first in ("-h", "--help", "--version", "-v", "--verbose"):
        return False
    # Qt options start with a single dash (-platform offscreen); an unknown word is a
    # mistyped command, which argparse explains better than a window would.
    return first in _GUI_FLAGS or (first.startswith("-") and not first.startswith("--"))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the app; returns the process exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--self-test"]:  # headless install check, no window (app/cli/selftest.py)
        from app.cli.selftest import main as self_test

        return self_test(args[1:])
    if wants_gui(args):
        from app.ui.application import run_gui

        return run_gui([sys.argv[0] if sys.argv else "cognito-resend", *args])
    from app.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    raise SystemExit(main())
