"""The command line: one registry of commands (`registry`), their modules, and the self-test.

Importing the package costs nothing: `app.__main__` reads the command names from
`app.cli.registry` to decide between the window and the CLI, and `main` imports the
parser only when it runs.
"""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run one CLI command (the `cognito-resend-cli` entry point); returns the exit code."""
    from app.cli.main import main as run

    return run(argv)
