"""`profiles`: add, list, show and remove profiles; client IDs and secrets go to the keyring."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from app.cli.args import SubParsers, add_json_flag
from app.cli.common import (
    EXIT_CREDENTIALS,
    EXIT_FAILURE,
    EXIT_OK,
    app_paths,
    cli_stack,
    fail,
    print_json,
    say,
)
from app.core.profile import SANDBOX_PROFILE_NAME, ClientCredentials, Profile, validate_profile
from app.core.request import validate_client_id
from app.core.secrets import Secret

if TYPE_CHECKING:
    from app.services.composition import Composition
    from app.services.profile_repository import ProfileRepository

# What `profiles add` calls each Profile field, so a message names the flag to fix.
_FLAGS = {
    "name": "NAME",
    "region": "--region",
    "endpoint_url": "--endpoint-url",
    "user_pool_id": "--user-pool-id",
    "aws_profile": "--aws-profile",
}


_AWS_PROFILE_HELP = (
    "the AWS CLI profile (~/.aws/config; SSO and assume-role work) whose credentials sign "
    "the diagnosis and support actions; without one, the default AWS credential chain"
)


def add_parser(sub: SubParsers) -> None:
    p = sub.add_parser(
        "profiles",
        help="add, list, show or remove profiles (client IDs and secrets go to the keyring)",
        description="A profile names one app client: its region, optional endpoint URL and "
        "user pool ID are kept in a file; its client ID and client secret in the system "
        "keyring, never in a file.",
    )
    psub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = psub.add_parser(
        "add",
        help="add a profile (or replace one with the same name)",
        description="Add a profile, or replace the one with the same name. The client "
        "secret is never taken from the command line (it would land in shell history): "
        "pipe it with --secret-stdin or type it with --secret-prompt.",
    )
    add.add_argument("name", metavar="NAME", help="the profile's name, e.g. staging")
    add.add_argument("--region", required=True, help="the user pool's region, e.g. eu-west-1")
    add.add_argument("--client-id", required=True, help="the app client ID")
    add.add_argument("--endpoint-url", help="a non-AWS endpoint, e.g. http://127.0.0.1:4566")
    add.add_argument("--user-pool-id", help="the user pool ID (diagnosis needs it; optional)")
    add.add_argument("--aws-profile", metavar="AWS_PROFILE", help=_AWS_PROFILE_HELP)
    secret = add.add_mutually_exclusive_group()
    secret.add_argument(
        "--secret-stdin",
        action="store_true",
        help="read the client secret from the first line of standard input",
    )
    secret.add_argument(
        "--secret-prompt", action="store_true", help="ask for the client secret (not echoed)"
    )
    put = psub.add_parser(
        "set",
        help="change a saved profile's AWS profile or user pool ID",
        description="Change fields of a saved profile; its client ID and secret stay as they "
        "are in the keyring.",
    )
    put.add_argument("name", metavar="NAME")
    aws = put.add_mutually_exclusive_group()
    aws.add_argument("--aws-profile", metavar="AWS_PROFILE", help=_AWS_PROFILE_HELP)
    aws.add_argument(
        "--no-aws-profile",
        action="store_true",
        help="use the default AWS credential chain instead of a named AWS profile",
    )
    put.add_argument("--user-pool-id", metavar="ID", help="the user pool ID")
    lst = psub.add_parser("list", help="list the profiles")
    add_json_flag(lst)
    show = psub.add_parser("show", help="show one profile (never its secret)")
    show.add_argument("name", metavar="NAME")
    add_json_flag(show)
    rm = psub.add_parser("remove", help="remove a profile and its keyring entries")
    rm.add_argument("name", metavar="NAME")
    # Team provisioning: export, import, import-aws (their own module).
    from app.cli import profiles_transfer

    profiles_transfer.add_parsers(psub)


def _read_secret(args: argparse.Namespace) -> Secret | None:
    if args.secret_stdin:
        line = sys.stdin.readline()
        value = line.rstrip("\r\n")
        if not value.strip():
            fail("--secret-stdin: standard input had no secret on its first line")
        return Secret(value.strip())
    if args.secret_prompt:
        import getpass

        try:
            value = getpass.getpass("Client secret (not shown): ")
        except EOFError:
            value = ""
        if not value.strip():
            fail("--secret-prompt: no secret was typed")
        return Secret(value.strip())
    return None


def _profile_dict(p: Profile) -> dict[str, object]:
    from app.services.profile_repository import profile_to_json

    # The file's fields, plus whether it is the built-in one (never in the file).
    return {**profile_to_json(p), "builtin": p.builtin}


def _builtin() -> Profile:
    return Profile(name=SANDBOX_PROFILE_NAME, region="us-east-1", builtin=True)


def _add(args: argparse.Namespace, stack: Composition) -> int:
    name = args.name.strip()
    profile = Profile(
        name=name,
        region=args.region.strip(),
        endpoint_url=(args.endpoint_url or "").strip() or None,
        user_pool_id=(args.user_pool_id or "").strip() or None,
        aws_profile=args.aws_profile,
    )
    problems = [f"{_FLAGS.get(p.field, p.field)}: {p.message}" for p in validate_profile(profile)]
    if name == SANDBOX_PROFILE_NAME:
        problems.append(f"NAME: {SANDBOX_PROFILE_NAME!r} is the built-in sandbox profile")
    problems += [f"--client-id: {e.message}" for e in validate_client_id(args.client_id.strip())]
    if problems:
        fail("; ".join(problems))
    secret = _read_secret(args)
    profile = Profile(
        name=profile.name,
        region=profile.region,
        endpoint_url=profile.endpoint_url,
        user_pool_id=profile.user_pool_id,
        has_secret=secret is not None,
        aws_profile=profile.aws_profile,
    )
    repo = stack.profiles()
    from app.services.profile_repository import ProfileFileError
    from app.services.secret_store import SecretStoreError

    existed = _get(repo, name) is not None
    # Keyring first: if it refuses, no profile file entry points at missing credentials.
    try:
        stack.secrets().save(name, ClientCredentials(args.client_id.strip(), secret))
    except SecretStoreError as exc:
        fail(f"the client ID and secret were not saved, and no profile was written: {exc}",
             EXIT_CREDENTIALS)
    try:
        repo.save(profile)
    except ProfileFileError as exc:
        fail(f"cannot write the profiles file: {exc}", EXIT_FAILURE)
    except OSError as exc:
        fail(f"cannot write the profiles file: {exc}", EXIT_FAILURE)
    where = f"endpoint {profile.endpoint_url}" if profile.endpoint_url else "AWS"
    say(
        f"{'Updated' if existed else 'Added'} profile {name!r} ({profile.region}, {where}); "
        f"client ID {'and secret ' if secret else ''}saved in the keyring."
    )
    return EXIT_OK


def _get(repo: ProfileRepository, name: str) -> Profile | None:
    from app.services.profile_repository import ProfileFileError

    try:
        return repo.get(name)
    except ProfileFileError as exc:
        fail(f"cannot read the profiles file: {exc}", EXIT_FAILURE)


def _list(args: argparse.Namespace, stack: Composition) -> int:
    from app.services.profile_repository import ProfileFileError

    repo = stack.profiles()
    try:
        profiles = [*repo.list(), _builtin()]
    except ProfileFileError as exc:
        fail(f"cannot read the profiles file: {exc}", EXIT_FAILURE)
    if args.json:
        print_json([_profile_dict(p) for p in profiles])
        return EXIT_OK
    width = max(len(p.name) for p in profiles)
    for p in profiles:
        if p.builtin:
            where = "local sandbox (built-in; `sandbox` command or started on demand)"
        else:
            where = f"{p.region}  {p.endpoint_url or 'AWS'}"
            if p.has_secret:
                where += "  (client secret)"
        print(f"{p.name:<{width}}  {where}")
    return EXIT_OK


def _show(args: argparse.Namespace, stack: Composition) -> int:
    repo = stack.profiles()
    if args.name.strip() == SANDBOX_PROFILE_NAME:
        profile: Profile | None = _builtin()
    else:
        profile = _get(repo, args.name.strip())
    if profile is None:
        fail(f"NAME: there is no profile named {args.name!r}")
    if args.json:
        print_json(_profile_dict(profile))
        return EXIT_OK
    print(f"Name:          {profile.name}{'  (built-in)' if profile.builtin else ''}")
    print(f"Region:        {profile.region}")
    endpoint = profile.endpoint_url or ("(the sandbox)" if profile.builtin else "(AWS)")
    print(f"Endpoint URL:  {endpoint}")
    print(f"User pool ID:  {profile.user_pool_id or '-'}")
    if not profile.builtin:
        print(f"AWS profile:   {profile.aws_profile or '(the default AWS credentials)'}")
    if not profile.builtin:
        print(f"Client secret: {'yes, in the keyring' if profile.has_secret else 'none'}")
        print("Client ID:     in the keyring")
    for preset in profile.presets:
        print(f"Preset:        {preset.name} ({', '.join(k for k, _ in preset.pairs)})")
    return EXIT_OK


def _remove(args: argparse.Namespace, stack: Composition) -> int:
    name = args.name.strip()
    if name == SANDBOX_PROFILE_NAME:
        fail(f"NAME: {SANDBOX_PROFILE_NAME!r} is built in and cannot be removed")
    repo = stack.profiles()
    if _get(repo, name) is None:
        fail(f"NAME: there is no profile named {args.name!r}")
    from app.services.profile_repository import ProfileFileError
    from app.services.secret_store import KeyringProblem, SecretStoreError

    try:
        stack.secrets().delete(name)
    except SecretStoreError as exc:
        if exc.problem is not KeyringProblem.MISSING_BACKEND:
            fail(f"the profile was kept: its keyring entries could not be removed: {exc}",
                 EXIT_CREDENTIALS)
        # No keyring at all: nothing of this profile can be in it.
        say(f"note: {exc}")
    try:
        repo.remove(name)
    except (ProfileFileError, OSError) as exc:
        fail(f"cannot write the profiles file: {exc}", EXIT_FAILURE)
    say(f"Removed profile {name!r} and its keyring entries.")
    return EXIT_OK


def _set(args: argparse.Namespace, stack: Composition) -> int:
    from dataclasses import replace

    from app.services.profile_repository import ProfileFileError, ProfileValidationError

    repo = stack.profiles()
    profile = _get(repo, args.name.strip())
    if profile is None:
        fail(f"NAME: there is no saved profile named {args.name!r}")
    changed = profile
    if args.no_aws_profile:
        changed = replace(changed, aws_profile=None)
    elif args.aws_profile is not None:
        changed = replace(changed, aws_profile=args.aws_profile)
    if args.user_pool_id is not None:
        changed = replace(changed, user_pool_id=args.user_pool_id.strip() or None)
    problems = [f"{_FLAGS.get(p.field, p.field)}: {p.message}" for p in validate_profile(changed)]
    if problems:
        fail("; ".join(problems))
    try:
        repo.save(changed, replacing=profile.name)
    except ProfileValidationError as exc:
        fail(str(exc))
    except (ProfileFileError, OSError) as exc:
        fail(f"cannot write the profiles file: {exc}", EXIT_FAILURE)
    aws = changed.aws_profile or "the default AWS credentials"
    say(f"Updated profile {changed.name!r}: AWS profile {aws}, pool {changed.user_pool_id or '-'}.")
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    stack = cli_stack(app_paths())
    try:
        actions = {"add": _add, "set": _set, "list": _list, "show": _show, "remove": _remove}
        if args.action not in actions:
            from app.cli import profiles_transfer

            return profiles_transfer.run(args, stack)
        return actions[args.action](args, stack)
    finally:
        stack.close()
