"""A local trigger handler checked before the sandbox is asked, and its refusals in plain words.

The sandbox only checks that the file exists; a missing function or a syntax error would
show up later as a failed resend. Checked here, the trigger row says at once what is wrong
with the file or the function, never "HTTP 400".
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

_REFUSAL = re.compile(r"^\S+ \S+: HTTP 4\d\d: (?P<detail>.*)$", re.DOTALL)
_SPEC_PREFIX = re.compile(r"^'[^']*': ")


def handler_problem(spec: str) -> str | None:
    """What is wrong with ``path/to/file.py:function`` (None when it looks runnable)."""
    path_text, sep, function = spec.strip().rpartition(":")
    if not sep or not path_text or not function:
        return "Write the handler as path/to/file.py:function — the file, a colon, the function."
    if not function.isidentifier():
        return f"“{function}” (after the colon) is not a Python function name."
    path = Path(path_text).expanduser()
    if path.suffix != ".py":
        return f"The handler must be a Python file ending in .py, not “{path.name}”."
    if not path.is_file():
        return f"There is no file {path}."
    try:
        tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"), str(path))
    except SyntaxError as exc:
        return f"{path.name} does not compile (line {exc.lineno}: {exc.msg})."
    except OSError as exc:
        return f"{path.name} cannot be read: {exc.strerror or exc}."
    defined = [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    assigned = {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    if function not in defined and function not in assigned:
        known = ", ".join(defined[:8]) or "none"
        return f"{path.name} has no function “{function}” (its functions: {known})."
    return None


def plain_refusal(raw: str) -> str:
    """The sandbox's answer without its request line and HTTP status."""
    match = _REFUSAL.match(raw)
    if match is None:
        return raw.replace(": cannot reach the sandbox:", ": the sandbox cannot be reached:")
    return _SPEC_PREFIX.sub("", match.group("detail")).strip() or "the sandbox refused it"
