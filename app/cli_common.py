"""What every CLI subcommand shares: exit codes, messages, the app's folders and its log."""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, NoReturn, TextIO

from app.core.outcome import Attempt, FailureKind, Status

if TYPE_CHECKING:
    from app.services.paths import AppPaths

EXIT_OK = 0
EXIT_FAILURE = 1  # anything not covered below (a file that cannot be written, a bug)
EXIT_INPUT = 2  # bad input: a flag's value breaks a rule (argparse uses 2 as well)
EXIT_COGNITO = 3  # Cognito answered with an error
EXIT_NETWORK = 4  # endpoint unreachable, timeout, TLS, DNS, unreadable answer
EXIT_CREDENTIALS = 5  # the keyring is missing, locked or lacks the profile's credentials

SANDBOX_URL_ENV = "COGNITO_RESEND_SANDBOX_URL"
PROG = "cognito-resend"


class CliError(Exception):
    """A problem to report in one plain sentence and exit with `code`; never a traceback."""

    def __init__(self, message: str, code: int = EXIT_INPUT) -> None:
        super().__init__(message)
        self.code = code


def fail(message: str, code: int = EXIT_INPUT) -> NoReturn:
    raise CliError(message, code)


def say(text: str, out: TextIO | None = None) -> None:
    """Print a line for the person (stderr by default: stdout is for results)."""
    print(text, file=out or sys.stderr)


def print_json(data: object, out: TextIO | None = None) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False), file=out or sys.stdout)


def exit_code_for(attempt: Attempt) -> int:
    """The process exit code that tells a script how a resend ended."""
    if attempt.status is Status.DELIVERED:
        return EXIT_OK
    if attempt.failure is None:
        return EXIT_FAILURE
    return {
        FailureKind.SERVICE: EXIT_COGNITO,
        FailureKind.NETWORK: EXIT_NETWORK,
        FailureKind.INPUT: EXIT_INPUT,
        FailureKind.CREDENTIALS: EXIT_CREDENTIALS,
    }[attempt.failure.kind]


def app_paths() -> AppPaths:
    """The platform folders (XDG_* relocate them), created if missing."""
    from app.services.paths import AppPaths

    try:
        return AppPaths.from_platform().ensure()
    except OSError as exc:
        fail(f"cannot create the app's folders: {exc}", EXIT_FAILURE)


def setup_logging(paths: AppPaths, verbose: bool) -> None:
    import logging

    from app.services.logging_setup import configure_logging

    try:
        configure_logging(paths.log_file, stderr_level=logging.INFO if verbose else None)
    except OSError as exc:
        say(f"warning: cannot write the log file {paths.log_file}: {exc}")


def sandbox_url(flag_value: str | None) -> str | None:
    """The running sandbox named by --endpoint-url or $COGNITO_RESEND_SANDBOX_URL, if any."""
    value = (flag_value or os.environ.get(SANDBOX_URL_ENV, "")).strip()
    return value or None
