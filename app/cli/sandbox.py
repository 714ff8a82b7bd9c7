"""`sandbox`: serve a local Cognito (the embedded sandbox) until Ctrl+C."""

from __future__ import annotations

import argparse
import json
import signal
import threading
from types import FrameType

from app.cli.args import SubParsers, add_json_flag, port, whole_number
from app.cli.common import EXIT_NETWORK, EXIT_OK, PROG, SANDBOX_URL_ENV, fail, say
from app.cli.trigger import add_custom_message_trigger_flag, sandbox_trigger


def add_parser(sub: SubParsers) -> None:
    p = sub.add_parser(
        "sandbox",
        help="run a local Cognito sandbox (no AWS account needed) until Ctrl+C",
        description="Run a local Cognito-compatible endpoint with seeded app clients "
        "(public, protected, secret) and users (alice, bob, carol, qa-user-001..010). "
        "Codes it 'sends' land in its inbox (see the inbox command). Usernames "
        "fault-<kind> provoke errors, e.g. fault-throttle, fault-limit, fault-slow-2.",
    )
    p.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    p.add_argument(
        "--port", type=port, default=0, help="port to listen on; 0 picks a free one (default)"
    )
    add_json_flag(p, "print the connection details as one JSON line")
    p.add_argument(
        "--resend-limit",
        type=whole_number(1, 10_000),
        default=5,
        metavar="N",
        help="resends allowed per user per hour before LimitExceededException (default: 5)",
    )
    add_custom_message_trigger_flag(p)


def run(args: argparse.Namespace) -> int:
    say("sandbox: starting (loading moto takes a moment) ...")
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
