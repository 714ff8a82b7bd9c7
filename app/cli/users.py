"""`users find`: who a username, email, phone number or sub really is (ListUsers)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.cli.admin_common import add_target_flags, admin_context, exit_for
from app.cli.args import add_json_flag
from app.cli.common import EXIT_OK, para, print_json, say

if TYPE_CHECKING:
    from app.cli.args import SubParsers
    from app.core.diagnosis_input import UserRecord

# The flag of each ListUsers filter attribute.
FLAGS = (("email", "email"), ("phone", "phone_number"), ("username", "username"), ("sub", "sub"))


def add_parser(sub: SubParsers) -> None:
    p = sub.add_parser(
        "users",
        help="find a user by username, email, phone or sub (signed ListUsers)",
        description=para(
            "Look users up with ListUsers filters (AWS documents them as having no cost "
            "impact, unlike AdminGetUser): the real username, status, enabled, and the email "
            "and phone (masked) with their verified flags. Needs cognito-idp:ListUsers."
        ),
    )
    usub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    find = usub.add_parser("find", help="list the users matching one attribute")
    add_target_flags(find)
    which = find.add_mutually_exclusive_group(required=True)
    which.add_argument("--email", metavar="E", help="the email address")
    which.add_argument("--phone", metavar="N", help="the phone number, +E.164 (+15555550123)")
    which.add_argument("--username", metavar="U", help="the username")
    which.add_argument("--sub", metavar="S", help="the user's sub (a UUID)")
    add_json_flag(find, "print the matches as a JSON list")


def user_json(u: UserRecord) -> dict[str, object]:
    """One match for scripts; email and phone masked as Cognito masks them."""
    from app.core.masking import mask_destination

    return {
        "username": u.username,
        "status": u.status,
        "enabled": u.enabled,
        "email": mask_destination("email", u.email) if u.email else None,
        "email_verified": u.email_verified if u.email else None,
        "phone_number": mask_destination("phone_number", u.phone_number)
        if u.phone_number
        else None,
        "phone_number_verified": u.phone_number_verified if u.phone_number else None,
        "sub": u.sub,
        "created": u.created.isoformat() if u.created else None,
        "modified": u.modified.isoformat() if u.modified else None,
        "matched_by": u.matched_by.value,
    }


def _wanted(args: argparse.Namespace) -> tuple[str, str, str]:
    """(flag, ListUsers attribute, value) of the one filter flag given."""
    from app.cli.common import fail

    for flag, attribute in FLAGS:
        value = getattr(args, flag)
        if value is not None:
            if not value.strip():
                fail(f"--{flag}: must not be empty")
            if len(value) > 2048 or any(ord(ch) < 32 for ch in value):
                fail(f"--{flag}: must be at most 2048 characters, without control characters")
            return flag, attribute, value.strip()
    fail("give one of --email, --phone, --username, --sub")


def run(args: argparse.Namespace) -> int:
    from app.core.diagnosis_input import LookupKey
    from app.services.admin_reader import AdminReadError

    _flag, attribute, value = _wanted(args)
    with admin_context(args, with_history=False) as ctx:
        try:
            users = ctx.services.reader.find(ctx.target, LookupKey(attribute), value)
        except AdminReadError as exc:
            f = exc.failure
            say(f"users find: {f.title}. {f.cause} What to do: {f.remedy}")
            if f.aws_message:
                say(f"AWS message: {f.aws_message}")
            return exit_for(f)
    if args.json:
        print_json([user_json(u) for u in users])
        return EXIT_OK
    if not users:
        say(f"users find: no user has {attribute} = {value!r}")
        return EXIT_OK
    for u in users:
        j = user_json(u)
        state = "enabled" if u.enabled else "DISABLED"
        contact = ", ".join(
            f"{k} {j[k]} ({'verified' if j[k + '_verified'] else 'unverified'})"
            for k in ("email", "phone_number")
            if j[k]
        )
        print(f"{u.username}  {u.status}  {state}" + (f"  {contact}" if contact else ""))
    return EXIT_OK
