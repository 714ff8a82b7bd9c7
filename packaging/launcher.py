"""Frozen entry point: the app's own main, plus the `python -c` the sandbox's trigger needs."""

from __future__ import annotations

import sys

# Interpreter flags the sandbox passes before -c (app/sandbox/trigger.py: -B -u -c SRC ARG).
_PY_FLAGS = {"-B", "-u", "-I", "-E", "-s", "-S"}


def _as_python_c(argv: list[str]) -> tuple[str, list[str]] | None:
    """(source, argv for it) when invoked as `<exe> [flags] -c SOURCE ARGS...`, else None."""
    i = 0
    while i < len(argv) and argv[i] in _PY_FLAGS:
        i += 1
    if i + 1 < len(argv) and argv[i] == "-c":
        return argv[i + 1], ["-c", *argv[i + 2 :]]
    return None


def _run_python_c(source: str, argv: list[str]) -> int:
    """Run `source` as `python -u -c` would: in __main__, unbuffered, SystemExit honoured.

    In the bundle sys.executable is this program, not a Python; the sandbox's
    CustomMessage trigger starts it with -c to run a handler in a child process. Only
    the bundled standard library (and the app's dependencies) can be imported there.
    """
    sys.dont_write_bytecode = True
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(line_buffering=True, write_through=True)
    sys.argv = argv
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    try:
        exec(compile(source, "<string>", "exec"), namespace)  # noqa: S102 -- it is `python -c`
    except SystemExit as stop:
        code = stop.code
        if code is None or isinstance(code, int):
            return code or 0
        print(code, file=sys.stderr)
        return 1
    return 0


def main() -> int:
    python_c = _as_python_c(sys.argv[1:])
    if python_c is not None:
        return _run_python_c(*python_c)
    from app.__main__ import main as app_main

    return app_main()


if __name__ == "__main__":
    sys.exit(main())
