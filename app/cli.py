"""The command line: resend, profiles, history, the sandbox and its inbox (argparse, lean imports).

Only the standard library is imported here; each subcommand imports what it needs
(boto3, keyring, moto) when it runs, so `--help` and light commands start fast.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Callable, Sequence

from app import APP_NAME, app_version
from app.cli_commands import SUBCOMMANDS
from app.cli_common import (
    EXIT_FAILURE,
    EXIT_INPUT,
    PROG,
    SANDBOX_URL_ENV,
    CliError,
    say,
)
from app.core.profile import SANDBOX_PROFILE_NAME

__all__ = ["SUBCOMMANDS", "build_parser", "main"]

_EPILOG = f"""\
exit codes:
  0  delivered (or the command did what it was asked)
  2  bad input: a flag's value breaks a rule; the message names the flag
  3  Cognito answered with an error (wrong secret, user not found, limit exceeded, ...)
  4  network or endpoint problem (unreachable, DNS, timeout, TLS, unreadable answer)
  5  keyring problem: missing, locked, or the profile's credentials are not in it
  1  anything else (see the log file)

Run without arguments to open the window. The built-in profile "{SANDBOX_PROFILE_NAME}"
needs no AWS account: start one with `{PROG} sandbox`, or let `resend` start one
for the call.
"""


def _para(text: str) -> str:
    """A long description wrapped for the raw formatter (which keeps the epilog's layout)."""
    return textwrap.fill(text, width=79)


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0.1 <= value <= 300:
        raise argparse.ArgumentTypeError(f"{text!r}: must be between 0.1 and 300 seconds")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r}: a port is 0-65535 (0 picks a free one)")
    return value


def _count(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text!r}: must be from {low} to {high}")
        return value

    return parse


def _add_sandbox(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "sandbox",
        help="run a local Cognito sandbox (no AWS account needed) until Ctrl+C",
        description="Run a local Cognito-compatible endpoint with seeded app clients "
        "(public, protected, secret) and users (alice, bob, carol, qa-user-001..010). "
        "Codes it 'sends' land in its inbox (see the inbox command). Usernames "
        "fault-<kind> provoke errors, e.g. fault-throttle, fault-limit, fault-slow-2.",
    )
    p.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    p.add_argument(
        "--port", type=_port, default=0, help="port to listen on; 0 picks a free one (default)"
    )
    p.add_argument(
        "--json", action="store_true", help="print the connection details as one JSON line"
    )
    p.add_argument(
        "--resend-limit",
        type=_count(1, 10_000),
        default=5,
        metavar="N",
        help="resends allowed per user per hour before LimitExceededException (default: 5)",
    )
    from app import cli_trigger

    cli_trigger.add_sandbox_flag(p)


def _add_profiles(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "profiles",
        help="add, list, show or remove profiles (client IDs and secrets go to the keyring)",
        description="A profile names one app client: its region, optional endpoint URL and "
        "user pool ID are kept in a file; its client ID and client secret in the system "
        "keyring, never in a file.",
    )
    psub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = psub.add_parser(
        "add",
        help="add a profile (or replace one with the same name)",
        description="Add a profile, or replace the one with the same name. The client "
        "secret is never taken from the command line (it would land in shell history): "
        "pipe it with --secret-stdin or type it with --secret-prompt.",
    )
    add.add_argument("name", metavar="NAME", help="the profile's name, e.g. staging")
    add.add_argument("--region", required=True, help="the user pool's region, e.g. eu-west-1")
    add.add_argument("--client-id", required=True, help="the app client ID")
    add.add_argument("--endpoint-url", help="a non-AWS endpoint, e.g. http://127.0.0.1:4566")
    add.add_argument("--user-pool-id", help="the user pool ID (shown only; optional)")
    secret = add.add_mutually_exclusive_group()
    secret.add_argument(
        "--secret-stdin",
        action="store_true",
        help="read the client secret from the first line of standard input",
    )
    secret.add_argument(
        "--secret-prompt", action="store_true", help="ask for the client secret (not echoed)"
    )
    lst = psub.add_parser("list", help="list the profiles")
    lst.add_argument("--json", action="store_true", help="print JSON")
    show = psub.add_parser("show", help="show one profile (never its secret)")
    show.add_argument("name", metavar="NAME")
    show.add_argument("--json", action="store_true", help="print JSON")
    rm = psub.add_parser("remove", help="remove a profile and its keyring entries")
    rm.add_argument("name", metavar="NAME")


def _add_resend(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "resend",
        help="resend a sign-up confirmation code and explain the outcome",
        description=_para(
            "Call Cognito's ResendConfirmationCode for one user and explain what happened. "
            "The SecretHash is computed for you when the profile has a client secret. Every "
            "resend is added to the history."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--profile",
        required=True,
        help=f"the profile to use; '{SANDBOX_PROFILE_NAME}' is the built-in local sandbox",
    )
    p.add_argument("--username", required=True, help="the username (or email/phone alias)")
    p.add_argument(
        "--metadata",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a ClientMetadata entry for the Lambda triggers (repeatable)",
    )
    p.add_argument(
        "--metadata-json",
        metavar="JSON",
        help='ClientMetadata as a JSON object of strings, e.g. \'{"flow": "qa"}\'',
    )
    p.add_argument("--analytics-endpoint-id", default="", metavar="ID",
                   help="AnalyticsMetadata.AnalyticsEndpointId (Amazon Pinpoint)")
    p.add_argument("--ip", default="", metavar="IP", help="UserContextData.IpAddress")
    p.add_argument("--encoded-data", default="", metavar="DATA",
                   help="UserContextData.EncodedData (advanced security fingerprint)")
    p.add_argument("--json", action="store_true", help="print the outcome as one JSON object")
    p.add_argument(
        "--timeout",
        type=_positive_seconds,
        metavar="SECONDS",
        help="how long to wait for Cognito's answer (default: 10)",
    )
    p.add_argument(
        "--endpoint-url",
        metavar="URL",
        help=f"with --profile {SANDBOX_PROFILE_NAME}: the running sandbox to use (default: "
        f"${SANDBOX_URL_ENV}, else an embedded sandbox is started for this call); with "
        "another profile: overrides its endpoint URL for this call",
    )
    p.add_argument(
        "--sandbox-client",
        choices=("public", "protected", "secret"),
        default="public",
        help=f"with --profile {SANDBOX_PROFILE_NAME}: which seeded app client to use "
        "(default: %(default)s)",
    )


def _add_history(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("history", help="list or export past resends (never holds secrets)")
    hsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    lst = hsub.add_parser("list", help="the most recent resends, newest first")
    lst.add_argument("--limit", type=_count(1, 100_000), default=20, metavar="N",
                     help="how many (default: %(default)s)")
    lst.add_argument("--json", action="store_true", help="print JSON")
    exp = hsub.add_parser("export", help="export resends as CSV or JSON")
    exp.add_argument("--format", required=True, choices=("csv", "json"), help="file format")
    exp.add_argument("--output", metavar="FILE", help="write to FILE (default: standard output)")
    exp.add_argument("--profile", metavar="NAME", help="only this profile's resends")
    exp.add_argument("--username", metavar="U", help="only this username's resends")


def _add_inbox(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "inbox",
        help="show the codes a running sandbox has 'sent'",
        description="Read the inbox of a sandbox running in another process (started with "
        f"`{PROG} sandbox`).",
    )
    p.add_argument("--endpoint-url", metavar="URL",
                   help=f"the sandbox's URL (default: ${SANDBOX_URL_ENV})")
    p.add_argument("--username", metavar="U", help="only this user's messages")
    p.add_argument("--json", action="store_true", help="print JSON")


class _VersionAction(argparse.Action):
    """--version, reading the installed version only when asked (importlib.metadata is slow)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help=str(kwargs.get("help", "")))

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(f"{parser.prog} {app_version()}")
        parser.exit()


def _add_batch(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from app import cli_batch

    cli_batch.add_parser(sub)


def _add_trigger(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from app import cli_trigger

    cli_trigger.add_parser(sub)


# In the order `--help` lists them.
_ADDERS: dict[str, Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = {
    "sandbox": _add_sandbox,
    "profiles": _add_profiles,
    "resend": _add_resend,
    "history": _add_history,
    "inbox": _add_inbox,
    "batch": _add_batch,
    "trigger-event": _add_trigger,
}


def _command_in(argv: Sequence[str]) -> str | None:
    """The subcommand argv names, if its first word that is not an option is one."""
    first = next((a for a in argv if not a.startswith("-")), None)
    return first if first in _ADDERS else None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The CLI's parser; with `only`, just that subcommand's parser is built.

    Building every subparser costs start-up time (batch's defaults import the batch
    runner, and asyncio with it); a command line that names its command needs only its own.
    """
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=_para(
            f"{APP_NAME}: resend Amazon Cognito sign-up confirmation codes and explain what "
            "happened. Without a command, the window opens."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="also print the log to standard error"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, add in _ADDERS.items():
        if only is None or name == only:
            add(sub)
    return parser


def _dispatch(args: argparse.Namespace) -> int:
    # Imported here, per command, to keep start-up lean.
    if args.command == "resend":
        from app.cli_resend import run_resend

        return run_resend(args)
    if args.command == "profiles":
        from app.cli_profiles import run_profiles

        return run_profiles(args)
    if args.command == "history":
        from app.cli_history import run_history

        return run_history(args)
    if args.command == "sandbox":
        from app.cli_sandbox import run_sandbox

        return run_sandbox(args)
    if args.command == "inbox":
        from app.cli_sandbox import run_inbox

        return run_inbox(args)
    if args.command == "trigger-event":
        from app import cli_trigger

        return cli_trigger.run(args)
    if args.command == "batch":
        from app import cli_batch

        return cli_batch.run(args)
    raise AssertionError(f"unhandled command {args.command!r}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one CLI command; returns the process exit code (see the epilog)."""
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(only=_command_in(words))
    args = parser.parse_args(words)
    if args.command is None:
        parser.print_help()
        return EXIT_INPUT
    try:
        from app.cli_common import app_paths, setup_logging

        # First, so that even a failing import below ends up in the log, not on the terminal.
        setup_logging(app_paths(), args.verbose)
        return _dispatch(args)
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
