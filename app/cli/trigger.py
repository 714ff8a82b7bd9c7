"""`trigger-event`: print the CustomMessage_ResendCode event a resend would send to the trigger.

Also the sandbox's ``--custom-message-trigger`` flag (``add_custom_message_trigger_flag``),
so the wiring in app/cli/sandbox.py stays a line. Standard library only at import.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.args import (
    SubParsers,
    add_endpoint_url_flag,
    add_metadata_flags,
    add_sandbox_client_flag,
)
from app.cli.common import (
    EXIT_FAILURE,
    EXIT_NETWORK,
    EXIT_OK,
    PROG,
    SANDBOX_URL_ENV,
    app_paths,
    cli_stack,
    fail,
    metadata_pairs,
    sandbox_url,
    say,
    stored_profile,
)
from app.core.profile import SANDBOX_PROFILE_NAME

if TYPE_CHECKING:
    from app.core.profile import Profile
    from app.core.trigger_event import EventPreview
    from app.services.composition import Composition

COMMAND = "trigger-event"
CLIENT_ID_PLACEHOLDER = "<app client id>"


def add_parser(sub: SubParsers) -> None:
    p = sub.add_parser(
        COMMAND,
        help="print the JSON event a CustomMessage trigger receives on resend",
        description="Print the CustomMessage_ResendCode event Cognito sends to the pool's "
        "CustomMessage Lambda trigger when this resend is made, as JSON (a test event for "
        "`sam local invoke -e` or the Lambda console). For an AWS pool the user's attributes "
        "are not known here: they are placeholders, and a note on stderr says so.",
    )
    p.add_argument("--profile", required=True, help="the profile the resend goes through")
    p.add_argument("--username", required=True, help="the user (username or alias)")
    add_metadata_flags(
        p,
        entry_help="a ClientMetadata entry (repeatable); overrides the preset's entry of that key",
        json_help='ClientMetadata as a JSON object {"k": "v"}',
    )
    p.add_argument("--preset", metavar="NAME", help="start from the profile's metadata preset")
    p.add_argument(
        "--client-id",
        help="the app client ID to show (default: the profile's, from the keyring)",
    )
    add_endpoint_url_flag(
        p,
        f"with --profile {SANDBOX_PROFILE_NAME}: the running sandbox (default: ${SANDBOX_URL_ENV})",
    )
    add_sandbox_client_flag(p, "with the sandbox: which seeded app client (default: %(default)s)")
    p.add_argument("--output", "-o", type=Path, help="write the event to this file too")


def add_custom_message_trigger_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--custom-message-trigger",
        metavar="FILE.py:FUNCTION",
        help="run this Python handler as the pool's CustomMessage trigger on every resend "
        "(a fresh process per call, so edits apply to the next resend; 5 s limit)",
    )


def sandbox_trigger(args: argparse.Namespace) -> str | None:
    """The --custom-message-trigger spec, checked (exit 2 with the reason when unusable)."""
    spec: str | None = getattr(args, "custom_message_trigger", None)
    if spec is None:
        return None
    from app.sandbox.trigger import parse_handler_spec

    try:
        return str(parse_handler_spec(spec))
    except ValueError as exc:
        fail(f"--custom-message-trigger: {exc}")


def _metadata(args: argparse.Namespace, profile: Profile | None) -> dict[str, str]:
    pairs: list[tuple[str, str]] = []
    if args.preset is not None:
        presets = profile.presets if profile is not None else ()
        preset = next((p for p in presets if p.name == args.preset), None)
        if preset is None:
            known = ", ".join(p.name for p in presets) or "none"
            fail(f"--preset: the profile has no preset {args.preset!r} (known: {known})")
        pairs.extend(preset.pairs)
    pairs.extend(metadata_pairs(args))
    # Later entries win, as they would in the JSON object Cognito receives.
    return dict(pairs)


def _sandbox_preview(args: argparse.Namespace) -> EventPreview:
    from app.core.trigger_event import preview_custom_message_event
    from app.sandbox.control import SandboxControl, SandboxControlError
    from app.services.sandbox_profile import sandbox_credentials

    url = sandbox_url(args.endpoint_url)
    if url is None:
        fail(
            f"{COMMAND}: no sandbox URL (--endpoint-url or ${SANDBOX_URL_ENV}); start one with "
            f"`{PROG} sandbox`",
        )
    control = SandboxControl(url)
    try:
        info = control.info()
        attributes = control.user_attributes(args.username)
    except SandboxControlError as exc:
        fail(f"no sandbox answers at {url}: {exc}", EXIT_NETWORK)
    if attributes is None:
        say(f"{COMMAND}: the sandbox has no user {args.username!r}; attributes are placeholders")
    return preview_custom_message_event(
        region=info.region,
        user_pool_id=info.user_pool_id,
        username=args.username,
        client_id=args.client_id or sandbox_credentials(info, args.sandbox_client).client_id,
        client_metadata=_metadata(args, None),
        user_attributes=attributes,
    )


def _stored_preview(args: argparse.Namespace) -> EventPreview:
    from app.core.trigger_event import preview_custom_message_event

    stack = cli_stack(app_paths())
    profile = stored_profile(args.profile, stack)
    metadata = _metadata(args, profile)
    client_id = args.client_id or _client_id_from_keyring(profile, stack)
    return preview_custom_message_event(
        region=profile.region,
        user_pool_id=profile.user_pool_id,
        username=args.username,
        client_id=client_id,
        client_metadata=metadata,
        user_attributes=None,
    )


def _client_id_from_keyring(profile: Profile, stack: Composition) -> str:
    resolved = stack.resolver().resolve(profile)
    if resolved.credentials is None:
        # The event is still useful with a placeholder; say why it is one.
        say(f"{COMMAND}: the client ID is a placeholder: {resolved.problem}")
        return CLIENT_ID_PLACEHOLDER
    return resolved.credentials.client_id


def run(args: argparse.Namespace) -> int:
    if args.profile.strip() == SANDBOX_PROFILE_NAME:
        if args.preset is not None:
            fail(f"--preset: the built-in {SANDBOX_PROFILE_NAME} profile has no presets")
        preview = _sandbox_preview(args)
    else:
        preview = _stored_preview(args)
    text = preview.to_json_text()
    if args.output is not None:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            fail(f"--output: cannot write {args.output}: {exc}", EXIT_FAILURE)
        say(f"{COMMAND}: wrote {args.output}")
    note = preview.placeholder_note
    if note is not None:
        say(f"{COMMAND}: {note}")
    sys.stdout.write(text)
    return EXIT_OK
