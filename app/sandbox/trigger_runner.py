"""Runs one CustomMessage handler call in a child process (standard library only, no app imports).

The sandbox starts ``python -B -u -c <this file's source> RESULT_PATH`` with the handler's
folder as working directory (as Lambda runs code from its task root) and writes
``{"handler": "path.py:function", "event": {...}, "timeout_s": 5}`` to stdin. The handler's
own prints go to this process's stdout/stderr, which the sandbox captures; the outcome goes
to RESULT_PATH as JSON, one of:

* ``{"answer": <the JSON value the handler returned>}``
* ``{"not_json": "<repr>"}`` when the return value is not JSON-serialisable
* ``{"error": {"type": "ValueError", "message": "...", "phase": "import" | "call"}}``

No result file means the process died (os._exit, a crash) or was killed (timeout).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import time
import traceback
import uuid
from typing import Any


class _Context:
    """The parts of Lambda's context object a handler commonly reads."""

    def __init__(self, function_name: str, timeout_s: float) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:local:000000000000:function:{function_name}"
        self.memory_limit_in_mb = "128"
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "sandbox"
        self._deadline = time.monotonic() + timeout_s

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def _write(result_path: str, payload: dict[str, Any]) -> None:
    # Write then rename, so the sandbox never reads half a result from a process killed
    # while writing.
    partial = result_path + ".partial"
    with open(partial, "w", encoding="utf-8") as out:
        json.dump(payload, out)
    os.replace(partial, result_path)


def _error(exc: BaseException, phase: str) -> dict[str, Any]:
    return {"error": {"type": type(exc).__name__, "message": str(exc), "phase": phase}}


def main() -> None:
    result_path = sys.argv[1]
    job = json.loads(sys.stdin.read())
    path, function = job["handler_path"], job["function"]
    module_name = os.path.splitext(os.path.basename(path))[0]
    # Lambda puts the task root on sys.path, so a handler can import its sibling modules.
    sys.path.insert(0, os.path.dirname(path))
    try:
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
        handler = getattr(module, function, None)
        if not callable(handler):
            raise AttributeError(f"Handler '{function}' missing on module '{module_name}'")
    except BaseException as exc:  # noqa: BLE001 - SystemExit at import is a handler bug too
        if isinstance(exc, SystemExit):
            raise
        traceback.print_exc()
        error = _error(exc, "import")
        if not isinstance(exc, AttributeError):
            error["error"]["message"] = f"Unable to import module '{module_name}': {exc}"
        _write(result_path, error)
        return
    try:
        answer = handler(job["event"], _Context(module_name, float(job["timeout_s"])))
    except SystemExit:
        # sys.exit() in a handler ends the runtime, as it does in Lambda: no result.
        raise
    except BaseException as exc:  # noqa: BLE001 - report every handler failure
        traceback.print_exc()
        _write(result_path, _error(exc, "call"))
        return
    try:
        json.dumps(answer)
    except (TypeError, ValueError) as exc:
        _write(result_path, {"not_json": f"{type(answer).__name__}: {exc}"})
        return
    _write(result_path, {"answer": answer})


if __name__ == "__main__":
    main()
