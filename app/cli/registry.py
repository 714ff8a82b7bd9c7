"""The CLI's one registry of commands: name, and the module with its parser and its run.

Standard library only, and the command modules are imported on use: starting the window
reads `SUBCOMMANDS` from here without importing the CLI, and a command line that names
its command builds only that command's parser.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from app.cli.args import SubParsers


@dataclass(frozen=True)
class Command:
    """One subcommand: `module` defines `add_parser(sub)` and `run(args) -> exit code`."""

    name: str
    module: str
    # One call and done (app.cli.collector pauses the cycle collector for it); False for
    # what runs long or loops (the sandbox server, batches) and makes garbage to free.
    one_shot: bool = False

    def add_parser(self, sub: SubParsers) -> None:
        add: Callable[[SubParsers], None] = importlib.import_module(self.module).add_parser
        add(sub)

    def run(self, args: argparse.Namespace) -> int:
        run: Callable[[argparse.Namespace], int] = importlib.import_module(self.module).run
        return run(args)


# In the order `--help` lists them.
COMMANDS: tuple[Command, ...] = (
    Command("sandbox", "app.cli.sandbox"),
    Command("profiles", "app.cli.profiles"),
    Command("resend", "app.cli.resend", one_shot=True),
    Command("signup", "app.cli.signup", one_shot=True),
    Command("confirm", "app.cli.confirm", one_shot=True),
    Command("history", "app.cli.history"),
    Command("inbox", "app.cli.inbox"),
    Command("batch", "app.cli.batch"),
    Command("trigger-event", "app.cli.trigger"),
    Command("users", "app.cli.users"),
    Command("diagnose", "app.cli.diagnose"),
    Command("admin", "app.cli.admin"),
)
SUBCOMMANDS: tuple[str, ...] = tuple(c.name for c in COMMANDS)


def command(name: str) -> Command | None:
    return next((c for c in COMMANDS if c.name == name), None)


def command_in(argv: Sequence[str]) -> str | None:
    """The command argv names, if its first word that is not an option is one."""
    first = next((a for a in argv if not a.startswith("-")), None)
    return first if first in SUBCOMMANDS else None
