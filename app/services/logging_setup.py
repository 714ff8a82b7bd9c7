"""Logging for the app: a rotating file in the platform log folder, noisy libraries quietened.

The file is written by a background thread (`_BackgroundHandler`): a caller's log line
costs building the record and a list append; redaction, formatting and the file write
happen off its path, a burst at a time. `flush_logs()` (or `flush()` on the root's
handlers, which logging's own shutdown calls at exit) waits until every record so far
is in the file.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import threading
import time
from pathlib import Path
from typing import TextIO

# Belt on top of braces: nothing should ever format a secret into a log record, but if
# something does (a library echoing request parameters), the file must not keep it.
_SECRET_PATTERNS = (
    # "SecretHash": "abc=", SecretHash=abc, secret_hash='abc', client_secret: abc, ...
    re.compile(
        r"(?<!\w)(?P<key>[\"']?(?:SecretHash|SECRET_HASH|secret_hash|[Cc]lient_?[Ss]ecret|"
        r"[Cc]lientSecret|password|[Ss]ecret)[\"']?\s*[:=]\s*[\"']?)(?P<value>[^\s\"',}]+)"
    ),
)
_MASK = "••••••"
# qasync logs every executor job with its arguments and result at DEBUG.
_QUIET = ("botocore", "boto3", "urllib3", "s3transfer", "werkzeug", "moto", "keyring", "qasync")
_HANDLER_NAME = "cognito-resend-file"


def redact(text: str) -> str:
    """`text` with anything that looks like a secret value replaced by a mask."""
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: m.group("key") + _MASK, text)
    return text


class RedactingFilter(logging.Filter):
    """Masks secret-looking values in a record's final message (and drops its args)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not break logging
            message = str(record.msg)
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True


class RedactingFormatter(logging.Formatter):
    """Also masks secrets in formatted tracebacks, which filters never see."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class _SingleFormatRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """RotatingFileHandler that formats each record once (Python 3.11's formats it twice:
    once in shouldRollover to measure it, once in emit to write it)."""

    _size = -1  # bytes in the open file as far as this handler wrote them; -1: not open

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record) + self.terminator
            stream: TextIO | None = self.stream
            if stream is None or self._size < 0:
                if stream is None:
                    stream = self.stream = self._open()
                # Measured once per open file; then counted (TextIOWrapper.tell() is slow,
                # and the stdlib calls seek and tell for every record).
                self._size = os.fstat(stream.fileno()).st_size
            # As shouldRollover decides (an empty file is never rolled over), in characters.
            if self.maxBytes > 0 and self._size and self._size + len(text) >= self.maxBytes:
                if os.path.isfile(self.baseFilename):
                    self.doRollover()  # closes the file; with delay=True leaves it closed
                    stream = self.stream
                    if stream is None:
                        stream = self.stream = self._open()
                    self._size = os.fstat(stream.fileno()).st_size
            # Not flushed here: the background handler flushes once per burst it writes.
            stream.write(text)
            self._size += len(text)
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)

    def close(self) -> None:
        self._size = -1
        super().close()


class _BackgroundHandler(logging.handlers.QueueHandler):
    """Hands records to one writer thread, which writes what has gathered every
    `delay_s`: a caller pays for building the record and a list append, and the thread
    wakes once per burst, not once per record. `flush` (logging.shutdown calls it at
    exit) writes at once and waits; a SIGKILL can lose the last `delay_s` of lines."""

    def __init__(self, target: logging.Handler, delay_s: float = 0.1) -> None:
        super().__init__(None)  # type: ignore[arg-type]  # no queue: enqueue is ours
        self.target = target
        self._delay_s = delay_s
        self._cv = threading.Condition()
        self._pending: list[logging.LogRecord] = []
        self._queued = 0
        self._written = 0
        self._hurry = 0  # flushes waiting: write now
        self._stopping = False
        self._thread: threading.Thread | None = None

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        """As QueueHandler.prepare: a copy with the message merged with its arguments and
        any traceback, so a later handler (the --verbose echo) still sees the original.
        The copy is a plain one of the record's attributes (copy.copy goes through
        __reduce_ex__: ~3x slower, on the caller's thread for every record)."""
        message = self.format(record)
        copied = logging.LogRecord.__new__(logging.LogRecord)
        copied.__dict__.update(record.__dict__)
        copied.message = copied.msg = message
        copied.args = copied.exc_info = copied.exc_text = None
        return copied

    def enqueue(self, record: logging.LogRecord) -> None:
        with self._cv:
            if self._stopping:
                self.target.handle(record)  # closing or closed: write it here
                self.target.flush()
                return
            self._pending.append(record)
            self._queued += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="log-writer", daemon=True)
                self._thread.start()
            elif len(self._pending) == 1:
                self._cv.notify_all()

    def _run(self) -> None:
        while True:
            with self._cv:
                while not self._pending and not self._stopping:
                    self._cv.wait()
                deadline = time.monotonic() + self._delay_s
                while not self._stopping and not self._hurry:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    self._cv.wait(left)
                batch, self._pending = self._pending, []
                if not batch and self._stopping:
                    return
            for record in batch:
                self.target.handle(record)
            self.target.flush()  # once per burst, not once per line
            with self._cv:
                self._written += len(batch)
                self._cv.notify_all()

    def flush(self) -> None:
        with self._cv:
            if self._thread is not None and threading.current_thread() is not self._thread:
                goal = self._queued
                self._hurry += 1
                self._cv.notify_all()
                try:
                    self._cv.wait_for(lambda: self._written >= goal, timeout=10.0)
                finally:
                    self._hurry -= 1
        self.target.flush()

    def close(self) -> None:
        with self._cv:
            self._stopping = True
            thread = self._thread
            self._cv.notify_all()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=10.0)
        self.target.close()
        super().close()


def file_handler() -> logging.handlers.RotatingFileHandler | None:
    """The handler that writes the log file (behind the queue), if logging is configured."""
    for h in logging.getLogger().handlers:
        if h.get_name() == _HANDLER_NAME and isinstance(h, _BackgroundHandler):
            target = h.target
            return target if isinstance(target, logging.handlers.RotatingFileHandler) else None
    return None


def flush_logs() -> None:
    """Wait until every record logged so far is written (the file is read next)."""
    for h in logging.getLogger().handlers:
        h.flush()


def configure_logging(
    log_file: Path,
    *,
    level: int = logging.INFO,
    max_bytes: int = 1_000_000,
    backup_count: int = 3,
    stderr_level: int | None = None,
) -> logging.Handler:
    """Send the app's log to `log_file` (rotated); call once at start-up. Idempotent.

    `stderr_level` also echoes records at that level or above to stderr (the CLI's
    --verbose; written synchronously, in order with the command's own output). Returns
    the file handler (which a background thread feeds: see `flush_logs`).
    """
    root = logging.getLogger()
    for existing in list(root.handlers):
        if existing.get_name() in (_HANDLER_NAME, _HANDLER_NAME + "-stderr"):
            root.removeHandler(existing)
            existing.close()
    log_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    formatter = RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    # delay=True: no file is opened (or created) until something is logged.
    handler = _SingleFormatRotatingFileHandler(
        log_file, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8", delay=True
    )
    handler.set_name(_HANDLER_NAME + "-writer")
    handler.setFormatter(formatter)
    handler.addFilter(RedactingFilter())
    # QueueHandler.prepare merges the message with its arguments (and any traceback) in
    # the caller, so the listener redacts and formats a record no later change can touch.
    front = _BackgroundHandler(handler)
    front.set_name(_HANDLER_NAME)
    # No atexit of its own: logging.shutdown() flushes and closes every handler at exit,
    # and closing this one drains the queue and stops the thread.
    root.addHandler(front)
    if stderr_level is not None:
        echo = logging.StreamHandler()
        echo.set_name(_HANDLER_NAME + "-stderr")
        echo.setLevel(stderr_level)
        echo.setFormatter(formatter)
        echo.addFilter(RedactingFilter())
        root.addHandler(echo)
    root.setLevel(min(level, stderr_level if stderr_level is not None else level))
    for name in _QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    return handler
