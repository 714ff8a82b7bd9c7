"""Benchmark: one `main.py resend` process vs one `aws cognito-idp resend-confirmation-code`."""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    ROOT,
    child_env,
    client_id,
    emit,
    figure,
    resendable_users,
    sandbox_process,
    time_process,
    tiny,
)

TARGET_RATIO = 0.5

# What a careful hand-written script costs: boto3, one unsigned client, one call.
BARE_BOTO3 = """
import sys, boto3
from botocore import UNSIGNED
from botocore.config import Config
c = boto3.session.Session().client("cognito-idp", region_name=sys.argv[2],
    endpoint_url=sys.argv[1], config=Config(signature_version=UNSIGNED))
print(c.resend_confirmation_code(ClientId=sys.argv[3], Username=sys.argv[4]))
"""


def aws_cli() -> str:
    """The AWS CLI of this venv (the test extra installs it), else the one on PATH."""
    here = Path(sys.executable).parent / "aws"
    found = str(here) if here.exists() else shutil.which("aws")
    if not found:
        raise SystemExit("the AWS CLI is not installed (pip install awscli)")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=2 if tiny() else 11)
    args = parser.parse_args(argv)
    app_ms: list[float] = []
    aws_ms: list[float] = []
    bare_ms: list[float] = []
    with sandbox_process() as info, tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        url, region, cid = info["endpoint_url"], info["region"], client_id(info)
        env = child_env(Path(tmp))
        users = resendable_users(info)
        aws = aws_cli()

        def app(user: str) -> list[str]:
            return [sys.executable, str(ROOT / "main.py"), "resend", "--profile", "Sandbox",
                    "--endpoint-url", url, "--username", user]

        def ref(user: str) -> list[str]:
            return [aws, "cognito-idp", "resend-confirmation-code", "--no-sign-request",
                    "--endpoint-url", url, "--region", region, "--client-id", cid,
                    "--username", user]

        def bare(user: str) -> list[str]:
            return [sys.executable, "-c", BARE_BOTO3, url, region, cid, user]

        # Unmeasured: page cache, .pyc files.
        for make in (app, ref, bare):
            time_process(make(users[0]), env)
        for i in range(args.runs):  # interleaved, so load changes hit all alike
            user = users[i % len(users)]
            app_ms.append(time_process(app(user), env) * 1000)
            aws_ms.append(time_process(ref(user), env) * 1000)
            bare_ms.append(time_process(bare(user), env) * 1000)
    emit(
        figure(
            "cli_vs_aws_cli",
            app_ms,
            aws_ms,
            unit="ms",
            target=TARGET_RATIO,
            description="whole-process wall time of `python main.py resend --profile Sandbox "
            "--endpoint-url URL` vs `aws cognito-idp resend-confirmation-code "
            "--no-sign-request` against the same sandbox process",
            bare_boto3_median=round(statistics.median(bare_ms), 1),
            bare_boto3_ratio=round(statistics.median(bare_ms) / statistics.median(aws_ms), 3),
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
