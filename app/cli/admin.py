"""`admin resend-invitation` and `admin confirm`: the support actions, asked before, recorded."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.cli.admin_common import add_target_flags, admin_context, confirm_on_terminal
from app.cli.args import add_json_flag
from app.cli.common import EXIT_FAILURE, attempt_json, exit_code_for, fail, para, print_json, say

if TYPE_CHECKING:
    from app.cli.args import SubParsers
    from app.core.outcome import Attempt


def add_parser(sub: SubParsers) -> None:
    p = sub.add_parser(
        "admin",
        help="support actions: resend an invitation, confirm a user without a code",
        description=para(
            "Signed admin calls that change a user (credentials with write permission: "
            "cognito-idp:AdminCreateUser, AdminConfirmSignUp, AdminUpdateUserAttributes). "
            "Each says what it changes and asks first (unless --yes), and each is recorded "
            "in the history."
        ),
    )
    asub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    invite = asub.add_parser(
        "resend-invitation",
        help="AdminCreateUser MessageAction=RESEND (users in FORCE_CHANGE_PASSWORD)",
    )
    confirm = asub.add_parser(
        "confirm", help="AdminConfirmSignUp, optionally marking email or phone verified"
    )
    for q in (invite, confirm):
        add_target_flags(q)
        q.add_argument("--username", required=True, help="the user's real username")
        q.add_argument("--yes", action="store_true", help="do it without asking")
        add_json_flag(q, "print the recorded attempt as one JSON object")
    confirm.add_argument(
        "--mark-verified",
        choices=("email", "phone_number"),
        help="also set <attribute>_verified=true, so password reset can reach the user",
    )


def _username(args: argparse.Namespace) -> str:
    name = str(args.username).strip()
    if not name:
        fail("--username: must not be empty")
    if len(name) > 128 or any(ord(ch) < 32 for ch in name):
        fail("--username: must be 1-128 characters, without control characters")
    return name


def _report(attempt: Attempt, as_json: bool) -> int:
    code = exit_code_for(attempt)
    if as_json:
        print_json(attempt_json(attempt, code))
        return code
    if attempt.failure is not None:
        f = attempt.failure
        say(f"{f.title}. {f.cause} What to do: {f.remedy}")
        if f.aws_message:
            say(f"AWS message: {f.aws_message}")
        return code
    line = attempt.outcome_label
    if attempt.delivery is not None and attempt.delivery.destination:
        line += f" by {attempt.delivery.medium} to {attempt.delivery.destination}"
    print(line)
    if attempt.notes:
        print(attempt.notes)
    return code


def run(args: argparse.Namespace) -> int:
    from app.services.support_actions import plan_confirm, plan_resend_invitation

    username = _username(args)
    command = f"admin {args.action}"
    with admin_context(args, with_history=True) as ctx:
        if args.action == "resend-invitation":
            plan = plan_resend_invitation(ctx.target, username)
        else:
            plan = plan_confirm(ctx.target, username, args.mark_verified)
        if not confirm_on_terminal(plan.text(), args.yes, command):
            say(f"{command}: cancelled; nothing was changed")
            return EXIT_FAILURE  # not done: a script must not read this as success
        actions = ctx.services.actions
        if args.action == "resend-invitation":
            attempt = actions.resend_invitation(ctx.target, username)
        else:
            attempt = actions.confirm(ctx.target, username, args.mark_verified)
    return _report(attempt, args.json)
