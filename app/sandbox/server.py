"""The Sandbox: a local Cognito endpoint on real HTTP (moto plus ResendConfirmationCode)."""

from __future__ import annotations

import json
import signal
import sys
import threading
from types import FrameType
from typing import Any, TextIO

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import BaseWSGIServer, make_server

from app.sandbox import auth, pools, seed
from app.sandbox.admin import AdminActions
from app.sandbox.clock import SandboxClock
from app.sandbox.codes import CodeBook
from app.sandbox.cors import CorsMiddleware
from app.sandbox.directory import MotoDirectory
from app.sandbox.faults import FAULT_KINDS, parse_fault
from app.sandbox.front import Action, SignUpFront
from app.sandbox.keepalive import ConnectionRegistry, KeepAliveHandler
from app.sandbox.logs import LAMBDA_LOG_GROUP, LambdaLoggingTriggerLog, SandboxLogs
from app.sandbox.model import InboxMessage, SandboxClient, SandboxInfo, SandboxUser, TriggerRun
from app.sandbox.resend import ResendConfirmationCode, event_user_attributes
from app.sandbox.signed import SignedCalls
from app.sandbox.signup import ConfirmSignUp, SignUp
from app.sandbox.state import AttemptLimiter, FaultQueue, Inbox
from app.sandbox.trigger import COGNITO_TIMEOUT_S, CustomMessageTrigger, trigger_composer
from app.sandbox.wsgi import CONTROL_PREFIX, SandboxApp, SandboxControlHooks

__all__ = [
    "InboxMessage",
    "Sandbox",
    "SandboxClient",
    "SandboxInfo",
    "SandboxUser",
    "TriggerRun",
    "serve_forever",
]


class Sandbox:
    """One sandbox server in a daemon thread; start() seeds it, reset() makes it fresh again."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        region: str = "us-east-1",
        resend_limit: int = 5,
        resend_window_s: float = 3600.0,
        custom_message_trigger: str | None = None,
        trigger_timeout_s: float = COGNITO_TIMEOUT_S,
    ) -> None:
        """`custom_message_trigger` ("path/to/file.py:function") is checked now (ValueError)."""
        self._trigger = CustomMessageTrigger(timeout_s=trigger_timeout_s)
        self._trigger.attach(custom_message_trigger)
        # What reset() goes back to: the trigger the sandbox was started with.
        self._initial_trigger = self._trigger.handler
        self._host = host
        self._port = port
        self._region = region
        self._lock = threading.Lock()
        self._inbox = Inbox()
        # Sandbox time (POST /_sandbox/clock) ages codes and the resend window alike.
        self.clock = SandboxClock()
        self._codes = CodeBook(self.clock)
        self._limiter = AttemptLimiter(resend_limit, resend_window_s, clock=self.clock.timestamp)
        self._connections = ConnectionRegistry()
        self._faults = FaultQueue()
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._seeded: seed.SeededPool | None = None
        self._info: SandboxInfo | None = None
        # SigV4 key pairs for the admin calls; new on every Sandbox, kept across reset().
        self._aws_credentials = auth.generate_credentials()
        # CloudWatch Logs: pool log delivery, and the trigger's runs as Lambda would log them.
        self._logs = SandboxLogs(region)
        self._trigger.log = LambdaLoggingTriggerLog(self._logs)

    def start(self) -> SandboxInfo:
        """Start serving and seed the pool; a second call returns the same info."""
        with self._lock:
            if self._info is not None:
                return self._info
            self._seeded = seed.seed(self._region)
            self._prepare_pools(self._seeded)
            resend = ResendConfirmationCode(
                MotoDirectory(),
                self._inbox,
                self._limiter,
                composer=trigger_composer(self._trigger),
                clock=self.clock.now,
                codes=self._codes,
            )
            app = SandboxApp(
                moto_app=DomainDispatcherApplication(create_backend_app),
                resend=resend,
                faults=self._faults,
                control=SandboxControlHooks(
                    info=lambda: self.info,
                    inbox=self.inbox,
                    reset=self.reset,
                    inject=self.inject,
                    set_trigger=self.set_custom_message_trigger,
                    trigger_state=self._trigger_state,
                    user_attributes=self.user_attributes,
                ),
                signed=SignedCalls(
                    auth.SigV4Verifier(self._aws_credentials, self._region),
                    AdminActions(self._region, self._logs, self._inbox),
                    self._logs,
                    self._inbox,
                    self._region,
                ),
            )
            actions: dict[str, Action] = {
                "SignUp": SignUp(MotoDirectory(), resend),
                "ConfirmSignUp": ConfirmSignUp(MotoDirectory(), self._codes),
            }
            front = CorsMiddleware(SignUpFront(app, actions, self.clock, self._codes))
            server = make_server(
                self._host, self._port, front, threaded=True, request_handler=KeepAliveHandler
            )
            server.sandbox_connections = self._connections  # type: ignore[attr-defined]
            self._server = server
            # A short poll interval keeps stop() quick; shutdown() waits for the next poll.
            self._thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="cognito-sandbox",
                daemon=True,
            )
            self._thread.start()
            self._info = self._make_info(server.server_port, self._seeded)
            return self._info

    def stop(self) -> None:
        with self._lock:
            server, thread = self._server, self._thread
            self._server = self._thread = None
            self._info = None
        if server is not None:
            server.shutdown()
            server.server_close()
            # Kept-alive connections would otherwise hold their threads until the idle timeout.
            self._connections.close_all()
        if thread is not None:
            thread.join(timeout=5)

    @property
    def info(self) -> SandboxInfo:
        if self._info is None:
            raise RuntimeError("the sandbox is not running; call start() first")
        return self._info

    def inbox(self, username: str | None = None) -> list[InboxMessage]:
        """Delivered codes, newest last; only `username`'s when given."""
        return self._inbox.messages(username)

    def reset(self) -> None:
        """Empty the inbox, counters, fault queue and trigger log; put the seeded users back
        as seeded and the CustomMessage trigger back to the one the sandbox started with."""
        self._inbox.clear()
        self._limiter.clear()
        self._codes.clear()
        self.clock.reset()
        self._faults.clear()
        self._trigger.log.clear()
        try:
            self._trigger.attach(self._initial_trigger)
        except ValueError:
            # The start-up handler file is gone; a reset must still leave a working sandbox.
            self._trigger.attach(None)
        with self._lock:
            if self._seeded is None or self._info is None:
                return
            if not seed.pool_exists(self._region, self._seeded.user_pool_id):
                # Someone reset moto's backends (moto.mock_aws does on start): seed again;
                # the ids change, so callers should read .info after a reset.
                self._seeded = seed.seed(self._region)
                port = int(self._info.endpoint_url.rsplit(":", 1)[1])
                self._info = self._make_info(port, self._seeded)
            else:
                seed.restore(self._region, self._seeded)
            self._prepare_pools(self._seeded)

    def inject(self, *faults: str) -> None:
        """Queue faults for the next ResendConfirmationCode calls; ValueError for unknown ones."""
        parsed = [parse_fault(kind) for kind in faults]
        self._faults.extend(parsed)

    @property
    def custom_message_trigger(self) -> str | None:
        """The attached handler as ``/abs/path/file.py:function``, or None."""
        return self._trigger.handler

    def set_custom_message_trigger(self, spec: str | None) -> str | None:
        """Attach ``path/to/file.py:function`` (relative to the cwd) or detach with None.

        ValueError when the file or the function name is not acceptable. The file is read
        afresh on every resend, so edits need no re-attach.
        """
        attached = self._trigger.attach(spec)
        if self._seeded is not None:
            pools.set_custom_message(self._region, self._seeded.pools, attached is not None)
        return attached

    def trigger_runs(self) -> list[TriggerRun]:
        """The latest calls of the CustomMessage trigger (failed ones too), oldest first."""
        return self._trigger.log.runs()

    def user_attributes(self, username: str) -> dict[str, str] | None:
        """A seeded-pool user's attributes as a trigger sees them, or None for no such user."""
        seeded = self._seeded
        if seeded is None:
            return None
        user = MotoDirectory().find_user(seeded.user_pool_id, username)
        if user is None:
            return None
        return event_user_attributes(user.attributes, user.status)

    def _prepare_pools(self, seeded: seed.SeededPool) -> None:
        """Fresh log groups and log delivery, and LambdaConfig as the trigger is attached."""
        self._logs.clear_groups(("/aws/cognito/userpools/", LAMBDA_LOG_GROUP))
        self._logs.forget(keep=set())
        for built in seeded.pools:
            if built.seed.exports_user_notification_logs:
                self._logs.configure_user_notification(built.user_pool_id)
        pools.set_custom_message(
            self._region, seeded.pools, self._trigger.handler is not None
        )

    def _trigger_state(self) -> dict[str, Any]:
        return {
            "handler": self._trigger.handler,
            "timeout_s": self._trigger.timeout_s,
            "runs": [run.to_json() for run in self._trigger.log.runs()],
        }

    def _make_info(self, port: int, seeded: seed.SeededPool) -> SandboxInfo:
        # A wildcard bind address is not something a client can connect to.
        host = "127.0.0.1" if self._host in ("", "0.0.0.0", "::") else self._host
        return SandboxInfo(
            endpoint_url=f"http://{host}:{port}",
            region=self._region,
            user_pool_id=seeded.user_pool_id,
            clients=seeded.clients,
            users=seeded.users,
            aws_credentials=self._aws_credentials,
        )


def describe(info: SandboxInfo, custom_message_trigger: str | None = None) -> str:
    """The human summary `python main.py sandbox` prints."""
    lines = [
        f"Cognito sandbox listening on {info.endpoint_url} (region {info.region})",
        f"  user pool  {info.user_pool_id}",
        "  app clients:",
    ]
    for client in info.clients:
        protection = (
            "user-existence errors hidden"
            if client.prevents_user_existence_errors
            else "unknown users get UserNotFoundException"
        )
        secret = f", secret {client.client_secret}" if client.client_secret else ", no secret"
        pool = "" if client.user_pool_id in ("", info.user_pool_id) else f" [{client.pool_name}]"
        lines.append(f"    {client.name:<10} {client.client_id}{secret}; {protection}{pool}")
    lines.append("  users:")
    for user in info.users:
        disabled = "" if user.enabled else " (disabled)"
        pool = "" if user.user_pool_id in ("", info.user_pool_id) else f"  [{user.pool_name}]"
        lines.append(
            f"    {user.username:<12} {user.status:<21} {user.destination}{disabled}{pool}"
        )
    keys = info.aws_credentials
    lines += [
        "  AWS keys for the signed (admin) calls and CloudWatch Logs, e.g. the AWS CLI with"
        " --endpoint-url:",
        f"    admin      {keys.admin.access_key_id} {keys.admin.secret_access_key}",
        f"    read-only  {keys.read_only.access_key_id} {keys.read_only.secret_access_key}",
    ]
    if custom_message_trigger is not None:
        lines.append(
            f"  CustomMessage trigger: {custom_message_trigger} (re-read on every resend)"
        )
    lines += [
        f"  faults: username fault-<kind> or POST {CONTROL_PREFIX}faults; kinds: "
        + ", ".join(FAULT_KINDS),
        f"  control: GET {CONTROL_PREFIX}info, GET {CONTROL_PREFIX}inbox[?username=U], "
        f"POST {CONTROL_PREFIX}reset, POST {CONTROL_PREFIX}faults, "
        f"GET/POST {CONTROL_PREFIX}trigger, GET {CONTROL_PREFIX}user?username=U, "
        f"GET/POST {CONTROL_PREFIX}clock, GET {CONTROL_PREFIX}codes?username=U",
        "  Press Ctrl+C to stop.",
    ]
    return "\n".join(lines)


def serve_forever(
    host: str,
    port: int,
    as_json: bool,
    out: TextIO,
    custom_message_trigger: str | None = None,
) -> int:
    """Run a sandbox until SIGINT or SIGTERM; with as_json the first stdout line is its info."""
    try:
        sandbox = Sandbox(host=host, port=port, custom_message_trigger=custom_message_trigger)
    except ValueError as error:
        print(f"cannot attach the CustomMessage trigger: {error}", file=sys.stderr)
        return 2
    try:
        info = sandbox.start()
    except OSError as error:
        print(f"cannot start the sandbox on {host}:{port}: {error}", file=sys.stderr)
        return 1
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, _on_signal)
    try:
        # The JSON line stays exactly SandboxInfo; GET /_sandbox/trigger tells the trigger.
        text = (
            json.dumps(info.to_json())
            if as_json
            else describe(info, sandbox.custom_message_trigger)
        )
        out.write(text + "\n")
        out.flush()
        # wait() with a timeout so that the main thread wakes up to run signal handlers.
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        sandbox.stop()
    return 0
