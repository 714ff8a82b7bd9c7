"""A bad trigger handler is named in plain words before the sandbox is asked (issue 14)."""

from __future__ import annotations

from pathlib import Path

from app.sandbox.model import TriggerRun
from app.services.handler_check import handler_problem, plain_refusal
from app.services.trigger_notes import trigger_run_notes

OK_SOURCE = "def handler(event, context):\n    return event\n"


def _handler(tmp_path: Path, source: str = OK_SOURCE) -> Path:
    path = tmp_path / "h.py"
    path.write_text(source, encoding="utf-8")
    return path


def test_a_runnable_handler_has_no_problem(tmp_path: Path) -> None:
    assert handler_problem(f"{_handler(tmp_path)}:handler") is None


def test_each_problem_names_the_file_or_the_function(tmp_path: Path) -> None:
    path = _handler(tmp_path)
    assert handler_problem(str(path)) is not None
    assert "no function “nope”" in (handler_problem(f"{path}:nope") or "")
    assert "handler" in (handler_problem(f"{path}:nope") or "")  # what it does define
    assert "not a Python function name" in (handler_problem(f"{path}:no-pe") or "")
    assert "There is no file" in (handler_problem(f"{tmp_path}/missing.py:h") or "")
    assert ".py" in (handler_problem(f"{tmp_path}/h.txt:h") or "")
    broken = _handler(tmp_path, "def handler(:\n")
    assert "does not compile (line 1" in (handler_problem(f"{broken}:handler") or "")
    for spec in (f"{path}:nope", f"{tmp_path}/missing.py:h"):
        assert "HTTP" not in (handler_problem(spec) or "")


def test_the_sandbox_refusal_loses_its_request_line_and_status() -> None:
    raw = "POST trigger: HTTP 400: '/x/h.py:fn': no such file /x/h.py"
    assert plain_refusal(raw) == "no such file /x/h.py"
    assert "HTTP" not in plain_refusal(raw)


def _run(error_type: str | None, message: str | None, exit_code: int | None) -> TriggerRun:
    return TriggerRun(
        handler="/x/h.py:f",
        username="alice",
        request_id="r1",
        started_at="2024-01-01T00:00:00Z",
        event={},
        answer=None,
        error_type=error_type,
        error_message=message,
        stdout="about to refuse\n",
        stderr="Traceback (most recent call last):\nValueError: closed\n",
        duration_ms=12.0,
        exit_code=exit_code,
    )


def test_a_handler_that_raised_says_it_raised() -> None:
    notes = trigger_run_notes(
        _run("UserLambdaValidationException", "CustomMessage failed with error closed.", 0)
    )
    assert "Exit status: 0" not in notes
    assert "Result: the handler raised an exception: closed" in notes
    assert notes.index("Result:") < notes.index("Traceback")
    loaded = trigger_run_notes(
        _run(
            "UserLambdaValidationException",
            "CustomMessage failed with error Unable to import module 'h': boom.",
            0,
        )
    )
    assert "the handler could not be loaded" in loaded


def test_other_runs_keep_their_exit_status() -> None:
    assert "Exit status: 0" in trigger_run_notes(_run(None, None, 0))
    assert "Exit status: 3" in trigger_run_notes(_run("UnexpectedLambdaException", "x", 3))
