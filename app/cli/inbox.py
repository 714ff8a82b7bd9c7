"""`inbox`: read the codes a sandbox running in another process has "sent"."""

from __future__ import annotations

import argparse
import json
import sys

from app.cli.args import SubParsers, add_endpoint_url_flag, add_json_flag
from app.cli.common import (
    EXIT_NETWORK,
    EXIT_OK,
    PROG,
    SANDBOX_URL_ENV,
    fail,
    print_json,
    sandbox_url,
    say,
)


def add_parser(sub: SubParsers) -> None:
    p = sub.add_parser(
        "inbox",
        help="show the codes a running sandbox has 'sent'",
        description="Read the inbox of a sandbox running in another process (started with "
        f"`{PROG} sandbox`).",
    )
    add_endpoint_url_flag(p, f"the sandbox's URL (default: ${SANDBOX_URL_ENV})")
    p.add_argument("--username", metavar="U", help="only this user's messages")
    add_json_flag(p)


def run(args: argparse.Namespace) -> int:
    url = sandbox_url(args.endpoint_url)
    if url is None:
        fail(f"--endpoint-url: give the sandbox's URL, or set {SANDBOX_URL_ENV}")
    from app.sandbox.control import SandboxControl, SandboxControlError

    try:
        messages = SandboxControl(url).inbox(args.username)
    except SandboxControlError as exc:
        fail(f"no sandbox answers at {url}: {exc}", EXIT_NETWORK)
    if args.json:
        print_json([m.to_json() for m in messages])
        return EXIT_OK
    if not messages:
        who = f" for {args.username!r}" if args.username else ""
        say(f"inbox: no messages{who}")
        return EXIT_OK
    for m in messages:
        print(f"{m.sent_at}  {m.username}  {m.medium} to {m.destination}  code {m.code}")
        if m.client_metadata:
            print(f"    client metadata: {json.dumps(m.client_metadata, ensure_ascii=False)}")
    sys.stdout.flush()
    return EXIT_OK
