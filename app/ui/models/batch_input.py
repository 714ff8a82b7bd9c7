"""A batch's input as the batch window reads it: the source, the check of every row, the rows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from typing import IO, cast

from app.core.batch_input import BatchRow, read_batch, rows_to_send
from app.services.batch_check import InputProblem, check_batch_input

# How many recent input lines are kept to show the text of a refused row.
_RECENT_LINES = 256
_SHOWN_TEXT = 80

Metadata = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class BatchSource:
    """Where a batch's rows come from: pasted text, or a file read again (streamed) to send."""

    text: str = ""
    path: str | None = None

    @property
    def label(self) -> str:
        return self.path if self.path else "pasted text"

    def open(self) -> AbstractContextManager[Iterable[str] | Iterable[bytes]]:
        """The input's lines (a binary file is decoded by read_batch, BOM and all)."""
        if self.path is not None:
            return cast("AbstractContextManager[IO[bytes]]", open(self.path, "rb"))  # noqa: SIM115
        return nullcontext(self.text.splitlines())


@dataclass(frozen=True)
class ShownProblem:
    """One line of the problems table: a refused row or a duplicate (which is skipped)."""

    line: int
    text: str
    reason: str
    duplicate: bool = False


@dataclass(frozen=True)
class InputSummary:
    """What a source holds: counts, and the first problems to show with their line's text."""

    valid: int
    duplicates: int
    bad: int
    problems: tuple[ShownProblem, ...]
    fatal: str | None = None

    def to_send(self, include_duplicates: bool) -> int:
        if self.fatal:
            return 0
        return self.valid if include_duplicates else self.valid - self.duplicates


class _RecentLines:
    """Passes lines through and remembers the last few by line number (for the table)."""

    def __init__(self, source: Iterable[str] | Iterable[bytes]) -> None:
        self._source = source
        self.recent: dict[int, str] = {}

    def __iter__(self) -> Iterator[str | bytes]:
        lines = cast("Iterable[str | bytes]", self._source)
        for number, line in enumerate(lines, start=1):
            self.recent[number] = (
                line.decode("utf-8", "replace") if isinstance(line, bytes) else line
            )
            self.recent.pop(number - _RECENT_LINES, None)
            yield line

    def text(self, line: int) -> str:
        text = self.recent.get(line, "").strip().removeprefix("\ufeff")
        return text if len(text) <= _SHOWN_TEXT else text[: _SHOWN_TEXT - 1] + "…"


def check_input(source: BatchSource) -> InputSummary:
    """Read the whole source once through the check the CLI uses too (blocking: run it off
    the UI thread); never raises for bad input. An unreadable file is reported as `fatal`."""
    texts: dict[int, str] = {}
    try:
        with source.open() as lines:
            recent = _RecentLines(lines)

            def keep_text(problem: InputProblem) -> None:
                # Called while the problem's line is still among the recent ones.
                texts[problem.line] = problem.username or recent.text(problem.line)

            items = read_batch(cast("Iterable[str]", recent))
            check = check_batch_input(items, on_problem=keep_text)
    except OSError as exc:
        return InputSummary(0, 0, 0, (), fatal=f"cannot read {source.label}: {exc.strerror or exc}")
    if check.fatal is not None:
        return InputSummary(0, 0, 1, (), fatal=str(check.fatal))
    shown = tuple(
        ShownProblem(p.line, texts.get(p.line, ""), p.reason, p.duplicate) for p in check.problems
    )
    return InputSummary(check.valid, check.duplicates, check.bad, shown)


def iter_rows(
    source: BatchSource, *, include_duplicates: bool, default_metadata: Metadata = ()
) -> Iterator[BatchRow]:
    """The rows to send, streamed from the source; rows without metadata get the default."""
    with source.open() as lines:
        for row in rows_to_send(read_batch(lines), include_duplicates=include_duplicates):
            if default_metadata and not row.metadata:
                row = replace(row, metadata=default_metadata)
            yield row
