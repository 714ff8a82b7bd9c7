"""Logging for the app: a rotating file in the platform log folder, noisy libraries quietened."""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

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
    --verbose). Returns the file handler.
    """
    root = logging.getLogger()
    for existing in list(root.handlers):
        if existing.get_name() in (_HANDLER_NAME, _HANDLER_NAME + "-stderr"):
            root.removeHandler(existing)
            existing.close()
    log_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    formatter = RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    # delay=True: no file is opened (or created) until something is logged.
    handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8", delay=True
    )
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(formatter)
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
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
