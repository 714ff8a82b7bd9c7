"""`profiles export`, `profiles import` and `profiles import-aws`: team provisioning, no secret
in any file or output (client secrets go from a prompt, stdin or AWS straight to the keyring)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.args import add_endpoint_url_flag
from app.cli.common import (
    EXIT_CREDENTIALS,
    EXIT_FAILURE,
    EXIT_FOR_KIND,
    EXIT_OK,
    fail,
    say,
)
from app.core.profile import (
    SANDBOX_PROFILE_NAME,
    validate_aws_profile,
    validate_endpoint_url,
    validate_profile_name,
    validate_region,
    validate_user_pool_id,
)
from app.core.request import validate_client_id
from app.core.secrets import Secret

if TYPE_CHECKING:
    from app.services.composition import Composition
    from app.services.profile_transfer import TransferRecord


def add_parsers(psub: Any) -> None:
    """The three subcommands, under `profiles`."""
    exp = psub.add_parser(
        "export",
        help="write profiles to a file to hand out (client IDs, never secrets)",
        description="Write saved profiles (all, or the NAMEs given) to a file an admin hands "
        "out: name, region, endpoint, user pool, AWS profile, presets and the app client ID "
        "(an identifier, not a secret). Client secrets are never written; `profiles import` "
        "asks for them.",
    )
    exp.add_argument("names", metavar="NAME", nargs="*", help="the profiles to export")
    exp.add_argument("--output", "-o", metavar="FILE", help="the file to write (default: stdout)")
    imp = psub.add_parser(
        "import",
        help="add the profiles of an exported file (asks for a client secret where needed)",
        description="Add the profiles of a file made by `profiles export`. Each profile whose "
        "app client has a secret asks for it once (not echoed), or reads it from standard "
        "input with --secret-stdin (one profile needing a secret only); it goes to the keyring.",
    )
    imp.add_argument("file", metavar="FILE", help="the exported profiles file")
    imp.add_argument(
        "--secret-stdin",
        action="store_true",
        help="read the one client secret the file needs from the first line of standard input",
    )
    imp.add_argument("--replace", action="store_true", help="replace profiles of the same name")
    aws = psub.add_parser(
        "import-aws",
        help="add a profile from an AWS account (the client secret goes straight to the keyring)",
        description="List the user pools of a region and their app clients with your AWS "
        "credentials, and add one app client as a profile. Its client secret is read with "
        "DescribeUserPoolClient and stored in the keyring, never shown. Needs "
        "cognito-idp:ListUserPools, ListUserPoolClients and DescribeUserPoolClient.",
    )
    aws.add_argument(
        "--aws-profile",
        metavar="AWS_PROFILE",
        help="the AWS CLI profile to sign with (default: the default AWS credentials)",
    )
    aws.add_argument("--region", required=True, help="the region to look in, e.g. eu-west-1")
    aws.add_argument("--user-pool-id", metavar="ID", help="the pool (asked for when several)")
    aws.add_argument("--client-id", metavar="ID", help="the app client (when the pool has several)")
    aws.add_argument("--name", metavar="NAME", help="the profile's name (default: the client's)")
    add_endpoint_url_flag(aws, "a non-AWS endpoint, e.g. a local emulator")
    aws.add_argument("--replace", action="store_true", help="replace a profile of the same name")


def run(args: argparse.Namespace, stack: Composition) -> int:
    handlers = {"export": _export, "import": _import, "import-aws": _import_aws}
    return handlers[args.action](args, stack)


def _export(args: argparse.Namespace, stack: Composition) -> int:
    from app.services.profile_repository import ProfileFileError
    from app.services.profile_transfer import TransferError, export_json, export_records

    names = [n for n in args.names if n.strip()]
    if any(n.strip() == SANDBOX_PROFILE_NAME for n in names):
        fail(f"NAME: {SANDBOX_PROFILE_NAME!r} is built in; every install has it already")
    try:
        records = export_records(stack.profiles(), stack.secrets(), names)
    except TransferError as exc:
        fail(str(exc))
    except ProfileFileError as exc:
        fail(f"cannot read the profiles file: {exc}", EXIT_FAILURE)
    if not records:
        fail("there are no saved profiles to export")
    no_id = [r.name for r in records if r.client_id is None]
    if args.output:
        from app.services.profile_transfer import write_export

        out = Path(args.output)
        try:
            write_export(out, records)
        except OSError as exc:
            fail(f"--output: cannot write {out}: {exc.strerror or exc}", EXIT_FAILURE)
        say(f"Exported {_count(len(records), 'profile')} to {out} (no client secrets).")
    else:
        sys.stdout.write(export_json(records))
    if no_id:
        say("note: the keyring gave no client ID for " + ", ".join(repr(n) for n in no_id)
            + "; `profiles import` will skip them.")
    return EXIT_OK


def _import(args: argparse.Namespace, stack: Composition) -> int:
    from app.services.profile_transfer import TransferError, import_records, read_export

    try:
        records = read_export(Path(args.file))
    except TransferError as exc:
        fail(str(exc))
    needing = [r for r in records if r.needs_secret]
    stdin_secret: Secret | None = None
    if args.secret_stdin:
        if len(needing) != 1:
            fail(f"--secret-stdin: the file has {_count(len(needing), 'profile')} needing a "
                 "client secret; --secret-stdin gives one (type them at the prompt instead)")
        value = sys.stdin.readline().rstrip("\r\n").strip()
        if not value:
            fail("--secret-stdin: standard input had no secret on its first line")
        stdin_secret = Secret(value)
    elif needing and not sys.stdin.isatty():
        names = ", ".join(repr(r.name) for r in needing)
        fail(f"FILE: {names} need a client secret: run in a terminal to be asked, or use "
             "--secret-stdin for one")

    def ask(record: TransferRecord) -> Secret | None:
        if stdin_secret is not None:
            return stdin_secret
        import getpass

        try:
            typed = getpass.getpass(f"Client secret of {record.name!r} (not shown): ")
        except EOFError:
            return None
        return Secret(typed.strip()) if typed.strip() else None

    outcomes = import_records(
        records, stack.profiles(), stack.secrets(), ask, replace_existing=args.replace
    )
    for o in outcomes:
        say(f"{'Imported' if o.stored else 'Skipped'} {o.name!r}" + (f": {o.reason}" if o.reason
                                                                       else ""))
    stored = sum(o.stored for o in outcomes)
    say(f"{_count(stored, 'profile')} imported, {len(outcomes) - stored} skipped.")
    if stored == len(outcomes):
        return EXIT_OK
    keyring_trouble = any("keyring" in o.reason for o in outcomes if not o.stored)
    return EXIT_CREDENTIALS if keyring_trouble else EXIT_FAILURE


def _import_aws(args: argparse.Namespace, stack: Composition) -> int:
    problems = [f"--region: {p.message}" for p in validate_region(args.region)]
    problems += [f"--aws-profile: {p.message}" for p in validate_aws_profile(args.aws_profile)]
    problems += [f"--endpoint-url: {p.message}" for p in validate_endpoint_url(args.endpoint_url)]
    if args.user_pool_id is not None:
        problems += [
            f"--user-pool-id: {p.message}" for p in validate_user_pool_id(args.user_pool_id)
        ] or _pool_region(args.region, args.user_pool_id)
        if not args.user_pool_id.strip():
            problems.append("--user-pool-id: is empty")
    if args.client_id is not None:
        problems += [f"--client-id: {e.message}" for e in validate_client_id(args.client_id)]
    if args.name is not None:
        problems += [f"--name: {p.message}" for p in validate_profile_name(args.name)]
        if args.name.strip() == SANDBOX_PROFILE_NAME:
            problems.append(f"--name: {SANDBOX_PROFILE_NAME!r} is the built-in profile's name")
    if problems:
        fail("; ".join(problems))

    from app.services.admin_reader import AdminReader, AdminReadError
    from app.services.aws_import import AwsImporter, AwsPlace
    from app.services.aws_session import AwsClients, AwsCredentialSource
    from app.services.profile_repository import ProfileValidationError
    from app.services.secret_store import SecretStoreError

    importer = AwsImporter(AdminReader(AwsClients()))
    place = AwsPlace(
        AwsCredentialSource(aws_profile=args.aws_profile or None),
        args.region.strip(),
        (args.endpoint_url or "").strip() or None,
    )
    try:
        pool_id = args.user_pool_id.strip() if args.user_pool_id else _one_pool(importer, place)
        clients = importer.app_clients(place, pool_id)
        client = _one_client(clients, args.client_id, pool_id)
        name = (args.name or client.name or client.client_id).strip()
        repo = stack.profiles()
        existing = repo.get(name)
        if existing is not None and not args.replace:
            fail(f"--name: a profile named {name!r} exists; give another --name or --replace")
        imported = importer.import_client(
            place, pool_id, client.client_id, name, repo, stack.secrets(),
            replacing=existing.name if existing else None,
        )  # fmt: skip
    except AdminReadError as exc:
        failure = exc.failure
        fail(f"{exc.action}: {failure.title}. {failure.cause} {failure.remedy}".strip(),
             EXIT_FOR_KIND[failure.kind])
    except SecretStoreError as exc:
        fail(f"nothing was imported: {exc}", EXIT_CREDENTIALS)
    except ProfileValidationError as exc:
        fail(f"--name: {exc}")
    secret_note = "client ID and secret" if imported.stored_secret else "client ID"
    say(f"Imported profile {imported.profile.name!r} ({place.region}, pool {pool_id}); "
        f"{secret_note} saved in the keyring.")
    return EXIT_OK


def _pool_region(region: str, pool_id: str) -> list[str]:
    from app.core.profile import validate_pool_region

    return [f"--region: {p.message}" for p in validate_pool_region(region, pool_id)]


def _one_pool(importer: Any, place: Any) -> str:
    pools = importer.pools(place)
    if not pools:
        fail(f"--region: no user pools in {place.region} for these AWS credentials")
    if len(pools) > 1:
        listed = "; ".join(f"{p.pool_id} ({p.name})" for p in pools)
        fail(f"--user-pool-id: {place.region} has {len(pools)} user pools; choose one: {listed}")
    return str(pools[0].pool_id)


def _one_client(clients: list[Any], wanted: str | None, pool_id: str) -> Any:
    if wanted:
        match = next((c for c in clients if c.client_id == wanted.strip()), None)
        if match is None:
            fail(f"--client-id: pool {pool_id} has no app client {wanted.strip()!r}")
        return match
    if not clients:
        fail(f"--user-pool-id: pool {pool_id} has no app clients")
    if len(clients) > 1:
        listed = "; ".join(f"{c.client_id} ({c.name})" for c in clients)
        fail(f"--client-id: pool {pool_id} has {len(clients)} app clients; choose one: {listed}")
    return clients[0]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
