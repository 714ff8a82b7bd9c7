"""`diagnose`: will this user get a code, and if not why and what to do (before sending)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.cli.admin_common import add_target_flags, admin_context
from app.cli.args import add_json_flag
from app.cli.common import EXIT_NETWORK, EXIT_OK, fail, para, print_json

if TYPE_CHECKING:
    from app.cli.args import SubParsers


def add_parser(sub: SubParsers) -> None:
    p = sub.add_parser(
        "diagnose",
        help="predict whether a user gets a code, with findings and the next step",
        description=para(
            "Look the user up (ListUsers), read the pool and app client settings "
            "(DescribeUserPool, DescribeUserPoolClient) and this user's recent attempts "
            "from the history, and say whether a code will go out, where, and what stands "
            "in the way. What could not be checked is listed with what would allow it. "
            "Exit 0 whenever it ran, whatever it found."
        ),
    )
    add_target_flags(p)
    p.add_argument(
        "--username", required=True, help="the username, or an email, phone number or sub"
    )
    add_json_flag(p, "print the diagnosis as one JSON object")


def run(args: argparse.Namespace) -> int:
    from app.core.diagnosis_json import diagnosis_text, diagnosis_to_dict

    identifier = args.username.strip()
    if not identifier:
        fail("--username: must not be empty")
    if len(identifier) > 2048 or any(ord(ch) < 32 for ch in identifier):
        fail("--username: must be at most 2048 characters, without control characters")
    with admin_context(args, with_history=True) as ctx:
        profile = ctx.target.profile
        outcome = ctx.services.diagnosis.run(
            ctx.target,
            identifier,
            profile_has_secret=None if profile.builtin else profile.has_secret,
        )
    d = outcome.diagnosis
    if args.json:
        print_json(diagnosis_to_dict(d))
    else:
        print(diagnosis_text(d))
    # Nothing could be read because nothing answered: a network problem, as for `resend`.
    return EXIT_NETWORK if outcome.only_network_failed else EXIT_OK
