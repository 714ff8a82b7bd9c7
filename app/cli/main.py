"""The command line's parser and its run: resend, profiles, history, the sandbox, batches.

Only the standard library is imported here; each command imports what it needs (boto3,
keyring, moto) when it runs, so `--help` and light commands start fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from app import APP_NAME, app_version
from app.cli.common import EPILOG, EXIT_FAILURE, EXIT_INPUT, PROG, CliError, para, say
from app.cli.registry import COMMANDS, SUBCOMMANDS, command, command_in

__all__ = ["SUBCOMMANDS", "build_parser", "main"]


class _VersionAction(argparse.Action):
    """--version, reading the installed version only when asked (importlib.metadata is slow)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help=str(kwargs.get("help", "")))

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(f"{parser.prog} {app_version()}")
        parser.exit()


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The CLI's parser; with `only`, just that command's parser is built.

    Building every subparser costs start-up time (batch's defaults import the batch
    runner, and asyncio with it); a command line that names its command needs only its own.
    """
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=para(
            f"{APP_NAME}: resend Amazon Cognito sign-up confirmation codes and explain what "
            "happened. Without a command, the window opens."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="also print the log to standard error"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for entry in COMMANDS:
        if only is None or entry.name == only:
            entry.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one CLI command; returns the process exit code (see the epilog)."""
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(only=command_in(words))
    args = parser.parse_args(words)
    entry = command(args.command) if args.command is not None else None
    if entry is None:
        parser.print_help()
        return EXIT_INPUT
    try:
        from app.cli.common import app_paths, setup_logging

        # First, so that even a failing import below ends up in the log, not on the terminal.
        setup_logging(app_paths(), args.verbose)
        return entry.run(args)
    except CliError as exc:
        say(f"{PROG} {args.command}: {exc}")
        return exc.code
    except KeyboardInterrupt:
        say(f"{PROG} {args.command}: interrupted")
        return 130
    except Exception as exc:
        import logging

        logging.getLogger(__name__).exception("unexpected error in %s", args.command)
        say(
            f"{PROG} {args.command}: unexpected {type(exc).__name__}; details are in the "
            "log file (run with --verbose to see them here)"
        )
        return EXIT_FAILURE
