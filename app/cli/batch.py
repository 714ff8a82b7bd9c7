"""`batch`: resend to many users from a file, paced, with progress on stderr and JSON lines out."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

from app.cli.args import (
    SubParsers,
    add_endpoint_url_flag,
    add_json_flag,
    add_sandbox_client_flag,
    bounded,
    whole_number,
)
from app.cli.common import (
    EXIT_CREDENTIALS,
    EXIT_FOR_KIND,
    EXIT_INPUT,
    EXIT_OK,
    SANDBOX_URL_ENV,
    Target,
    app_paths,
    attempt_json,
    cli_stack,
    exit_code_for,
    fail,
    gateway_config,
    sandbox_target,
    say,
    stored_target,
)
from app.core.profile import SANDBOX_PROFILE_NAME
from app.core.words import counted

if TYPE_CHECKING:
    from app.core.batch_input import BatchRow
    from app.core.batch_progress import BatchProgress, BatchSummary
    from app.core.outcome import Attempt
    from app.services.batch_runner import BatchRunner
    from app.services.composition import Composition

COMMAND = "batch"
# How many refused rows are printed before "... and N more" (all are counted).
_SHOWN_PROBLEMS = 50
# Without a terminal (a log, CI), one progress line every this many seconds.
_PLAIN_PROGRESS_EVERY_S = 2.0
_EXIT_INTERRUPTED = 130


def add_parser(sub: SubParsers) -> None:
    from app.services.batch_runner import (
        DEFAULT_CONCURRENCY,
        DEFAULT_RATE_PER_S,
        MAX_CONCURRENCY,
        MAX_RATE_PER_S,
    )

    rate = bounded(
        float,
        0.0,
        MAX_RATE_PER_S,
        low_excluded=True,
        not_a="a number of calls per second",
        rule=f"must be above 0 and at most {MAX_RATE_PER_S:g} calls per second",
    )

    p = sub.add_parser(
        COMMAND,
        help="resend to many users from a CSV file or a list of usernames",
        description="Resend confirmation codes to every user of a file: one username per "
        "line, or a CSV with a 'username' column (optional 'metadata' JSON and "
        "'metadata.KEY' columns; UTF-8, with or without BOM; Excel's CSV). Every bad row "
        "is listed with its line number before anything is sent. Calls are paced under "
        "a rate ceiling; throttling slows the batch down and the row is retried; "
        "LimitExceededException is never retried. Progress goes to standard error, one "
        "result per line to standard output. Ctrl+C stops new calls (calls in flight "
        "finish and are recorded). Exit code: the worst outcome (see `resend --help`).",
    )
    p.add_argument("--profile", required=True, help="the profile to use (as for resend)")
    p.add_argument(
        "--file", required=True, metavar="FILE", help="the CSV or list of usernames; - for stdin"
    )
    p.add_argument(
        "--concurrency",
        type=whole_number(1, MAX_CONCURRENCY),
        default=DEFAULT_CONCURRENCY,
        metavar="N",
        help="calls in flight at once (default: %(default)s)",
    )
    p.add_argument(
        "--rate",
        type=rate,
        default=DEFAULT_RATE_PER_S,
        metavar="R",
        help="most calls per second (default: %(default)s, below Cognito's quota)",
    )
    add_json_flag(p, "print each result as one JSON line")
    p.add_argument(
        "--skip-invalid",
        action="store_true",
        help="send the valid rows even when some rows are bad (they are listed and skipped)",
    )
    p.add_argument(
        "--send-duplicates",
        action="store_true",
        help="also send rows whose username repeats an earlier row (skipped by default: "
        "each resend burns one of the user's attempts)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="how long to wait for each answer (default: 10)",
    )
    add_endpoint_url_flag(
        p,
        f"with --profile {SANDBOX_PROFILE_NAME}: the running sandbox (default: "
        f"${SANDBOX_URL_ENV}, else an embedded one); otherwise overrides the profile's URL",
    )
    add_sandbox_client_flag(
        p, f"with --profile {SANDBOX_PROFILE_NAME}: which seeded app client to use"
    )


# -- the input -----------------------------------------------------------------------------


@contextmanager
def _open_input(name: str) -> Iterator[IO[bytes]]:
    """The input as a rewindable binary file (stdin is spooled: it is read twice)."""
    if name == "-":
        import shutil
        import tempfile

        with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
            shutil.copyfileobj(sys.stdin.buffer, spool)
            spool.seek(0)
            yield spool
        return
    try:
        handle = open(name, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        fail(f"--file: cannot read {name!r}: {exc.strerror or exc}")
    with handle:
        yield handle


def _check_input(handle: IO[bytes], args: argparse.Namespace) -> tuple[int, int]:
    """List bad rows and duplicates on stderr; return (rows to send, bad rows skipped)."""
    from app.core.batch_input import read_batch
    from app.services.batch_check import check_batch_input

    check = check_batch_input(
        read_batch(handle),
        keep=_SHOWN_PROBLEMS,
        on_problem=lambda problem: say(f"{COMMAND}: {problem}"),
    )
    if check.fatal is not None:
        fail(f"--file: line {check.fatal.line}: {check.fatal.reason}")
    if check.problem_count > _SHOWN_PROBLEMS:
        say(f"{COMMAND}: ... and {check.problem_count - _SHOWN_PROBLEMS:,} more")
    to_send = check.to_send(include_duplicates=args.send_duplicates)
    if check.bad and not args.skip_invalid:
        fail(
            f"{counted(check.bad, 'bad row')} listed above; nothing was sent. Fix the file, "
            f"or pass --skip-invalid to send the {counted(to_send, 'valid row')}."
        )
    if check.duplicates and not args.send_duplicates:
        say(
            f"{COMMAND}: {counted(check.duplicates, 'duplicate row')} will be skipped "
            "(--send-duplicates)"
        )
    if to_send == 0:
        fail("--file: there is no valid row to send")
    return to_send, check.bad


# -- output ----------------------------------------------------------------------------------


class _Reporter:
    """Prints results on stdout and progress on stderr (redrawn in place on a terminal).

    A result line is printed only once its attempt is in the history (`written`, called
    by the BufferedHistory after each commit): a line on stdout promises a row in the
    history, even if the process is killed the next instant. Results reach `result` on
    the loop's thread and `written` on a worker thread, in either order; the lock makes
    the two meet exactly once per attempt.
    """

    def __init__(self, as_json: bool) -> None:
        import threading

        self._json = as_json
        self._tty = sys.stderr.isatty()
        self._last = float("-inf")
        self._drawn = False
        self._lock = threading.Lock()
        # Finished rows not yet committed (attempt_id -> line), and committed rows whose
        # result has not arrived yet (a row is committed once: RowHistory).
        self._waiting: dict[str, str] = {}
        self._written: set[str] = set()

    def result(self, row: BatchRow, attempt: Attempt) -> None:
        line = self._format(row, attempt)
        with self._lock:
            if attempt.attempt_id in self._written:
                self._written.discard(attempt.attempt_id)
                self._print(line)
            else:
                self._waiting[attempt.attempt_id] = line

    def written(self, attempts: Sequence[Attempt]) -> None:
        with self._lock:
            for a in attempts:
                line = self._waiting.pop(a.attempt_id, None)
                if line is None:
                    self._written.add(a.attempt_id)
                else:
                    self._print(line)

    def _print(self, line: str) -> None:
        self._clear()
        print(line, flush=True)

    def _format(self, row: BatchRow, attempt: Attempt) -> str:
        code = exit_code_for(attempt)
        if self._json:
            data = {"line": row.line, **attempt_json(attempt, code)}
            return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        if attempt.delivery is not None:
            d = attempt.delivery
            what = f"delivered to {d.destination} ({d.medium.value if d.medium else '?'})"
        else:
            what = attempt.outcome_label
            if attempt.failure is not None:
                what += f" [{attempt.failure.code}]"
        return f"line {row.line}\t{attempt.username}\t{what}"

    def progress(self, p: BatchProgress) -> None:
        now = time.monotonic()
        if not self._tty and now - self._last < _PLAIN_PROGRESS_EVERY_S:
            return
        self._last = now
        text = _progress_text(p)
        with self._lock:
            if self._tty:
                sys.stderr.write("\r\x1b[2K" + text)
                sys.stderr.flush()
                self._drawn = True
            else:
                say(text)

    def _clear(self) -> None:
        if self._drawn:
            sys.stderr.write("\r\x1b[2K")
            self._drawn = False

    def done(self, summary: BatchSummary) -> None:
        with self._lock:
            # The last flush has run (and reports failed writes too), so nothing should be
            # waiting; if a line is, show it rather than hide the outcome of a call.
            for line in self._waiting.values():
                self._print(line)
            self._waiting.clear()
            self._written.clear()
            self._clear()
        say(f"{COMMAND}: {summary.describe()}")


def _progress_text(p: BatchProgress) -> str:
    from app.core.batch_progress import failure_words, format_duration

    total = f"/{p.total:,}" if p.total is not None else ""
    failed = f"{p.failed_count:,} failed"
    if p.failed_count:
        failed += f" ({failure_words(p)})"
    eta = f", ETA {format_duration(p.eta_s)}" if p.eta_s is not None else ""
    return (
        f"{COMMAND}: {p.state.value} {p.done:,}{total} done, {p.delivered:,} delivered, "
        f"{failed}; {p.rate_per_s:.1f}/s (ceiling {p.rate_limit_per_s:.1f}/s){eta}"
    )


def _exit_code(summary: BatchSummary, skipped_bad: bool) -> int:
    worst = summary.worst_kind
    if worst is not None:
        return EXIT_FOR_KIND[worst]
    if skipped_bad:
        return EXIT_INPUT
    if summary.not_sent:
        return _EXIT_INTERRUPTED
    return EXIT_OK


# -- running ---------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    if args.timeout is not None and not 0.1 <= args.timeout <= 300:
        fail("--timeout: must be between 0.1 and 300 seconds")
    with _open_input(args.file) as handle:
        to_send, bad = _check_input(handle, args)
        paths = app_paths()
        stack = cli_stack(paths, gateway_config(args.timeout, batch=True))
        try:
            if args.profile.strip() == SANDBOX_PROFILE_NAME:
                with sandbox_target(args, stack) as target:
                    return _run_batch(args, stack, handle, (to_send, bad), target)
            target = stored_target(args, stack)
            return _run_batch(args, stack, handle, (to_send, bad), target)
        finally:
            stack.close()


def _run_batch(
    args: argparse.Namespace,
    stack: Composition,
    handle: IO[bytes],
    counts: tuple[int, int],
    target: Target,
) -> int:
    import asyncio
    import signal

    from app.core.batch_input import read_batch, rows_to_send
    from app.services.batch_history import BufferedHistory, RowHistory
    from app.services.batch_runner import BatchJob, BatchRunner, BatchSettings

    to_send, bad = counts
    # Read once for the whole batch, not once per row; a locked keyring stops it here.
    resolver = stack.resolver(keyring=target.credentials is None)
    resolved = resolver.resolve(target.profile, target.credentials)
    if resolved.credentials is None:
        fail(f"{resolved.problem}", EXIT_CREDENTIALS)
    credentials = resolved.credentials
    settings = BatchSettings(concurrency=args.concurrency, rate_per_s=args.rate)
    history = stack.history()
    reporter = _Reporter(args.json)
    # One writer thread commits the history: the resend threads never wait on a disk sync.
    buffer = BufferedHistory(history, on_written=reporter.written, writer_thread=True)
    # One history row per user: a throttled user's calls end up in one row (its retries).
    row_history = RowHistory(buffer)
    pipeline = stack.batch_pipeline(row_history)
    stack.batch_gateway().warm_up(target.profile.region, target.profile.endpoint_url)
    handle.seek(0)
    rows = rows_to_send(read_batch(handle), include_duplicates=args.send_duplicates)
    runner = BatchRunner(
        pipeline,
        settings,
        flush_history=buffer.flush,
        row_history=row_history,
        on_progress=reporter.progress,
        on_result=reporter.result,
    )

    async def main() -> BatchSummary:
        loop = asyncio.get_running_loop()
        try:
            loop.add_signal_handler(signal.SIGINT, _interrupt, runner)
        except (NotImplementedError, RuntimeError):  # Windows: KeyboardInterrupt instead
            pass
        return await runner.run(BatchJob(target.profile, rows, credentials, total=to_send))

    say(
        f"{COMMAND}: sending {counted(to_send, 'row')} with profile {target.profile.name!r}, "
        f"concurrency {settings.concurrency}, at most {settings.rate_per_s:g}/s"
    )
    summary = asyncio.run(main())
    reporter.done(summary)
    say(f"{COMMAND}: batch id {summary.batch_id} (history: filter on it to export its rows)")
    return _exit_code(summary, skipped_bad=bad > 0)


def _interrupt(runner: BatchRunner) -> None:
    if runner.cancelled:
        raise KeyboardInterrupt
    say(f"\n{COMMAND}: cancelling: no new calls; waiting for the calls in flight")
    runner.cancel()
