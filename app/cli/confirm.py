"""`confirm`: one ConfirmSignUp with a code from the terminal, explained, kept in the history."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.cli.common import EPILOG, para
from app.cli.unsigned import (
    FIELD_FLAGS,
    add_call_flags,
    common_input,
    report_attempt,
    report_input_errors,
    run_on_target,
)
from app.core.request import Field
from app.core.signup import ConfirmInput, confirm_form_errors

if TYPE_CHECKING:
    from app.cli.args import SubParsers
    from app.cli.common import Target
    from app.services.composition import Composition

CONFIRM_FLAGS = {**FIELD_FLAGS, Field.CONFIRMATION_CODE: "--code", Field.SESSION: "--session"}


def add_parser(sub: SubParsers) -> None:
    p = sub.add_parser(
        "confirm",
        help="confirm a user's sign-up with the code Cognito sent",
        description=para(
            "Call Cognito's ConfirmSignUp for one user with a confirmation code and explain "
            "what happened: confirmed, a wrong or expired code, too many tries, or a user who "
            "is already confirmed (information, not an error of the code). Every "
            "confirmation is added to the history."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_call_flags(p, username_help="the username to confirm")
    p.add_argument("--code", required=True, metavar="CODE", help="the confirmation code")
    p.add_argument("--force-alias-creation", action="store_true",
                   help="move an email/phone alias another user holds to this user")


def run(args: argparse.Namespace) -> int:
    raw = ConfirmInput(
        common_input(args),
        confirmation_code=args.code,
        force_alias_creation=args.force_alias_creation,
    )
    errors = confirm_form_errors(raw)
    if errors:
        return report_input_errors("confirm", errors, CONFIRM_FLAGS, args.json)

    def call(stack: Composition, target: Target) -> int:
        pipeline = stack.signup_pipeline(keyring=target.credentials is None)
        final = pipeline.confirm(target.profile, raw, target.credentials)
        return report_attempt(final, args.json)

    return run_on_target(args, call)
