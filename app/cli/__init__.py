"""The command line: one registry of commands (`registry`), their modules, and the self-test.

Importing the package costs nothing: `app.__main__` reads the command names from
`app.cli.registry` to decide between the window and the CLI, and `main` imports the
parser only when it runs.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run one CLI command (the `cognito-resend-cli` entry point); returns the exit code."""
    from app.cli.collector import paused
    from app.cli.registry import command, command_in

    words = list(sys.argv[1:] if argv is None else argv)
    name = command_in(words)
    entry = command(name) if name is not None else None
    # Before the parser's imports: they are part of what a one-shot command allocates.
    with paused(entry is not None and entry.one_shot):
        from app.cli.main import main as run

        return run(words)
