"""What the CLI commands share: exit codes, messages, folders, log, the stack, targets, JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, NoReturn, TextIO

from app.core.outcome import Attempt, FailureKind, Status
from app.core.profile import SANDBOX_PROFILE_NAME, ClientCredentials, Profile

if TYPE_CHECKING:
    from app.sandbox.model import SandboxInfo
    from app.services.cognito_gateway import GatewayConfig
    from app.services.composition import Composition
    from app.services.paths import AppPaths
    from app.services.sandbox_service import SandboxService

EXIT_OK = 0
EXIT_FAILURE = 1  # anything not covered below (a file that cannot be written, a bug)
EXIT_INPUT = 2  # bad input: a flag's value breaks a rule (argparse uses 2 as well)
EXIT_COGNITO = 3  # Cognito answered with an error
EXIT_NETWORK = 4  # endpoint unreachable, timeout, TLS, DNS, unreadable answer
EXIT_CREDENTIALS = 5  # the keyring is missing, locked or lacks the profile's credentials

# How a resend (or the worst row of a batch) ended, as the exit code a script reads.
EXIT_FOR_KIND = {
    FailureKind.SERVICE: EXIT_COGNITO,
    FailureKind.NETWORK: EXIT_NETWORK,
    FailureKind.INPUT: EXIT_INPUT,
    FailureKind.CREDENTIALS: EXIT_CREDENTIALS,
}

SANDBOX_URL_ENV = "COGNITO_RESEND_SANDBOX_URL"
PROG = "cognito-resend"

EPILOG = f"""\
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


def para(text: str) -> str:
    """A long description wrapped for the raw formatter (which keeps the epilog's layout)."""
    import textwrap

    return textwrap.fill(text, width=79)


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
    """The process exit code that tells a script how a resend (sign-up, confirmation) ended.

    An information outcome ("already confirmed") is still 3: nothing was sent or
    confirmed, and a script must be able to tell; its JSON says `"severity": "info"`.
    """
    if attempt.status in (Status.DELIVERED, Status.SUCCEEDED):
        return EXIT_OK
    if attempt.failure is None:
        return EXIT_FAILURE
    return EXIT_FOR_KIND[attempt.failure.kind]


def app_paths() -> AppPaths:
    """The platform folders (XDG_* relocate them), created if missing."""
    from app.services.paths import AppPaths

    try:
        return AppPaths.from_platform().ensure()
    except OSError as exc:
        fail(f"cannot create the app's folders: {exc}", EXIT_FAILURE)


def cli_stack(
    paths: AppPaths, gateway: GatewayConfig | None = None, *, full_history_check: bool = True
) -> Composition:
    """The services for one command (each built when the command first asks for it).

    `full_history_check=False`: the history is opened with the cheap check only (see
    HistoryStore); the `history` commands and the window still run SQLite's full check."""
    from app.services.composition import Composition, StackSettings

    return Composition(StackSettings(paths, gateway, full_history_check=full_history_check))


def gateway_config(timeout: float | None, *, batch: bool = False) -> GatewayConfig:
    """--timeout applied; botocore's trimmed data cached for a single resend (a process
    per call: parsing the full data files would be a fifth of it)."""
    from app.services.botocore_data import default_data_cache_dir
    from app.services.cognito_gateway import GatewayConfig

    config = GatewayConfig() if batch else GatewayConfig(data_cache_dir=default_data_cache_dir())
    if timeout is not None:
        config = replace(
            config, read_timeout=timeout, connect_timeout=min(config.connect_timeout, timeout)
        )
    return config


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


@dataclass(frozen=True)
class Target:
    """The profile to resend through and, for the sandbox, the credentials to use."""

    profile: Profile
    credentials: ClientCredentials | None
    # The app client's PreventUserExistenceErrors where known (the sandbox knows its
    # clients): it decides whether a delivery can be a simulated one.
    client_can_simulate: bool | None = None


@contextmanager
def sandbox_info(args: argparse.Namespace, stack: Composition) -> Iterator[SandboxInfo]:
    """A running sandbox (--endpoint-url or the environment), or `stack`'s embedded one
    started for this call (and stopped when the block ends)."""
    url = sandbox_url(args.endpoint_url)
    service: SandboxService | None = None
    if url is not None:
        from app.sandbox.control import SandboxControl, SandboxControlError

        try:
            info = SandboxControl(url, timeout_s=args.timeout or 5.0).info()
        except SandboxControlError as exc:
            fail(f"no sandbox answers at {url}: {exc}", EXIT_NETWORK)
    else:
        say(
            f"{getattr(args, 'command', None) or 'resend'}: no sandbox URL given "
            f"(--endpoint-url or ${SANDBOX_URL_ENV}); starting an embedded sandbox for this "
            "call (it stops when the command ends)"
        )
        service = stack.sandbox()
        try:
            info = service.start()
        except OSError as exc:
            fail(f"cannot start the embedded sandbox: {exc}", EXIT_NETWORK)
    try:
        yield info
    finally:
        if service is not None:
            service.stop()


@contextmanager
def sandbox_target(args: argparse.Namespace, stack: Composition) -> Iterator[Target]:
    """The built-in Sandbox profile on `sandbox_info`'s sandbox."""
    with sandbox_info(args, stack) as info:
        from app.services.sandbox_profile import sandbox_target as build_target

        built = build_target(info, args.sandbox_client)
        client = info.client(args.sandbox_client)
        yield Target(built.profile, built.credentials, client.prevents_user_existence_errors)


def stored_profile(name: str, stack: Composition) -> Profile:
    """The profile named by --profile from the profiles file (exit 2 naming the known ones)."""
    from app.services.profile_repository import ProfileFileError

    try:
        repo = stack.profiles()
        profile = repo.get(name)
        known = [p.name for p in repo.list()]
    except ProfileFileError as exc:
        fail(f"cannot read the profiles file: {exc}", EXIT_FAILURE)
    if profile is None:
        listed = ", ".join(known + [SANDBOX_PROFILE_NAME])
        fail(f"--profile: there is no profile named {name!r} (known: {listed})")
    return profile


def stored_target(args: argparse.Namespace, stack: Composition) -> Target:
    """A stored profile (its credentials come from the keyring), --endpoint-url applied."""
    from app.core.profile import validate_endpoint_url

    profile = stored_profile(args.profile, stack)
    if args.endpoint_url:
        problems = validate_endpoint_url(args.endpoint_url)
        if problems:
            fail(f"--endpoint-url: {problems[0].message}")
        profile = replace(profile, endpoint_url=args.endpoint_url)
    return Target(profile, None)


def metadata_pairs(args: argparse.Namespace) -> list[tuple[str, str]]:
    """ClientMetadata from --metadata-json, then each --metadata KEY=VALUE (exit 2 if bad)."""
    from app.core.request import MetadataParseError, parse_metadata_assignment, parse_metadata_json

    pairs: list[tuple[str, str]] = []
    if args.metadata_json is not None:
        try:
            pairs.extend(parse_metadata_json(args.metadata_json))
        except MetadataParseError as exc:
            fail(f"--metadata-json: {exc}")
    for text in args.metadata:
        try:
            pairs.append(parse_metadata_assignment(text))
        except MetadataParseError as exc:
            fail(f"--metadata: {exc}")
    return pairs


def attempt_json(attempt: Attempt, code: int) -> dict[str, object]:
    """One attempt as the JSON a script reads (resend/signup/confirm --json, a batch line).

    A failure's fields are repeated at the top level; its kind as `failure_kind` and its
    severity as `severity`, so that `kind` stays the attempt's (resend, signup, confirm).
    """
    from app.core.serialize import attempt_to_dict

    data: dict[str, object] = {"outcome": attempt.status.value, "exit_code": code}
    data.update(attempt_to_dict(attempt))
    if attempt.failure is not None:
        f = attempt.failure
        data.update(
            error_code=f.code,
            title=f.title,
            cause=f.cause,
            remedy=f.remedy,
            failure_kind=f.kind.value,
            severity=f.severity.value,
            aws_message=f.aws_message,
        )
    else:
        from app.core.verdict import delivery_note

        # The hedge only where the delivery may be a simulated one (or was): never for
        # SignUp (it created the user it delivered to), nor where the client cannot simulate.
        note = delivery_note(attempt)
        if note:
            data["caution"] = note
    return data
