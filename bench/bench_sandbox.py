"""Benchmark: sequential resends to the sandbox vs moto's own server on a native read.

Both sides run in this process, each on one kept-alive HTTP/1.1 connection (boto3's pool
keeps it; the row checks that one connection served every call):
- subject: ResendConfirmationCode to the sandbox (its front, the sandbox's own handler,
  the inbox, the limiter), as the app and every SDK call it;
- baseline: DescribeUserPool answered by moto's own WSGI app (no sandbox front) behind the
  same keep-alive request handler: what moto itself costs per call on one connection.
Runs alternate; medians of ms per call. Target: >= 0.8 x the baseline's calls/s, i.e.
<= 1.25 x its ms per call.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import emit, figure, tiny

TARGET_RATE = 0.8


def _client(url: str, region: str, *, signed: bool) -> Any:
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    config = Config(retries={"total_max_attempts": 1}, max_pool_connections=1)
    if not signed:
        config = config.merge(Config(signature_version=UNSIGNED))
    return boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region
    ).client("cognito-idp", endpoint_url=url, config=config)


def _connections(client: Any) -> int:
    """How many TCP connections the client's pool opened (urllib3 counts them)."""
    pools = client._endpoint.http_session._manager.pools
    return sum(pools[k].num_connections for k in pools.keys())


class MotoServer:
    """moto's own WSGI app on 127.0.0.1, with the sandbox's keep-alive request handler."""

    def __init__(self) -> None:
        from moto.backends import get_backend  # noqa: F401  (moto's registry, loaded once)
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
        from werkzeug.serving import make_server

        from app.sandbox.keepalive import ConnectionRegistry, KeepAliveHandler

        self._server = make_server(
            "127.0.0.1", 0, DomainDispatcherApplication(create_backend_app), threaded=True,
            request_handler=KeepAliveHandler,
        )
        self._registry = ConnectionRegistry()
        self._server.sandbox_connections = self._registry  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._registry.close_all()
        self._thread.join(timeout=5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--calls", type=int, default=30 if tiny() else 300)
    parser.add_argument("--runs", type=int, default=2 if tiny() else 7)
    args = parser.parse_args(argv)

    from app.sandbox.server import Sandbox

    total = (args.runs + 1) * args.calls + 10
    sandbox = Sandbox(resend_limit=total)  # every call a real delivery, never LimitExceeded
    info = sandbox.start()
    moto = MotoServer()
    resend_ms: list[float] = []
    native_ms: list[float] = []
    try:
        region = info.region
        app = _client(info.endpoint_url, region, signed=False)
        native = _client(moto.url, region, signed=False)
        pool_id = native.create_user_pool(PoolName="bench")["UserPool"]["Id"]
        client_id = info.client("public").client_id

        def run_resend(n: int) -> float:
            t0 = time.perf_counter()
            for _ in range(n):
                app.resend_confirmation_code(ClientId=client_id, Username="alice")
            return (time.perf_counter() - t0) * 1000 / n

        def run_native(n: int) -> float:
            t0 = time.perf_counter()
            for _ in range(n):
                native.describe_user_pool(UserPoolId=pool_id)
            return (time.perf_counter() - t0) * 1000 / n

        run_resend(10)  # warm: connections, moto's first-call costs
        run_native(10)
        for r in range(args.runs):
            if r % 2:
                resend_ms.append(run_resend(args.calls))
                native_ms.append(run_native(args.calls))
            else:
                native_ms.append(run_native(args.calls))
                resend_ms.append(run_resend(args.calls))
        delivered = len(sandbox.inbox("alice"))
        assert delivered == 10 + args.runs * args.calls, delivered
        connections = {"resend": _connections(app), "native": _connections(native)}
    finally:
        moto.stop()
        sandbox.stop()
    result = figure(
        "sandbox_keepalive",
        resend_ms,
        native_ms,
        unit="ms/call",
        target=round(1 / TARGET_RATE, 3),
        description=f"{args.calls} sequential ResendConfirmationCode calls to the sandbox vs "
        f"{args.calls} DescribeUserPool calls answered by moto's own WSGI app, each on one "
        "kept-alive connection, same process, alternating runs; target: >= "
        f"{TARGET_RATE} x moto's calls/s (<= {1 / TARGET_RATE:.2f} x its ms per call)",
        calls_per_run=args.calls,
        calls_per_s=round(1000 / statistics_median(resend_ms), 1),
        baseline_calls_per_s=round(1000 / statistics_median(native_ms), 1),
        rate_ratio=round(statistics_median(native_ms) / statistics_median(resend_ms), 3),
        tcp_connections=connections,
    )
    emit(result)
    return 0


def statistics_median(values: list[float]) -> float:
    import statistics

    return statistics.median(values)


if __name__ == "__main__":
    raise SystemExit(main())
