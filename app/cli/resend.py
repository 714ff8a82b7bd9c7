"""`resend`: one ResendConfirmationCode from the terminal, explained, and kept in the history."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.cli.args import (
    SubParsers,
    add_endpoint_url_flag,
    add_json_flag,
    add_metadata_flags,
    add_sandbox_client_flag,
    seconds,
)
from app.cli.common import (
    EPILOG,
    EXIT_CREDENTIALS,
    EXIT_INPUT,
    SANDBOX_URL_ENV,
    Target,
    app_paths,
    attempt_json,
    cli_stack,
    exit_code_for,
    gateway_config,
    metadata_pairs,
    para,
    print_json,
    sandbox_target,
    say,
    stored_target,
)
from app.core.outcome import Attempt
from app.core.profile import SANDBOX_PROFILE_NAME
from app.core.request import Field, FieldError, ResendInput, form_errors

if TYPE_CHECKING:
    from app.services.composition import Composition

# The flag a person typed for each API field, so a message points at the right one.
FIELD_FLAGS = {
    Field.CLIENT_ID: "the profile's client ID",
    Field.USERNAME: "--username",
    Field.CLIENT_METADATA: "--metadata/--metadata-json",
    Field.ANALYTICS_ENDPOINT_ID: "--analytics-endpoint-id",
    Field.IP_ADDRESS: "--ip",
    Field.ENCODED_DATA: "--encoded-data",
}


def add_parser(sub: SubParsers) -> None:
    p = sub.add_parser(
        "resend",
        help="resend a sign-up confirmation code and explain the outcome",
        description=para(
            "Call Cognito's ResendConfirmationCode for one user and explain what happened. "
            "The SecretHash is computed for you when the profile has a client secret. Every "
            "resend is added to the history."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--profile",
        required=True,
        help=f"the profile to use; '{SANDBOX_PROFILE_NAME}' is the built-in local sandbox",
    )
    p.add_argument("--username", required=True, help="the username (or email/phone alias)")
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


def _input_errors(errors: tuple[FieldError, ...], as_json: bool) -> int:
    for e in errors:
        row = f" (metadata entry {e.row + 1})" if e.row is not None else ""
        say(f"resend: {FIELD_FLAGS[e.field]}{row}: {e.message}")
    if as_json:
        print_json(
            {
                "outcome": "invalid_input",
                "errors": [
                    {
                        "field": e.field.value,
                        "flag": FIELD_FLAGS[e.field],
                        "row": e.row,
                        "message": e.message,
                    }
                    for e in errors
                ],
            }
        )
    return EXIT_INPUT


def _print_human(attempt: Attempt) -> None:
    from app.core.describe import describe_attempt

    # The account says "may be simulated" itself, and only where that can be.
    print(describe_attempt(attempt))


def run(args: argparse.Namespace) -> int:
    raw = ResendInput(
        client_id="",
        username=args.username,
        client_metadata=tuple(metadata_pairs(args)),
        analytics_endpoint_id=args.analytics_endpoint_id,
        ip_address=args.ip,
        encoded_data=args.encoded_data,
    )
    # Checked before the keyring or the network is touched: a typo costs nothing.
    errors = form_errors(raw)
    if errors:
        return _input_errors(errors, args.json)
    paths = app_paths()
    stack = cli_stack(paths, gateway_config(args.timeout))
    try:
        if args.profile.strip() == SANDBOX_PROFILE_NAME:
            with sandbox_target(args, stack) as target:
                return _resend(args, stack, raw, target)
        return _resend(args, stack, raw, stored_target(args, stack))
    finally:
        stack.close()


def _resend(args: argparse.Namespace, stack: Composition, raw: ResendInput, target: Target) -> int:
    from app.core.attempts import begin_attempt

    history = stack.history()
    if history.recovered_from:
        say(f"resend: the history file was damaged; it was moved to {history.recovered_from}")
    # The sandbox path passes its credentials: keyring is never loaded for it.
    pipeline = stack.pipeline(keyring=target.credentials is None)
    # Created before the attempt starts its clock: the latency shown is the call's.
    stack.gateway().warm_up(target.profile.region, target.profile.endpoint_url)
    client_id = target.credentials.client_id if target.credentials else ""
    attempt = begin_attempt(target.profile, raw, client_id=client_id)
    final = pipeline.run(
        attempt, target.profile, raw, target.credentials,
        client_can_simulate=target.client_can_simulate,
    )  # fmt: skip
    code = exit_code_for(final)
    if args.json:
        print_json(attempt_json(final, code))
    else:
        _print_human(final)
    if code == EXIT_CREDENTIALS and not args.json:
        say("resend: the profile's credentials could not be read from the keyring (see above)")
    return code
