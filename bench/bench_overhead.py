"""Benchmark: per-call cost of a resend through the app's services vs raw boto3, same sandbox."""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import client_id, emit, figure, resendable_users, sandbox_process, tiny

TARGET_RATIO = 1.05


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=20 if tiny() else 500)
    parser.add_argument("--runs", type=int, default=2 if tiny() else 7)
    args = parser.parse_args(argv)

    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    from app.core.profile import ClientCredentials, Profile
    from app.core.request import ResendInput
    from app.services.cognito_gateway import CognitoGateway, GatewayConfig
    from app.services.credentials import CredentialResolver
    from app.services.history_store import HistoryStore
    from app.services.logging_setup import configure_logging
    from app.services.pipeline import ResendPipeline
    from app.services.trigger_service import TriggerService

    app_ms: list[float] = []
    raw_ms: list[float] = []
    with sandbox_process() as info, tempfile.TemporaryDirectory(prefix="bench-overhead-") as tmp:
        url, region, cid = info["endpoint_url"], info["region"], client_id(info)
        users = resendable_users(info)
        # The app logs every resend to its file; so does this process, the same way.
        configure_logging(Path(tmp) / "app.log")
        # As the window opens it (app.ui.application: write-behind, reads wait for it).
        history = HistoryStore(Path(tmp) / "history.sqlite3", write_behind=True)
        gateway = CognitoGateway(GatewayConfig(max_attempts=1))
        gateway.warm_up(region, url)
        # As the window builds it (app.ui.controllers.session): the one ResendPipeline,
        # its resolver and the trigger service. ResendService, measured here before, is
        # the same pipeline under its old name, kept for callers that have not moved.
        pipeline = ResendPipeline(gateway, history, CredentialResolver(None), TriggerService())
        profile = Profile(name="Bench", region=region, endpoint_url=url)
        creds = ClientCredentials(cid, None)
        raw = boto3.session.Session().client(
            "cognito-idp",
            region_name=region,
            endpoint_url=url,
            config=Config(signature_version=UNSIGNED, retries={"total_max_attempts": 1}),
        )

        cpu = {"app": 0.0, "raw": 0.0, "app_n": 0, "raw_n": 0}

        def run_app(n: int) -> float:
            c0 = time.process_time()
            t0 = time.perf_counter()
            for i in range(n):
                # What one Send does (app.ui.controllers.sending): resolve the credentials
                # (here typed ones, as a session-only secret is), prepare, execute.
                form = ResendInput(client_id="", username=users[i % len(users)])
                resolved = pipeline.resolver.resolve(profile, creds)
                final = pipeline.execute(pipeline.prepare(profile, form, resolved))
                assert final.failure is None, final.failure
            took = (time.perf_counter() - t0) * 1000 / n
            cpu["app"] += time.process_time() - c0
            cpu["app_n"] += n
            return took

        def run_raw(n: int) -> float:
            c0 = time.process_time()
            t0 = time.perf_counter()
            for i in range(n):
                raw.resend_confirmation_code(ClientId=cid, Username=users[i % len(users)])
            took = (time.perf_counter() - t0) * 1000 / n
            cpu["raw"] += time.process_time() - c0
            cpu["raw_n"] += n
            return took

        try:
            run_app(10)  # warm both paths: connections, statement cache, moto's first calls
            run_raw(10)
            cpu.update(app=0.0, raw=0.0, app_n=0, raw_n=0)
            for r in range(args.runs):
                # Alternate which goes first, so a drift in load or in the sandbox's
                # growing state does not favour one side.
                if r % 2:
                    app_ms.append(run_app(args.calls))
                    raw_ms.append(run_raw(args.calls))
                else:
                    raw_ms.append(run_raw(args.calls))
                    app_ms.append(run_app(args.calls))
            assert history.flush(30) and history.count() >= 10 + args.runs * args.calls
        finally:
            history.close()
            logging.shutdown()
    cpu_app = cpu["app"] * 1000 / max(1, int(cpu["app_n"]))
    cpu_raw = cpu["raw"] * 1000 / max(1, int(cpu["raw_n"]))
    emit(
        figure(
            "call_overhead",
            app_ms,
            raw_ms,
            unit="ms/call",
            target=TARGET_RATIO,
            description=f"{args.calls} sequential resends through ResendPipeline as the "
            "window sends (resolve, prepare, execute: CognitoGateway + HistoryStore.append, "
            "write-behind as the window's + the app's file log) vs "
            f"{args.calls} raw boto3 resend_confirmation_code calls on a warm client, "
            "same sandbox process",
            calls_per_run=args.calls,
            # CPU of this process (every thread: the writer's commits and the log's
            # writes included) per call: steadier than wall time on a loaded machine.
            cpu_ms_per_call=round(cpu_app, 4),
            baseline_cpu_ms_per_call=round(cpu_raw, 4),
            cpu_ratio=round(cpu_app / cpu_raw, 3) if cpu_raw else None,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
