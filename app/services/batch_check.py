"""The batch input check, shared by the CLI and the batch window: counts and the problems."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from app.core.batch_input import MAX_KEPT_ERRORS, BatchItem, BatchRowError, duplicate_note


@dataclass(frozen=True)
class InputProblem:
    """A refused row, or a duplicate (`username` set) that is skipped unless asked for."""

    line: int
    reason: str
    username: str | None = None

    @property
    def duplicate(self) -> bool:
        return self.username is not None

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True)
class InputCheck:
    """What an input holds, counted in one pass; the first `keep` problems kept to show.

    `fatal` is set when the header cannot be read: nothing in the input can be sent.
    """

    valid: int
    duplicates: int
    bad: int
    problems: tuple[InputProblem, ...]
    fatal: BatchRowError | None = None

    @property
    def problem_count(self) -> int:
        """All refused rows and duplicates, kept or not."""
        return self.bad + self.duplicates

    def to_send(self, include_duplicates: bool) -> int:
        if self.fatal is not None:
            return 0
        return self.valid if include_duplicates else self.valid - self.duplicates


def check_batch_input(
    items: Iterable[BatchItem],
    *,
    keep: int = MAX_KEPT_ERRORS,
    on_problem: Callable[[InputProblem], None] | None = None,
) -> InputCheck:
    """Count `items` (from `read_batch`), keeping the first `keep` problems; stops at a
    fatal header. `on_problem` sees each kept problem as it is read, while the caller can
    still look at that line (the CLI prints it, the window keeps the line's text)."""
    valid = duplicates = bad = 0
    problems: list[InputProblem] = []
    for item in items:
        problem: InputProblem | None = None
        if isinstance(item, BatchRowError):
            if item.fatal:
                return InputCheck(valid, duplicates, bad + 1, tuple(problems), fatal=item)
            bad += 1
            problem = InputProblem(item.line, item.reason)
        else:
            valid += 1
            note = duplicate_note(item)
            if note is not None:
                duplicates += 1
                problem = InputProblem(item.line, note.reason, item.username)
        if problem is not None and len(problems) < keep:
            problems.append(problem)
            if on_problem is not None:
                on_problem(problem)
    return InputCheck(valid, duplicates, bad, tuple(problems))
