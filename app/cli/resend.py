"""`resend`: one ResendConfirmationCode from the terminal, explained, and kept in the history."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.cli.common import EPILOG, EXIT_CREDENTIALS, para, say
from app.cli.unsigned import (
    FIELD_FLAGS,
    add_call_flags,
    common_input,
    report_attempt,
    report_input_errors,
    run_on_target,
)
from app.core.request import ResendInput, form_errors

if TYPE_CHECKING:
    from app.cli.args import SubParsers
    from app.cli.common import Target
    from app.services.composition import Composition


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
    add_call_flags(p, username_help="the username (or email/phone alias)")


def run(args: argparse.Namespace) -> int:
    raw = common_input(args)
    # Checked before the keyring or the network is touched: a typo costs nothing.
    errors = form_errors(raw)
    if errors:
        return report_input_errors("resend", errors, FIELD_FLAGS, args.json)

    def call(stack: Composition, target: Target) -> int:
        return _resend(args, stack, raw, target)

    return run_on_target(args, call)


def _resend(args: argparse.Namespace, stack: Composition, raw: ResendInput, target: Target) -> int:
    from app.core.attempts import begin_attempt

    # The sandbox path passes its credentials: keyring is never loaded for it.
    pipeline = stack.pipeline(keyring=target.credentials is None)
    client_id = target.credentials.client_id if target.credentials else ""
    attempt = begin_attempt(target.profile, raw, client_id=client_id)
    final = pipeline.run(
        attempt, target.profile, raw, target.credentials,
        client_can_simulate=target.client_can_simulate,
    )  # fmt: skip
    code = report_attempt(final, args.json)
    if code == EXIT_CREDENTIALS and not args.json:
        say("resend: the profile's credentials could not be read from the keyring (see above)")
    return code
