"""HTTP/1.1 persistent connections for the sandbox (werkzeug's dev server closes every one).

werkzeug 3.1 sends ``Connection: close`` on every answer because http.server cannot drain an
unread request body before the next request line, and after each answer it reads whatever
else the socket holds (which, on a kept connection, is the next request: it would swallow
it and stall). This handler drains exactly the request body instead (a LimitedStream,
exhausted after the answer), hides the socket from werkzeug's after-answer read, and keeps
the connection. Every answer the sandbox gives carries Content-Length (werkzeug would chunk
one that does not, which keep-alive also survives). Idle connections are closed after
IDLE_TIMEOUT_S, and stop() closes the open ones, so a stopped sandbox leaves no thread
waiting on a socket.
"""

from __future__ import annotations

import io
import socket
import threading
from typing import Any, Final

from moto.moto_server.werkzeug_app import MotoRequestHandler
from werkzeug.wsgi import LimitedStream

# Longer than any pause between two calls of one test or QA session; nginx uses 75 s too.
IDLE_TIMEOUT_S: Final = 75.0


class ConnectionRegistry:
    """The sockets a server has open, so that stopping it can close them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()

    def add(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.add(sock)

    def discard(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.discard(sock)

    def close_all(self) -> None:
        with self._lock:
            open_now = list(self._open)
            self._open.clear()
        for sock in open_now:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class KeepAliveHandler(MotoRequestHandler):
    """moto's handler, quiet, speaking HTTP/1.1 with persistent connections."""

    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT_S
    _body: LimitedStream | None = None
    _must_close = False
    _real_rfile: Any = None

    def setup(self) -> None:
        super().setup()
        # werkzeug writes the head and the body of an answer separately; on a kept
        # connection Nagle's algorithm holds the body back until the client's delayed ACK
        # (~40 ms a call: measured 22 calls/s instead of ~1,000 without this).
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        registry = getattr(self.server, "sandbox_connections", None)
        if isinstance(registry, ConnectionRegistry):
            registry.add(self.connection)

    def finish(self) -> None:
        registry = getattr(self.server, "sandbox_connections", None)
        if isinstance(registry, ConnectionRegistry):
            registry.discard(self.connection)
        super().finish()

    def make_environ(self) -> Any:
        environ = super().make_environ()
        self._body = None
        # A chunked body cannot be drained reliably here: close after such a request.
        self._must_close = "chunked" in str(environ.get("HTTP_TRANSFER_ENCODING", "")).lower()
        if not self._must_close:
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            self._body = LimitedStream(environ["wsgi.input"], max(length, 0))
            environ["wsgi.input"] = self._body
            # werkzeug's run_wsgi reads self.rfile dry after answering; give it nothing.
            self._real_rfile, self.rfile = self.rfile, io.BytesIO()
        return environ

    def run_wsgi(self) -> None:
        try:
            super().run_wsgi()
        finally:
            if self._real_rfile is not None:
                self.rfile, self._real_rfile = self._real_rfile, None
        body = self._body
        if body is not None and not self.close_connection:
            try:
                # What the app left unread would otherwise be parsed as the next request.
                body.exhaust()
            except (OSError, ValueError):
                self.close_connection = True

    def send_header(self, keyword: str, value: str) -> None:
        if keyword.lower() == "connection" and value.lower() == "close" and not self._must_close:
            # werkzeug's unconditional close; a client's own "Connection: close" was
            # already honoured when the request was parsed.
            return
        super().send_header(keyword, value)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # No per-request access log on stderr (moto logs every request through werkzeug).
        return None
