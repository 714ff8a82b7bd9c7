"""What `users`, `diagnose` and `admin` share: flags, the admin target, the services, prompts."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from app.cli.args import add_endpoint_url_flag, add_sandbox_client_flag, seconds
from app.cli.common import (
    EXIT_CREDENTIALS,
    EXIT_FOR_KIND,
    EXIT_INPUT,
    SANDBOX_URL_ENV,
    app_paths,
    cli_stack,
    fail,
    gateway_config,
    sandbox_info,
    stored_target,
)
from app.core.profile import SANDBOX_PROFILE_NAME, Profile

if TYPE_CHECKING:
    from app.core.outcome import Attempt, DecodedFailure
    from app.services.admin_stack import AdminServices
    from app.services.aws_session import AdminTarget
    from app.services.composition import Composition
    from app.services.diagnosis_service import RecentAttempts
    from app.services.history_store import HistoryStore


def add_target_flags(p: argparse.ArgumentParser) -> None:
    """--profile, --endpoint-url, --sandbox-client and --timeout, as `resend` has them."""
    p.add_argument(
        "--profile",
        required=True,
        help=f"the profile to use; '{SANDBOX_PROFILE_NAME}' is the built-in local sandbox "
        "(its admin keys need no set-up); others sign with their --aws-profile or the "
        "default AWS credentials",
    )
    add_endpoint_url_flag(
        p, f"override the profile's endpoint (for {SANDBOX_PROFILE_NAME}: a running "
        f"sandbox's URL, default ${SANDBOX_URL_ENV})",
    )  # fmt: skip
    add_sandbox_client_flag(
        p, f"for {SANDBOX_PROFILE_NAME}: which seeded app client (default: %(default)s, as resend)"
    )
    p.add_argument(
        "--timeout", type=seconds, metavar="SECONDS", help="read timeout of each AWS call"
    )


@dataclass(frozen=True)
class AdminContext:
    """One command's admin services and the target they act on."""

    services: AdminServices
    target: AdminTarget
    stack: Composition


@contextmanager
def admin_context(args: argparse.Namespace, *, with_history: bool) -> Iterator[AdminContext]:
    """The target named by --profile and the services; exits 2 (bad flag) or 5 (keyring).

    A stored profile is checked before anything is built: a typo costs no keyring,
    history or AWS set-up."""
    from app.services import admin_targets
    from app.services.admin_stack import AdminServices
    from app.services.aws_session import AdminClientConfig

    # Building the stack is free: each service is made on first use.
    stack = cli_stack(app_paths(), gateway_config(args.timeout))
    config = AdminClientConfig()
    if args.timeout is not None:
        config = AdminClientConfig(read_timeout=args.timeout)
    try:
        builtin = args.profile.strip().casefold() == SANDBOX_PROFILE_NAME.casefold()
        stored = None if builtin else _stored_profile(args, stack)
        history = stack.history() if with_history else None
        recent = _recent(history) if history is not None else None
        services = AdminServices(history if history is not None else _Discard(), recent, config)
        try:
            if stored is not None:
                client_id = _client_id(stack, stored)
                target = admin_targets.stored_target(stored, client_id)
                yield AdminContext(services, target, stack)
                return
            with sandbox_info(args, stack) as info:
                names = [c.name for c in info.clients]
                if args.sandbox_client not in names:
                    fail(f"--sandbox-client: one of {', '.join(names)}")
                from app.services.sandbox_profile import sandbox_target as sandbox_profile

                profile = sandbox_profile(info, args.sandbox_client).profile
                target = admin_targets.sandbox_target(info, profile, args.sandbox_client)
                yield AdminContext(services, target, stack)
        finally:
            services.close()
    finally:
        stack.close()


def _stored_profile(args: argparse.Namespace, stack: Composition) -> Profile:
    """The saved profile --profile names, --endpoint-url applied; it must name its pool."""
    profile = stored_target(args, stack).profile
    if not profile.user_pool_id:
        fail(
            f"--profile: {profile.name!r} names no user pool ID; add it with "
            f"`profiles set {profile.name} --user-pool-id ID`"
        )
    return profile


def _client_id(stack: Composition, profile: Profile) -> str:
    """The profile's client ID from the keyring (exit 5 when it cannot be read)."""
    resolved = stack.resolver().resolve(profile)
    if resolved.credentials is None:
        fail(f"cannot read the client ID of {profile.name!r}: {resolved.problem}", EXIT_CREDENTIALS)
    return resolved.credentials.client_id


def _recent(history: HistoryStore) -> RecentAttempts:
    """This profile's newest resends of a user, from the history store."""
    from app.services.admin_stack import store_recent
    from app.services.history_store import HistoryFilter

    return store_recent(
        lambda profile, username, limit: history.page(
            HistoryFilter(profile=profile, username=username), 0, limit
        )
    )


class _Discard:
    """A history that keeps nothing (read-only commands record no attempt)."""

    def append(self, attempt: Attempt) -> None:
        return None


def exit_for(failure: DecodedFailure) -> int:
    return EXIT_FOR_KIND.get(failure.kind, EXIT_INPUT)


def confirm_on_terminal(
    plan_text: str, yes: bool, command: str, *, stdin: TextIO | None = None
) -> bool:
    """True to go ahead: --yes, or 'y' typed at the terminal after reading what changes.
    Without a terminal (and without --yes) it refuses rather than guess."""
    if yes:
        return True
    stream = stdin or sys.stdin
    print(plan_text, file=sys.stderr)
    if stream is None or not stream.isatty():
        fail(
            f"{command}: nothing was changed — standard input is not a terminal, so there is "
            "no one to confirm; add --yes to go ahead without asking"
        )
    print("Go ahead? [y/N] ", end="", file=sys.stderr, flush=True)
    answer = stream.readline().strip().casefold()
    return answer in ("y", "yes")
