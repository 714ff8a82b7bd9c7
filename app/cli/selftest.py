"""`--self-test`: prove this install works (keyring, resources, model, Qt, sandbox, one resend)."""

from __future__ import annotations

import io
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

from app import APP_NAME, app_version

if TYPE_CHECKING:
    from app.services.composition import Composition
    from app.services.sandbox_service import SandboxService

# Printed last on success; the packaging test and support people look for it.
PASS_LINE = "SELF-TEST PASSED"
FAIL_LINE = "SELF-TEST FAILED"
# Also written into the log folder: windowed Windows/macOS builds have no console.
REPORT_FILE = "self-test.txt"
# The seeded sandbox client with a secret: the round trip also exercises SecretHash.
_ROUND_TRIP_CLIENT = "secret"
_ROUND_TRIP_USER = "alice"


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    seconds: float


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


# -- checks: each returns a one-line detail or raises with a readable message ----------------


def check_keyring() -> str:
    """A usable, secure keyring backend was found; names it (and its class)."""
    import keyring

    from app.services.secret_store import SecretStore

    status = SecretStore().status()
    backend = keyring.get_keyring()
    klass = f"{type(backend).__module__}.{type(backend).__qualname__}"
    if not status.usable:
        raise RuntimeError(f"{status.backend_name} [{klass}]: {status.message}")
    return f"{status.backend_name} [{klass}]"


def check_resources() -> str:
    """The icon and the .desktop entry ship with the app."""
    from importlib import resources

    root = resources.files("resources")
    icon = (root / "icons" / "app.svg").read_bytes()
    desktop = (root / "cognito-resend.desktop").read_text(encoding="utf-8")
    if b"<svg" not in icon:
        raise RuntimeError("icons/app.svg is not an SVG file")
    if "[Desktop Entry]" not in desktop:
        raise RuntimeError("cognito-resend.desktop has no [Desktop Entry] group")
    return f"icons/app.svg ({len(icon)} bytes), cognito-resend.desktop"


def check_model() -> str:
    """botocore's cognito-idp model loads and has the operations this app calls."""
    import botocore
    from botocore.loaders import create_loader

    from app.services.botocore_data import OPERATIONS

    model = create_loader().load_service_model("cognito-idp", "service-2")
    ops = model.get("operations", {})
    missing = [name for name in OPERATIONS if name not in ops]
    if missing:
        raise RuntimeError(f"the cognito-idp model has no {', '.join(missing)} operation")
    api = model.get("metadata", {}).get("apiVersion", "?")
    return f"botocore {botocore.__version__}, cognito-idp API {api}, {len(ops)} operations"


def check_qt() -> str:
    """Qt starts (platform plugin) and renders the SVG icon (QtSvg + imageformats plugin)."""
    from importlib import resources

    import PySide6
    from PySide6.QtGui import QGuiApplication, QImage

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0], "-platform", "offscreen"])
    data = (resources.files("resources") / "icons" / "app.svg").read_bytes()
    image = QImage()
    if not image.loadFromData(data, "SVG") or image.isNull():
        raise RuntimeError("the SVG icon did not render (Qt's svg image plugin is missing)")
    platform_name = QGuiApplication.platformName() if app is not None else "?"
    return (
        f"PySide6 {PySide6.__version__}, platform {platform_name}, "
        f"icon {image.width()}x{image.height()}"
    )


def check_log_dir() -> str:
    """The platform log folder can be created and written (support asks for this file)."""
    from app.services.paths import AppPaths

    paths = AppPaths.from_platform()
    paths.log_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    probe = paths.log_dir / ".self-test-probe"
    probe.write_text("ok", encoding="utf-8")
    probe.unlink()
    return str(paths.log_file)


def check_sandbox(service: SandboxService) -> str:
    """The embedded sandbox (moto) starts and answers on a local port."""
    info = service.start()
    return f"{info.endpoint_url}, pool {info.user_pool_id}"


def check_round_trip(stack: Composition) -> str:
    """One real resend through the pipeline -> gateway -> HTTP -> sandbox, code in its inbox."""
    from app.core.attempts import begin_attempt
    from app.core.outcome import Status
    from app.core.request import ResendInput
    from app.services.history_sink import MemoryHistory

    service = stack.sandbox()
    service.start()
    creds = service.credentials(_ROUND_TRIP_CLIENT)
    profile = service.profile(_ROUND_TRIP_CLIENT)
    raw = ResendInput(client_id=creds.client_id, username=_ROUND_TRIP_USER)
    # Never the keyring, never the person's real history.
    pipeline = stack.pipeline(history=MemoryHistory(), keyring=False)
    attempt = pipeline.run(
        begin_attempt(profile, raw, client_id=creds.client_id), profile, raw, creds
    )
    if attempt.status is not Status.DELIVERED or attempt.delivery is None:
        why = attempt.failure.title if attempt.failure is not None else attempt.status.value
        code = attempt.failure.code if attempt.failure is not None else ""
        raise RuntimeError(f"resend did not deliver: {why} {code}".strip())
    inbox = service.inbox(_ROUND_TRIP_USER)
    if not inbox:
        raise RuntimeError("Cognito answered but the sandbox inbox has no code")
    medium = attempt.delivery.medium.value if attempt.delivery.medium else "?"
    return (
        f"delivered to {attempt.delivery.destination} by {medium} "
        f"(SecretHash {'used' if attempt.used_secret_hash else 'not used'}, "
        f"HTTP {attempt.http_status})"
    )


def self_test_stack() -> Composition:
    """The self-test's services: no app folders, short timeouts and no retry, so that a
    broken bundle fails its check in seconds."""
    from app.services.cognito_gateway import GatewayConfig
    from app.services.composition import Composition, StackSettings

    config = GatewayConfig(connect_timeout=2.0, read_timeout=5.0, max_attempts=1)
    return Composition(StackSettings(paths=None, gateway=config))


# -- runner ----------------------------------------------------------------------------------


def run_checks(checks: Sequence[tuple[str, Callable[[], str]]], out: TextIO) -> list[CheckResult]:
    """Run each check, printing one line per check as it finishes; never raises."""
    results: list[CheckResult] = []
    for name, check in checks:
        t0 = time.perf_counter()
        try:
            detail, ok = check(), True
        except Exception as exc:  # a failing check is a report line, not a traceback
            detail, ok = f"{type(exc).__name__}: {exc}", False
        result = CheckResult(name, ok, detail, time.perf_counter() - t0)
        results.append(result)
        mark = " OK " if ok else "FAIL"
        print(f"[{mark}] {name:<12} {detail}  ({result.seconds * 1000:.0f} ms)", file=out)
        out.flush()
    return results


def default_checks(stack: Composition) -> list[tuple[str, Callable[[], str]]]:
    return [
        ("keyring", check_keyring),
        ("resources", check_resources),
        ("aws model", check_model),
        ("qt", check_qt),
        ("log folder", check_log_dir),
        ("sandbox", lambda: check_sandbox(stack.sandbox())),
        ("resend", lambda: check_round_trip(stack)),
    ]


def header() -> str:
    how = "installed bundle" if is_frozen() else "from source"
    return (
        f"{APP_NAME} {app_version()} self-test ({how}; Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()})"
    )


class _Tee(io.TextIOBase):
    """Writes to the console (when there is one) and keeps a copy for the report file."""

    def __init__(self, console: TextIO | None) -> None:
        self.console = console
        self.copy = io.StringIO()

    def write(self, text: str) -> int:
        if self.console is not None:
            self.console.write(text)
        return self.copy.write(text)

    def flush(self) -> None:
        if self.console is not None:
            self.console.flush()


def self_test(
    out: TextIO | None = None,
    checks: Sequence[tuple[str, Callable[[], str]]] | None = None,
) -> int:
    """Run the self-test and print the report to `out`; 0 when every check passed.

    With the default checks, the report is also saved as `self-test.txt` in the log
    folder: a windowed Windows/macOS build has no console to print to.
    """
    # Headless by design: a support person may run it over SSH; never needs a display.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_API", "pyside6")
    tee = _Tee(out if out is not None else sys.stdout)
    report = cast(TextIO, tee)
    print(header(), file=report)
    stack: Composition | None = None
    report_file: Path | None = None
    if checks is None:
        from app.services.logging_setup import configure_logging
        from app.services.paths import AppPaths
        paths = AppPaths.from_platform()
        report_file = paths.log_dir / REPORT_FILE
        # Into the app's own log (not stderr): a support person asks for that one file.
        configure_logging(paths.log_file)
        stack = self_test_stack()
        checks = default_checks(stack)
    t0 = time.perf_counter()
    try:
        results = run_checks(checks, report)
    finally:
        if stack is not None:
            stack.close()
    failed = [r.name for r in results if not r.ok]
    took = time.perf_counter() - t0
    if failed:
        verdict = (
            f"{FAIL_LINE}: {len(failed)} of {len(results)} checks failed "
            f"({', '.join(failed)}) in {took:.1f} s"
        )
    else:
        verdict = f"{PASS_LINE}: {len(results)} checks in {took:.1f} s"
    if report_file is not None:
        try:
            report_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            report_file.write_text(tee.copy.getvalue() + verdict + "\n", encoding="utf-8")
            print(f"Report saved to {report_file}", file=report)
        except OSError as exc:
            print(f"Could not save the report to {report_file}: {exc}", file=report)
    print(verdict, file=report)
    report.flush()
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m app.cli.selftest` (and the app's `--self-test`)."""
    return self_test()


if __name__ == "__main__":
    sys.exit(main())
