"""An attempt's notes for one local trigger run: handler, duration, exit status, answer, output."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from app.sandbox.model import TriggerRun

# The notes live in every history row and export: a runaway print loop must not bloat them.
STREAM_MAX_CHARS: Final = 1500
FIELD_MAX_CHARS: Final = 600
_RESPONSE_FIELDS: Final = (
    ("emailSubject", "Subject"),
    ("emailMessage", "Email message"),
    ("smsMessage", "SMS message"),
)


def _tail(text: str, limit: int) -> str:
    # The end of a stream says most (a traceback's last line, the last print before a hang).
    if len(text) <= limit:
        return text
    return f"… ({len(text) - limit} earlier characters cut)\n" + text[-limit:]


def _head(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f" … ({len(text) - limit} more characters)"


def exit_status_text(run: TriggerRun) -> str:
    if run.exit_code is None:
        return "none (killed at the time limit)"
    return str(run.exit_code)


def run_result_text(run: TriggerRun) -> str | None:
    """How the handler itself ended, when that is not what its exit status says."""
    message = run.error_message or ""
    if run.error_type != "UserLambdaValidationException":
        return None
    # The runner reports an exception as a result and exits 0; "Exit status: 0" above a
    # traceback read as success.
    detail = message.removeprefix("CustomMessage failed with error ").removesuffix(".")
    if "Unable to import module" in detail or "missing on module" in detail:
        return f"the handler could not be loaded: {detail}"
    return f"the handler raised an exception: {detail} (traceback under stderr)"


def trigger_run_notes(run: TriggerRun) -> str:
    """Plain text for `Attempt.notes`, capped to a few KB whatever the handler printed."""
    result = run_result_text(run)
    lines = [
        f"Local CustomMessage trigger: {run.handler}",
        f"Duration: {run.duration_ms:.0f} ms",
        f"Result: {result}" if result else f"Exit status: {exit_status_text(run)}",
    ]
    if run.error_type is not None:
        lines.append(f"Cognito answered: {run.error_type}: {run.error_message or ''}")
    answer = run.answer
    response = answer.get("response") if isinstance(answer, dict) else None
    if isinstance(response, dict):
        for key, label in _RESPONSE_FIELDS:
            value = response.get(key)
            if value is not None:
                lines.append(f"{label}: {_head(str(value), FIELD_MAX_CHARS)}")
    for name, stream in (("stdout", run.stdout), ("stderr", run.stderr)):
        text = _tail(stream, STREAM_MAX_CHARS).rstrip("\n")
        lines.append(f"{name}:" + (f"\n{text}" if text else " (empty)"))
    return "\n".join(lines)
