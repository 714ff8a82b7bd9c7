"""`sandbox` (serve a local Cognito until Ctrl+C) and `inbox` (read a running sandbox's inbox)."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from types import FrameType

from app.cli_common import (
    EXIT_NETWORK,
    EXIT_OK,
    PROG,
    SANDBOX_URL_ENV,
    fail,
    print_json,
    sandbox_url,
    say,
)


def run_sandbox(args: argparse.Namespace) -> int:
    say("sandbox: starting (loading moto takes a moment) ...")
    from app.cli_trigger import sandbox_trigger
    from app.sandbox.server import Sandbox, describe

    trigger = sandbox_trigger(args)
    sandbox = Sandbox(
        host=args.host,
        port=args.port,
        resend_limit=args.resend_limit,
        custom_message_trigger=trigger,
    )
    try:
        info = sandbox.start()
    except OSError as exc:
        fail(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", EXIT_NETWORK)
    except SystemExit:
        # werkzeug reports a port in use on stderr and calls sys.exit(1) instead of raising.
        fail(f"cannot listen on {args.host}:{args.port} (see above)", EXIT_NETWORK)
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {s: signal.signal(s, _on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        if args.json:
            # One line, first: scripts read it to learn the port and the client ids.
            print(json.dumps(info.to_json()), flush=True)
        else:
            print(describe(info, sandbox.custom_message_trigger))
            print(
                f"\nTry it:  {PROG} resend --profile Sandbox --endpoint-url "
                f"{info.endpoint_url} --username alice\n"
                f"     or: export {SANDBOX_URL_ENV}={info.endpoint_url}",
                flush=True,
            )
        # A timeout so the main thread wakes up to run the signal handlers.
        while not stop.wait(0.5):
            pass
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        sandbox.stop()
    say("sandbox: stopped")
    return EXIT_OK


def run_inbox(args: argparse.Namespace) -> int:
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
