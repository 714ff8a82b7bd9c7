"""A local CustomMessage trigger: a Python handler file the sandbox runs on every resend.

Attach one with ``Sandbox(custom_message_trigger="path/to/file.py:function")``,
``Sandbox.set_custom_message_trigger(...)``, ``POST /_sandbox/trigger {"handler": ...}``
or ``python main.py sandbox --custom-message-trigger path/to/file.py:function``.

Each call starts a fresh Python process (``trigger_runner``) with the
CustomMessage_ResendCode event (CustomMessage_SignUp for SignUp's first code), so a crash, a
hang or ``os._exit`` in the handler cannot take the sandbox down, and an edited handler file
is picked up on the next resend with no reload machinery. Outcomes, as Cognito reports them:

==============================================  ===============================================
handler                                         resend answers
==============================================  ===============================================
returns the event, messages contain ``{####}``  200; the inbox shows its message, code filled in
returns the event unchanged (response null)     200; the pool's template, as without a trigger
raises, or cannot be imported                   UserLambdaValidationException "CustomMessage
                                                failed with error <its message>."
returns a non-object, a non-string message, a   InvalidLambdaResponseException "Invalid lambda
message without ``{####}``, a subject over 140  function output : ..."
characters
returns an SMS over 140 or an email over        200; the pool's template is sent instead and the
20,000 characters                               run's ``dropped`` says the text was dropped
                                                (reports: identity-js#396, #155)
runs longer than the timeout (Cognito: 5 s)     tried again, 3 tries in all (each in the run's
                                                ``tries``); then UnexpectedLambdaException
                                                "CustomMessage invocation failed due to error
                                                Socket timeout while invoking Lambda function."
exits or crashes (``os._exit``, ``sys.exit``)   UnexpectedLambdaException (sandbox wording)
==============================================  ===============================================

Every call is kept as a TriggerRun (event, answer, stdout, stderr, duration), on the inbox
message when one was delivered and in the trigger log (``GET /_sandbox/trigger``) either way.
The event is built here, not in app.core, because the sandbox imports nothing from the app;
a test checks that both builders agree field by field.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from app.sandbox import trigger_runner
from app.sandbox.model import TriggerRun
from app.sandbox.resend import (
    CognitoError,
    ComposedMessage,
    MessageComposer,
    PendingDelivery,
    template_composer,
)
from app.sandbox.trigger_event import (
    CODE_PARAMETER,
    INVALID_OUTPUT,
    TRIGGER_SOURCE,
    HandlerSpec,
    TriggerAnswer,
    answer_problem,
    build_event,
    drop_overlong,
    parse_handler_spec,
)

__all__ = [  # what the rest of the code imports from here
    "COGNITO_TIMEOUT_S",
    "CustomMessageTrigger",
    "TriggerLog",
    "answer_problem",
    "parse_handler_spec",
    "trigger_composer",
]

COGNITO_TIMEOUT_S: Final = 5.0
COGNITO_TRIES: Final = 3
# Output a runaway print loop could produce in five seconds would swamp the inbox JSON.
_MAX_OUTPUT_CHARS: Final = 64 * 1024
_LOG_SIZE: Final = 100


class TriggerFailedError(Exception):
    """The trigger's call ended in a Cognito error; `run` holds what happened."""

    def __init__(self, error_type: str, message: str, run: TriggerRun) -> None:
        super().__init__(f"{error_type}: {message}")
        self.error_type = error_type
        self.message = message
        self.run = run


class TriggerLog:
    """The latest trigger runs, oldest first (bounded), shared by the server threads."""

    def __init__(self, size: int = _LOG_SIZE) -> None:
        self._lock = threading.Lock()
        self._runs: deque[TriggerRun] = deque(maxlen=size)

    def add(self, run: TriggerRun) -> None:
        with self._lock:
            self._runs.append(run)

    def runs(self) -> list[TriggerRun]:
        with self._lock:
            return list(self._runs)

    def clear(self) -> None:
        with self._lock:
            self._runs.clear()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _clip(text: str) -> str:
    if len(text) <= _MAX_OUTPUT_CHARS:
        return text
    return text[:_MAX_OUTPUT_CHARS] + f"\n[... {len(text) - _MAX_OUTPUT_CHARS} more characters]"


def _text(data: bytes | str | None) -> str:
    if data is None:
        return ""
    return data if isinstance(data, str) else data.decode("utf-8", errors="replace")


class LocalTrigger:
    """Runs a handler file in a child Python process, one process per call."""

    def __init__(
        self,
        spec: HandlerSpec,
        timeout_s: float = COGNITO_TIMEOUT_S,
        python: str = sys.executable,
        tries: int = COGNITO_TRIES,
    ) -> None:
        self.spec = spec
        self._timeout_s = timeout_s
        self._python = python
        self._tries = max(1, tries)

    def _run_once(self, job: dict[str, Any]) -> _Try:
        with tempfile.TemporaryDirectory(prefix="cognito-trigger-") as folder:
            result_path = os.path.join(folder, "result.json")
            started_at = _now()
            start = time.perf_counter()
            timed_out = False
            stdout: bytes | None
            stderr: bytes | None
            try:
                done = subprocess.run(
                    [self._python, "-B", "-u", "-c", _RUNNER_SOURCE, result_path],
                    input=json.dumps(job).encode(),
                    capture_output=True,
                    timeout=self._timeout_s,
                    cwd=self.spec.path.parent,
                    env={**os.environ, "PYTHONIOENCODING": "utf-8"},
                )
                stdout, stderr, exit_code = done.stdout, done.stderr, done.returncode
            except subprocess.TimeoutExpired as expired:
                # run() has killed the child; whatever it printed until then is kept.
                timed_out = True
                stdout, stderr, exit_code = expired.stdout, expired.stderr, None
            duration_ms = round((time.perf_counter() - start) * 1000, 1)
            result = _read_result(result_path)
        return _Try(started_at, duration_ms, timed_out, exit_code, stdout, stderr, result)

    def invoke(
        self, event: dict[str, Any], *, username: str, request_id: str | None
    ) -> tuple[TriggerAnswer, TriggerRun]:
        """The handler's usable answer and its run, or TriggerFailedError.

        A try that does not answer within the limit is tried again, `tries` times in all, as
        Cognito does (developer guide, "Customizing user pool workflows with Lambda
        triggers": no answer in 5 seconds -> retry; three failed tries -> timeout). A handler
        that answers, raises or exits is not retried: that is an answer, not a timeout.
        """
        job = {
            "handler_path": str(self.spec.path),
            "function": self.spec.function,
            "event": event,
            "timeout_s": self._timeout_s,
        }
        tries: list[_Try] = []
        while True:
            attempt = self._run_once(job)
            tries.append(attempt)
            if not attempt.timed_out or len(tries) >= self._tries:
                break
        started_at = tries[0].started_at
        duration_ms = round(sum(t.duration_ms for t in tries), 1)
        last = tries[-1]
        timed_out, exit_code, result = last.timed_out, last.exit_code, last.result
        stdout = b"".join(t.stdout or b"" for t in tries)
        stderr = b"".join(t.stderr or b"" for t in tries)
        tries_json = tuple(t.to_json() for t in tries)
        dropped: list[str] = []

        def record(
            answer: Any = None, error_type: str | None = None, message: str | None = None
        ) -> TriggerRun:
            return TriggerRun(
                handler=str(self.spec),
                username=username,
                request_id=request_id,
                started_at=started_at,
                event=event,
                answer=answer,
                error_type=error_type,
                error_message=message,
                stdout=_clip(_text(stdout)),
                stderr=_clip(_text(stderr)),
                duration_ms=duration_ms,
                exit_code=exit_code,
                tries=tries_json,
                dropped=tuple(dropped),
                trigger_source=str(event.get("triggerSource") or TRIGGER_SOURCE),
            )

        def fail(error_type: str, message: str, answer: Any = None) -> TriggerFailedError:
            return TriggerFailedError(error_type, message, record(answer, error_type, message))

        if timed_out:
            raise fail(
                "UnexpectedLambdaException",
                "CustomMessage invocation failed due to error Socket timeout while invoking "
                "Lambda function.",
            )
        if result is None:
            raise fail(
                "UnexpectedLambdaException",
                "CustomMessage invocation failed due to error Runtime exited with error: "
                f"exit status {exit_code}.",
            )
        if "error" in result:
            error = result["error"]
            raise fail(
                "UserLambdaValidationException",
                f"CustomMessage failed with error {error.get('message', '')}.",
            )
        if "not_json" in result:
            raise fail("InvalidLambdaResponseException", INVALID_OUTPUT + "Invalid JSON")
        returned = result.get("answer")
        # The run keeps what the handler returned; the checks see it without dropped texts.
        answer = copy.deepcopy(returned)
        dropped.extend(drop_overlong(answer))
        problem = answer_problem(answer)
        if problem is not None:
            raise fail("InvalidLambdaResponseException", problem, returned)
        assert isinstance(answer, dict)  # answer_problem refuses anything else
        response = answer.get("response") or {}
        return (
            TriggerAnswer(
                sms_message=response.get("smsMessage"),
                email_message=response.get("emailMessage"),
                email_subject=response.get("emailSubject"),
            ),
            record(returned),
        )


@dataclass(frozen=True)
class _Try:
    """One child process run of the handler."""

    started_at: str
    duration_ms: float
    timed_out: bool
    exit_code: int | None
    stdout: bytes | None
    stderr: bytes | None
    result: dict[str, Any] | None

    def to_json(self) -> dict[str, Any]:
        if self.timed_out:
            outcome = "timeout"
        elif self.result is None:
            outcome = "crashed"
        elif "error" in self.result or "not_json" in self.result:
            outcome = "error"
        else:
            outcome = "ok"
        return {
            "started_at": self.started_at,
            "duration_ms": self.duration_ms,
            "outcome": outcome,
            "exit_code": self.exit_code,
        }


def _read_result(path: str) -> dict[str, Any] | None:
    try:
        with open(path, encoding="utf-8") as source:
            data = json.load(source)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


# Sent with -c so the child needs neither this package on its path nor a cwd inside it.
_RUNNER_SOURCE: Final = Path(trigger_runner.__file__).read_text(encoding="utf-8")


class CustomMessageTrigger:
    """The sandbox's attachable trigger slot: which handler (if any), its runs, its timeout."""

    def __init__(
        self,
        timeout_s: float = COGNITO_TIMEOUT_S,
        factory: Callable[[HandlerSpec, float], LocalTrigger] = LocalTrigger,
    ) -> None:
        self._lock = threading.Lock()
        self._timeout_s = timeout_s
        self._factory = factory
        self._trigger: LocalTrigger | None = None
        self.log = TriggerLog()

    @property
    def timeout_s(self) -> float:
        return self._timeout_s

    @property
    def handler(self) -> str | None:
        trigger = self._trigger
        return None if trigger is None else str(trigger.spec)

    def attach(self, spec: str | None) -> str | None:
        """Attach ``file.py:function`` (None detaches); ValueError for a bad spec."""
        trigger = None if spec is None else self._factory(parse_handler_spec(spec), self._timeout_s)
        with self._lock:
            self._trigger = trigger
        return self.handler

    def current(self) -> LocalTrigger | None:
        with self._lock:
            return self._trigger

    def invoke(
        self, event: dict[str, Any], *, username: str, request_id: str | None
    ) -> tuple[TriggerAnswer, TriggerRun] | None:
        """None when no trigger is attached; else as LocalTrigger.invoke, runs logged."""
        trigger = self.current()
        if trigger is None:
            return None
        try:
            answer, run = trigger.invoke(event, username=username, request_id=request_id)
        except TriggerFailedError as failed:
            self.log.add(failed.run)
            raise
        self.log.add(run)
        return answer, run


def trigger_composer(slot: CustomMessageTrigger) -> MessageComposer:
    """A MessageComposer that asks the attached handler, or uses the template when none is."""

    def compose(delivery: PendingDelivery) -> ComposedMessage:
        event = build_event(
            region=delivery.region,
            user_pool_id=delivery.user_pool_id,
            username=delivery.username,
            client_id=delivery.client_id,
            client_metadata=delivery.client_metadata,
            user_attributes=delivery.user_attributes,
            trigger_source=delivery.trigger_source,
        )
        try:
            outcome = slot.invoke(event, username=delivery.username, request_id=delivery.request_id)
        except TriggerFailedError as failed:
            raise CognitoError(failed.error_type, failed.message) from failed
        if outcome is None:
            return template_composer(delivery)
        answer, run = outcome
        if delivery.medium == "SMS":
            chosen, subject = answer.sms_message, None
        else:
            chosen, subject = answer.email_message, answer.email_subject
        # A null message keeps the pool's own template, as Cognito does.
        text = (chosen if chosen is not None else delivery.template).replace(
            CODE_PARAMETER, delivery.code
        )
        return ComposedMessage(text=text, subject=subject, trigger=run)

    return compose
