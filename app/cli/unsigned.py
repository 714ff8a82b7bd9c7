"""What resend, signup and confirm share: their flags, their refusals, their target."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from app.cli.args import (
    add_endpoint_url_flag,
    add_json_flag,
    add_metadata_flags,
    add_sandbox_client_flag,
    seconds,
)
from app.cli.common import (
    EXIT_INPUT,
    SANDBOX_URL_ENV,
    Target,
    app_paths,
    attempt_json,
    cli_stack,
    exit_code_for,
    gateway_config,
    metadata_pairs,
    print_json,
    sandbox_target,
    say,
    stored_target,
)
from app.core.outcome import Attempt
from app.core.profile import SANDBOX_PROFILE_NAME
from app.core.request import Field, FieldError, ResendInput

if TYPE_CHECKING:
    from app.services.composition import Composition

# The flag a person typed for each API field, so a message points at the right one.
FIELD_FLAGS: Mapping[Field, str] = {
    Field.CLIENT_ID: "the profile's client ID",
    Field.USERNAME: "--username",
    Field.CLIENT_METADATA: "--metadata/--metadata-json",
    Field.ANALYTICS_ENDPOINT_ID: "--analytics-endpoint-id",
    Field.IP_ADDRESS: "--ip",
    Field.ENCODED_DATA: "--encoded-data",
}
# What a list-valued field's row is called in a message.
_ROW_NAMES = {
    Field.CLIENT_METADATA: "metadata entry",
    Field.USER_ATTRIBUTES: "attribute",
    Field.VALIDATION_DATA: "validation data entry",
}


def add_call_flags(p: argparse.ArgumentParser, *, username_help: str) -> None:
    """--profile, --username, the metadata, analytics and context flags, --json, --timeout,
    --endpoint-url and --sandbox-client: every unsigned call has them."""
    p.add_argument(
        "--profile",
        required=True,
        help=f"the profile to use; '{SANDBOX_PROFILE_NAME}' is the built-in local sandbox",
    )
    p.add_argument("--username", required=True, help=username_help)
    add_metadata_flags(
        p,
        entry_help="a ClientMetadata entry for the Lambda triggers (repeatable)",
        json_help='ClientMetadata as a JSON object of strings, e.g. \'{"flow": "qa"}\'',
    )
    p.add_argument("--analytics-endpoint-id", default="", metavar="ID",
                   help="AnalyticsMetadata.AnalyticsEndpointId (Amazon Pinpoint)")
    p.add_argument("--ip", default="", metavar="IP", help="UserContextData.IpAddress")
    p.add_argument("--encoded-data", default="", metavar="DATA",
                   help="UserContextData.EncodedData (advanced security fingerprint)")
    add_json_flag(p, "print the outcome as one JSON object")
    p.add_argument(
        "--timeout",
        type=seconds,
        metavar="SECONDS",
        help="how long to wait for Cognito's answer (default: 10)",
    )
    add_endpoint_url_flag(
        p,
        f"with --profile {SANDBOX_PROFILE_NAME}: the running sandbox to use (default: "
        f"${SANDBOX_URL_ENV}, else an embedded sandbox is started for this call); with "
        "another profile: overrides its endpoint URL for this call",
    )
    add_sandbox_client_flag(
        p,
        f"with --profile {SANDBOX_PROFILE_NAME}: which seeded app client to use "
        "(default: %(default)s)",
    )


def common_input(args: argparse.Namespace) -> ResendInput:
    """The fields every unsigned call shares, as typed (the client ID comes later)."""
    return ResendInput(
        client_id="",
        username=args.username,
        client_metadata=tuple(metadata_pairs(args)),
        analytics_endpoint_id=args.analytics_endpoint_id,
        ip_address=args.ip,
        encoded_data=args.encoded_data,
    )


def report_input_errors(
    command: str, errors: tuple[FieldError, ...], flags: Mapping[Field, str], as_json: bool
) -> int:
    """Each refusal on one line naming its flag (and row); JSON too when asked; exit 2."""
    for e in errors:
        row = f" ({_ROW_NAMES.get(e.field, 'entry')} {e.row + 1})" if e.row is not None else ""
        say(f"{command}: {flags[e.field]}{row}: {e.message}")
    if as_json:
        print_json(
            {
                "outcome": "invalid_input",
                "errors": [
                    {"field": e.field.value, "flag": flags[e.field], "row": e.row,
                     "message": e.message}
                    for e in errors
                ],
            }
        )  # fmt: skip
    return EXIT_INPUT


def report_attempt(
    final: Attempt, as_json: bool, *, json_extra: Mapping[str, object] | None = None,
    text_extra: str = "",
) -> int:
    """Print the final attempt (JSON, or the plain-text account) and return its exit code."""
    code = exit_code_for(final)
    if as_json:
        print_json({**attempt_json(final, code), **(json_extra or {})})
    else:
        from app.core.describe import describe_attempt

        print(describe_attempt(final) + text_extra)
    return code


def run_on_target(args: argparse.Namespace, call: Callable[[Composition, Target], int]) -> int:
    """Build the stack, find the target (the sandbox, or a stored profile: a wrong --profile
    is refused before the history is opened), run `call` on it, close everything again."""
    # A one-shot call appends one row: SQLite's full quick_check on every open grows with
    # the history (5.4 s at 1,000,000 rows, ~170 ms at 100,000), so it opens with the cheap
    # check (header, schema, the newest rows), as the window does; `history` commands and
    # the window's background check still read every page.
    stack = cli_stack(app_paths(), gateway_config(args.timeout), full_history_check=False)
    try:
        if args.profile.strip() == SANDBOX_PROFILE_NAME:
            with sandbox_target(args, stack) as target:
                return _call_on(args, stack, target, call)
        return _call_on(args, stack, stored_target(args, stack), call)
    finally:
        stack.close()


def _call_on(
    args: argparse.Namespace,
    stack: Composition,
    target: Target,
    call: Callable[[Composition, Target], int],
) -> int:
    history = stack.history()
    if history.recovered_from:
        command = getattr(args, "command", None) or "resend"
        say(f"{command}: the history file was damaged; it was moved to {history.recovered_from}")
    # Created before the attempt starts its clock: the latency shown is the call's.
    stack.gateway().warm_up(target.profile.region, target.profile.endpoint_url)
    return call(stack, target)
