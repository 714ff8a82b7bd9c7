"""Benchmark: one diagnosis (its reads in parallel) and a second user in a cached pool, as JSON.

    python bench/bench_diagnosis.py

The sandbox runs in its own process; the calls go through a local relay that holds each
request back by a fixed delay, as a round trip to AWS would (a real diagnosis spends its
time on the network, not on the sandbox's CPU). Figures:
- diagnosis_parallel: one diagnosis (fresh settings cache: ListUsers, DescribeUserPool and
  DescribeUserPoolClient at once) over the slowest of those calls made alone; target 1.3x.
- diagnosis_second_user: a diagnosis of another user in the same pool (pool and client
  settings cached) over one ListUsers call alone; target 1.1x.
"""

from __future__ import annotations

import queue
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import client_id, emit, figure, sandbox_process, tiny

DELAY_S = 0.04  # one request's added latency (a short AWS round trip)
RUNS = 3 if tiny() else 15


def _close(*sockets: socket.socket) -> None:
    for s in sockets:
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _pipe(src: socket.socket, dst: socket.socket, delay: float) -> None:
    """Copy src -> dst, each chunk sent `delay` after it arrived (a constant one-way
    latency: chunks of one request are not delayed one after another)."""
    chunks: queue.Queue[tuple[float, bytes]] = queue.Queue()

    def send() -> None:
        try:
            while True:
                at, data = chunks.get()
                if not data:
                    return
                wait = at + delay - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            _close(src, dst)

    threading.Thread(target=send, daemon=True).start()
    try:
        while data := src.recv(65536):
            chunks.put((time.perf_counter(), data))
    except OSError:
        pass
    chunks.put((0.0, b""))


@contextmanager
def latency_relay(host: str, port: int, delay: float) -> Iterator[str]:
    """A TCP relay to host:port that delays every client->server chunk by `delay`."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except (TimeoutError, OSError):
                continue
            upstream = socket.create_connection((host, port))
            for a, b, d in ((conn, upstream, delay), (upstream, conn, 0.0)):
                threading.Thread(target=_pipe, args=(a, b, d), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(2)
        server.close()


def _timed(call: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    call()
    return (time.perf_counter() - t0) * 1000.0


def main() -> int:
    from urllib.parse import urlsplit

    from app.core.diagnosis_input import LookupKey
    from app.core.profile import Profile
    from app.core.secrets import Secret
    from app.services.admin_reader import AdminReader
    from app.services.aws_session import AdminTarget, AwsClients, AwsCredentialSource, StaticKeys
    from app.services.diagnosis_service import DiagnosisService

    with sandbox_process() as info:
        url = urlsplit(info["endpoint_url"])
        keys = (info.get("aws_credentials") or {}).get("admin") or {}
        source = AwsCredentialSource(
            static=StaticKeys(
                keys.get("access_key_id", "AKIABENCH"),
                Secret(keys.get("secret_access_key", "bench")),
            )
        )
        with latency_relay(url.hostname or "127.0.0.1", url.port or 80, DELAY_S) as relay:
            profile = Profile("Sandbox", info["region"], relay, info["user_pool_id"], builtin=True)
            target = AdminTarget(profile, client_id(info, "protected"), source)
            clients = AwsClients()
            reader = AdminReader(clients)
            service = DiagnosisService(reader)
            try:
                # Warm the connections and clients; not measured.
                for _ in range(2):
                    service.diagnose(target, "alice")
                singles: list[float] = []
                parallel: list[float] = []
                lookups: list[float] = []
                second: list[float] = []
                for n in range(RUNS):
                    reader.forget()
                    calls = (
                        lambda: reader.find(target, LookupKey.USERNAME, "alice"),
                        lambda: reader.pool(target),
                        lambda: reader.app_client(target),
                    )
                    singles.append(max(_timed(c) for c in calls))
                    reader.forget()
                    parallel.append(_timed(lambda: service.diagnose(target, "alice")))
                    other = f"qa-user-{n % 10 + 1:03d}"
                    lookups.append(
                        _timed(lambda o=other: reader.find(target, LookupKey.USERNAME, o))  # type: ignore[misc]
                    )
                    second.append(_timed(lambda o=other: service.diagnose(target, o)))  # type: ignore[misc]
            finally:
                service.close()
    extra = {"added_latency_ms_per_request": DELAY_S * 1000}
    emit(
        figure(
            "diagnosis_parallel",
            parallel,
            singles,
            unit="ms",
            target=1.3,
            description="one diagnosis (ListUsers, DescribeUserPool, DescribeUserPoolClient "
            "in parallel, nothing cached) over the slowest of those calls alone",
            **extra,
        )
    )
    emit(
        figure(
            "diagnosis_second_user",
            second,
            lookups,
            unit="ms",
            target=1.1,
            description="a diagnosis of a second user in the same pool (settings cached) "
            "over one ListUsers call alone",
            **extra,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
