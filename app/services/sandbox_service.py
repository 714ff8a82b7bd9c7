"""The embedded sandbox for the app: start it in the background, read its inbox and clients."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from app.core.profile import ClientCredentials, Profile
from app.services.sandbox_profile import sandbox_credentials, sandbox_target

if TYPE_CHECKING:
    from app.sandbox.model import InboxMessage, SandboxInfo, SandboxUser
    from app.sandbox.server import Sandbox


class SandboxNotRunningError(RuntimeError):
    """The sandbox was asked for something before `start()` succeeded."""


class SandboxService:
    """One in-process sandbox (a server thread); `start()` blocks, so call it off the UI thread.

    `app.sandbox` (and moto under it) is imported only on `start()`: loading moto takes
    about a second and the window must appear before that.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        region: str = "us-east-1",
        resend_limit: int = 5,
    ) -> None:
        self._host = host
        self._port = port
        self._region = region
        self._resend_limit = resend_limit
        self._lock = threading.Lock()
        self._sandbox: Sandbox | None = None
        self._info: SandboxInfo | None = None

    @property
    def running(self) -> bool:
        return self._info is not None

    @property
    def info(self) -> SandboxInfo | None:
        """The running sandbox's connection facts, or None before `start()`."""
        return self._info

    def start(self) -> SandboxInfo:
        """Start (once) and return the sandbox's info; OSError when the port is taken."""
        with self._lock:
            if self._info is not None:
                return self._info
            from app.sandbox.server import Sandbox

            sandbox = Sandbox(
                host=self._host,
                port=self._port,
                region=self._region,
                resend_limit=self._resend_limit,
            )
            try:
                info = sandbox.start()
            except SystemExit as exc:
                # werkzeug answers a port in use with sys.exit(1); a worker thread must not.
                raise OSError(f"cannot listen on {self._host}:{self._port}") from exc
            self._sandbox, self._info = sandbox, info
            return info

    def stop(self) -> None:
        with self._lock:
            sandbox, self._sandbox, self._info = self._sandbox, None, None
        if sandbox is not None:
            sandbox.stop()

    def _require(self) -> tuple[Sandbox, SandboxInfo]:
        sandbox, info = self._sandbox, self._info
        if sandbox is None or info is None:
            raise SandboxNotRunningError("the sandbox is not running yet")
        return sandbox, info

    def inbox(self, username: str | None = None) -> list[InboxMessage]:
        """Codes the sandbox "sent", oldest first; only `username`'s when given."""
        sandbox, _ = self._require()
        return sandbox.inbox(username)

    @property
    def users(self) -> tuple[SandboxUser, ...]:
        return self._require()[1].users

    def credentials(self, client_name: str = "public") -> ClientCredentials:
        """The seeded client's id and secret (kept in memory only; KeyError names the known)."""
        return sandbox_credentials(self._require()[1], client_name)

    def profile(self, client_name: str = "public") -> Profile:
        """The built-in Sandbox profile pointing at the running sandbox, for `client_name`."""
        return sandbox_target(self._require()[1], client_name).profile
