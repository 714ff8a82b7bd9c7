"""4: every network and service fault ends in a decoded attempt in the history, within the
configured timeouts, and only what is safe to retry is retried.

Sandbox faults are injected once, in front of a user the sandbox would answer with a
(simulated) delivery: a retried fault shows as a delivery with retries=1, a fault that
must not be retried stays the final outcome with retries=0. Local sockets stand in for
the network faults the sandbox cannot make (only 127.0.0.0/8 is reachable here):

* read timeout: a server that accepts and never answers (accepts are counted);
* connect timeout: a listening socket with listen(0) whose accept queue is already full
  of connections nobody accepts -- Linux then drops the SYN, and connect() times out;
* connection refused: a port with no listener;
* DNS failure: a host under .invalid (RFC 2606), which never resolves.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from app.core.attempts import begin_attempt
from app.core.outcome import Attempt, Status
from app.core.profile import ClientCredentials, Profile
from app.core.request import ResendInput
from app.core.secrets import Secret
from app.sandbox.server import Sandbox
from app.services.cognito_gateway import CognitoGateway, GatewayConfig
from app.services.history_store import HistoryStore
from app.services.paths import AppPaths
from app.services.resend_service import ResendService

pytestmark = pytest.mark.timeout(120)

CONFIG = GatewayConfig(connect_timeout=1.0, read_timeout=1.5, max_attempts=3,
                       backoff_base=0.05, backoff_cap=0.2)
# The most one resend may take: every attempt waiting its full timeouts, plus backoffs,
# plus slack for a loaded machine. A bound, not a measurement.
BOUND_S = CONFIG.max_attempts * (CONFIG.connect_timeout + CONFIG.read_timeout
                                 + CONFIG.backoff_cap) + 5.0

# Injected fault -> (decoded code, retried?)
SANDBOX_FAULTS = {
    "throttle": ("TooManyRequestsException", True),
    "internal": ("InternalErrorException", True),
    "http-500": ("HttpError", True),
    "http-503": ("HttpError", True),
    "limit": ("LimitExceededException", False),  # retrying burns the user's attempts
    "malformed": ("MalformedResponse", False),  # Cognito may have sent the code
    "drop": ("ConnectionDropped", False),  # idem
    "slow-5": ("ReadTimeout", False),  # idem
    "delivery": ("CodeDeliveryFailureException", False),
    "forbidden": ("ForbiddenException", False),
}


@pytest.fixture
def history() -> Iterator[HistoryStore]:
    store = HistoryStore(AppPaths.from_platform().ensure().history_db)
    yield store
    store.close()


def _send(history: HistoryStore, endpoint: str, username: str,
          creds: ClientCredentials) -> tuple[Attempt, float]:
    profile = Profile(name="Faults", region="us-east-1", endpoint_url=endpoint,
                      has_secret=creds.client_secret is not None)
    service = ResendService(CognitoGateway(CONFIG), _NoKeyring(), history)
    raw = ResendInput(client_id="", username=username)
    t0 = time.monotonic()
    final = service.run(begin_attempt(profile, raw), profile, raw, creds)
    elapsed = time.monotonic() - t0
    stored = history.get(final.attempt_id)
    assert stored is not None and stored.status is final.status
    assert stored.failure == final.failure  # decoded, and decoded the same once stored
    assert elapsed < BOUND_S, f"{username}: {elapsed:.1f}s"
    return final, elapsed


class _NoKeyring:
    def load(self, profile_name: str) -> ClientCredentials:
        raise AssertionError("credentials are always given here")


@pytest.mark.parametrize("fault", sorted(SANDBOX_FAULTS))
def test_sandbox_fault_is_decoded_recorded_and_retried_only_if_safe(
    fault: str, fresh_sandbox: Sandbox, history: HistoryStore
) -> None:
    info = fresh_sandbox.info
    client = info.client("secret")
    creds = ClientCredentials(client.client_id, Secret(client.client_secret or ""))
    fresh_sandbox.inject(fault)
    final, elapsed = _send(history, info.endpoint_url, f"ghost-{uuid.uuid4().hex[:8]}", creds)
    code, retried = SANDBOX_FAULTS[fault]
    if retried:
        assert final.status is Status.DELIVERED and final.retries == 1, final
    else:
        assert final.failure is not None and final.failure.code == code, final.failure
        assert final.retries == 0
    print(f"\n{fault}: {final.failure.code if final.failure else 'Delivered'} "
          f"retries={final.retries} in {elapsed * 1000:.0f} ms")


@contextmanager
def _silent_server() -> Iterator[tuple[int, list[socket.socket]]]:
    """Accepts every connection and never answers."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    srv.settimeout(0.1)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(conn)

    t = threading.Thread(target=loop, daemon=True)
    t.start()
    try:
        yield srv.getsockname()[1], accepted
    finally:
        stop.set()
        t.join(5)
        for c in accepted:
            c.close()
        srv.close()


@contextmanager
def _full_backlog() -> Iterator[int]:
    """A port whose accept queue is full: connect() gets no SYN-ACK and times out."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(0)
    port = srv.getsockname()[1]
    fillers = []
    for _ in range(4):
        c = socket.socket()
        c.setblocking(False)
        try:
            c.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        fillers.append(c)
    time.sleep(0.2)
    probe = socket.socket()
    probe.settimeout(0.5)
    try:
        with pytest.raises(TimeoutError):  # the harness itself: it really does not connect
            probe.connect(("127.0.0.1", port))
    finally:
        probe.close()
    try:
        yield port
    finally:
        for c in fillers:
            c.close()
        srv.close()


CREDS = ClientCredentials("abcdefghijklmnopqrstuvwxyz", Secret("s3cret"))


def test_read_timeout_from_a_server_that_never_answers_is_not_retried(
    history: HistoryStore,
) -> None:
    with _silent_server() as (port, accepted):
        final, elapsed = _send(history, f"http://127.0.0.1:{port}", "alice", CREDS)
        assert final.failure is not None and final.failure.code == "ReadTimeout"
        assert final.retries == 0 and len(accepted) == 1  # one request, never a second
    print(f"\nread timeout: decoded in {elapsed * 1000:.0f} ms (read_timeout "
          f"{CONFIG.read_timeout}s), 1 connection")


def test_connect_timeout_is_retried_within_its_budget(history: HistoryStore) -> None:
    with _full_backlog() as port:
        final, elapsed = _send(history, f"http://127.0.0.1:{port}", "alice", CREDS)
    assert final.failure is not None and final.failure.code == "ConnectTimeout", final.failure
    assert final.retries == CONFIG.max_attempts - 1
    print(f"\nconnect timeout: {final.retries + 1} tries in {elapsed * 1000:.0f} ms")


def test_connection_refused_is_retried_within_its_budget(history: HistoryStore) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    final, elapsed = _send(history, f"http://127.0.0.1:{port}", "alice", CREDS)
    assert final.failure is not None and final.failure.code == "EndpointUnreachable"
    assert final.retries == CONFIG.max_attempts - 1
    print(f"\nrefused: {final.retries + 1} tries in {elapsed * 1000:.0f} ms")


def test_dns_failure_is_decoded(history: HistoryStore) -> None:
    final, elapsed = _send(history, "http://cognito-idp.nonexistent.invalid", "alice", CREDS)
    assert final.failure is not None and final.failure.code == "DnsFailure", final.failure
    assert final.retries == 0
    print(f"\nDNS failure: decoded in {elapsed * 1000:.0f} ms")
