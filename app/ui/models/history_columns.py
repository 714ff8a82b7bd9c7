"""The history table's columns: their headers, what each cell shows, and the outcome colours."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtGui import QColor, QGuiApplication, QPalette

from app.core.outcome import Attempt, Severity, Status

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
    "When the attempt started (local time)",
    "The profile (app client) it was sent through",
    "The username (or alias) the code was resent to",
    "Delivered, the failure's short title, or Pending…",
    "Where Cognito says the code went (masked by Cognito)",
    "EMAIL or SMS",
    "The user attribute the code was sent to",
    "How long the call took, retries included",
    "AWS request id, for support cases and CloudTrail",
)


def format_time(moment: datetime | None) -> str:
    """Local time, ISO-like: 2026-11-27 23:16:52 (naive datetimes are taken as UTC)."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def format_latency(ms: float | None) -> str:
    if ms is None:
        return ""
    if ms < 10_000:
        return f"{ms:,.0f} ms"
    return f"{ms / 1000:,.1f} s"


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def outcome_color(a: Attempt) -> QColor:
    """An attempt's colour: an information outcome ("already confirmed") is not a red
    failure, it reads as a neutral blue."""
    if a.status is Status.FAILED and a.failure is not None and a.failure.severity is Severity.INFO:
        dark = _is_dark(QGuiApplication.palette() if QGuiApplication.instance() else QPalette())
        return QColor("#58a6ff" if dark else "#0969da")
    return status_color(a.status)


def status_color(status: Status) -> QColor:
    """Green / red / grey that read well on the current palette's base colour."""
    app = QGuiApplication.instance()
    palette = QGuiApplication.palette() if app is not None else QPalette()
    dark = _is_dark(palette)
    if status in (Status.DELIVERED, Status.SUCCEEDED):
        return QColor("#3fb950" if dark else "#1a7f37")
    if status is Status.FAILED:
        return QColor("#f85149" if dark else "#cf222e")
    return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)


def cell_text(a: Attempt, col: int) -> str:
    """What a cell shows."""
    d = a.delivery
    if col == COL_TIME:
        return format_time(a.started_at)
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
        return a.started_at.astimezone().isoformat(sep=" ", timespec="milliseconds")
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
