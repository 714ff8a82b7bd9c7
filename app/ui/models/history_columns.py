"""The history table's columns: their headers, what each cell shows, and the outcome colours."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtGui import QColor, QGuiApplication, QPalette

from app.core.outcome import Attempt, Severity, Status
from app.ui import theme

COL_TIME = 0
COL_PROFILE = 1
COL_USERNAME = 2
COL_OUTCOME = 3
COL_DESTINATION = 4
COL_MEDIUM = 5
COL_ATTRIBUTE = 6
COL_LATENCY = 7
COL_REQUEST_ID = 8

HEADERS = (
    "Time",
    "Profile",
    "Username",
    "Outcome",
    "Destination",
    "Medium",
    "Attribute",
    "Latency",
    "Request ID",
)
HEADER_TIPS = (
    "When the attempt started (hover a cell for the exact local time)",
    "The profile (app client) it was sent through",
    "The username (or alias) the code was resent to",
    "Delivered, the failure's short title, or Pending…",
    "Where Cognito says the code went (masked by Cognito)",
    "EMAIL or SMS",
    "The user attribute the code was sent to",
    "How long the call took, retries included",
    "AWS request id, for support cases and CloudTrail",
)
# What matters shows by default; the rest is one right-click on the header away.
DEFAULT_HIDDEN = frozenset({COL_PROFILE, COL_MEDIUM, COL_ATTRIBUTE, COL_LATENCY, COL_REQUEST_ID})


def format_time(moment: datetime | None) -> str:
    """Local time, ISO-like: 2026-11-27 23:16:52 (naive datetimes are taken as UTC)."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def relative_time(moment: datetime | None, now: datetime | None = None) -> str:
    """"just now", "2 min ago", "3 h ago", "yesterday 14:02", else the local date."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    seconds = (now - moment).total_seconds()
    if seconds < 45:
        return "just now"
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min ago"
    local, today = moment.astimezone(), now.astimezone().date()
    if seconds < 6 * 3600 or local.date() == today:
        return f"{int(seconds // 3600)} h ago"
    if (today - local.date()).days == 1:
        return local.strftime("yesterday %H:%M")
    if local.year == today.year:
        return local.strftime("%d %b %H:%M")
    return local.strftime("%Y-%m-%d")


def format_latency(ms: float | None) -> str:
    if ms is None:
        return ""
    if ms < 10_000:
        return f"{ms:,.0f} ms"
    return f"{ms / 1000:,.1f} s"


def outcome_color(a: Attempt) -> QColor:
    """An attempt's colour: an information outcome ("already confirmed") is not a red
    failure, it reads as a neutral blue (from the palette, at 4.5:1)."""
    if a.status is Status.FAILED and a.failure is not None and a.failure.severity is Severity.INFO:
        app = QGuiApplication.instance()
        palette = QGuiApplication.palette() if app is not None else QPalette()
        return theme.text_color(palette, theme.Tone.INFO)
    return status_color(a.status)


def status_color(status: Status) -> QColor:
    """Green / red / muted, computed from the application palette to read at 4.5:1."""
    app = QGuiApplication.instance()
    palette = QGuiApplication.palette() if app is not None else QPalette()
    return theme.status_color(palette, status)


def cell_text(a: Attempt, col: int, now: datetime | None = None) -> str:
    """What a cell shows."""
    d = a.delivery
    if col == COL_TIME:
        return relative_time(a.started_at, now)
    if col == COL_PROFILE:
        return a.profile
    if col == COL_USERNAME:
        return a.username
    if col == COL_OUTCOME:
        return a.outcome_label
    if col == COL_DESTINATION:
        return d.destination if d else ""
    if col == COL_MEDIUM:
        return d.medium.value if d and d.medium else ""
    if col == COL_ATTRIBUTE:
        return d.attribute_name if d else ""
    if col == COL_LATENCY:
        return format_latency(a.latency_ms)
    if col == COL_REQUEST_ID:
        return a.request_id or ""
    return ""


def cell_tooltip(a: Attempt, col: int) -> str:
    """A cell's tooltip: the full value where the cell shortens it."""
    if col == COL_TIME:
        return format_time(a.started_at)
    if col == COL_OUTCOME and a.failure is not None:
        f = a.failure
        parts = [f"{f.title} ({f.code})"]
        if f.aws_message:
            parts.append(f.aws_message)
        return "\n".join(parts)
    if col == COL_LATENCY and a.latency_ms is not None:
        retries = f", {a.retries} retr{'y' if a.retries == 1 else 'ies'}" if a.retries else ""
        return f"{a.latency_ms:,.1f} ms{retries}"
    return cell_text(a, col)
