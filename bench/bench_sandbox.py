"""Benchmark: sequential ResendConfirmationCode calls/s against the local sandbox, as JSON."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

# Run as `python bench/bench_sandbox.py` from anywhere: the repository root holds `app`.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import boto3
from botocore import UNSIGNED
from botocore.config import Config

from app.sandbox.server import Sandbox

CALLS = 200


def main() -> int:
    # The limit is raised so that every call is a real delivery, not a LimitExceeded answer.
    sandbox = Sandbox(resend_limit=CALLS + 1)
    info = sandbox.start()
    try:
        cognito = boto3.session.Session().client(
            "cognito-idp",
            region_name=info.region,
            endpoint_url=info.endpoint_url,
            config=Config(signature_version=UNSIGNED, retries={"total_max_attempts": 1}),
        )
        client_id = info.client("public").client_id
        cognito.resend_confirmation_code(ClientId=client_id, Username="qa-user-001")  # warm-up
        started = time.perf_counter()
        for _ in range(CALLS):
            cognito.resend_confirmation_code(ClientId=client_id, Username="alice")
        elapsed = time.perf_counter() - started
        assert len(sandbox.inbox("alice")) == CALLS
    finally:
        sandbox.stop()
    result = {
        "name": "sandbox_sequential_resends",
        "calls": CALLS,
        "seconds": round(elapsed, 3),
        "calls_per_s": round(CALLS / elapsed, 1),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
