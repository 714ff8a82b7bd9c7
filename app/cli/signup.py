"""`signup`: one SignUp from the terminal (a test user), explained, and kept in the history."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from app.cli.common import EPILOG, fail, para
from app.cli.unsigned import (
    FIELD_FLAGS,
    add_call_flags,
    common_input,
    report_attempt,
    report_input_errors,
    run_on_target,
)
from app.core.request import Field
from app.core.secrets import Secret
from app.core.signup import SignUpInput, parse_attribute_assignment, signup_form_errors

if TYPE_CHECKING:
    from app.cli.args import SubParsers
    from app.cli.common import Target
    from app.services.composition import Composition

SIGNUP_FLAGS = {
    **FIELD_FLAGS,
    Field.PASSWORD: "--password-stdin",
    Field.USER_ATTRIBUTES: "--email/--phone/--attribute",
    Field.VALIDATION_DATA: "--validation-data",
}


def add_parser(sub: SubParsers) -> None:
    p = sub.add_parser(
        "signup",
        help="sign a test user up (Cognito sends the first confirmation code)",
        description=para(
            "Call Cognito's SignUp for one user and explain what happened: where the first "
            "confirmation code went, or why the sign-up was refused (a taken username, a "
            "password the pool's policy refuses, ...). The SecretHash is computed for you when "
            "the profile has a client secret. Every sign-up is added to the history; the "
            "password never is."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_call_flags(p, username_help="the username of the new user")
    p.add_argument("--email", metavar="E", help="the email attribute")
    p.add_argument("--phone", metavar="N", help="the phone_number attribute, e.g. +15555550123")
    p.add_argument("--attribute", action="append", default=[], metavar="NAME=VALUE",
                   help="any other user attribute, e.g. name=Test (repeatable)")
    p.add_argument("--validation-data", action="append", default=[], metavar="NAME=VALUE",
                   help="ValidationData for the pre sign-up trigger (repeatable)")
    password = p.add_mutually_exclusive_group()
    password.add_argument("--password-stdin", action="store_true",
                          help="read the password from the first line of standard input")
    password.add_argument("--generate-password", action="store_true",
                          help="generate a password that meets Cognito's default policy")
    password.add_argument("--no-password", action="store_true",
                          help="a passwordless sign-up (pools that allow one only)")
    p.add_argument("--show-password", action="store_true",
                   help="with --generate-password: print the password (it is kept nowhere)")


def _pairs(flag: str, texts: list[str]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for text in texts:
        try:
            pairs.append(parse_attribute_assignment(text))
        except ValueError as exc:
            fail(f"{flag}: {exc}")
    return pairs


def _password(args: argparse.Namespace) -> Secret | None:
    if args.show_password and not args.generate_password:
        fail("--show-password: only a generated password is shown (add --generate-password)")
    if args.generate_password:
        from app.core.passwords import generate_password

        return generate_password()
    if args.no_password:
        return None
    if not args.password_stdin:
        fail("give --password-stdin, --generate-password or --no-password")
    line = sys.stdin.readline()
    # Only the line break goes: any other character, even a space, is part of a password.
    return Secret(line.removesuffix("\n").removesuffix("\r"))


def _attributes(args: argparse.Namespace) -> list[tuple[str, str]]:
    named = [("email", args.email), ("phone_number", args.phone)]
    return [(n, v) for n, v in named if v is not None] + _pairs("--attribute", args.attribute)


def run(args: argparse.Namespace) -> int:
    raw = SignUpInput(
        common_input(args),
        password=_password(args),
        user_attributes=_attributes(args),
        validation_data=_pairs("--validation-data", args.validation_data),
    )
    # Checked before the keyring or the network is touched: a typo costs nothing.
    errors = signup_form_errors(raw)
    if errors:
        return report_input_errors("signup", errors, SIGNUP_FLAGS, args.json)

    def call(stack: Composition, target: Target) -> int:
        pipeline = stack.signup_pipeline(keyring=target.credentials is None)
        final = pipeline.sign_up(
            target.profile, raw, target.credentials, generated=args.generate_password
        )
        if not args.show_password or raw.password is None:
            return report_attempt(final, args.json)
        shown = raw.password.reveal()
        return report_attempt(
            final, args.json, json_extra={"password": shown},
            text_extra=f"\n\nPassword (generated; not kept anywhere): {shown}",
        )  # fmt: skip

    return run_on_target(args, call)
