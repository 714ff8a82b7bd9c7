"""The shared batch input check: counts, kept problems in order, the fatal header."""

from __future__ import annotations

from app.core.batch_input import read_batch
from app.services.batch_check import InputProblem, check_batch_input


def _lines(text: str) -> list[str]:
    return text.splitlines()


def test_counts_bad_rows_and_duplicates_in_input_order() -> None:
    seen: list[InputProblem] = []
    check = check_batch_input(
        read_batch(_lines("alice\nbob\ntwo words\nalice\n")), on_problem=seen.append
    )
    assert (check.valid, check.duplicates, check.bad) == (3, 1, 1)
    assert [p.line for p in check.problems] == [3, 4]
    assert seen == list(check.problems)
    assert not check.problems[0].duplicate and check.problems[1].username == "alice"
    assert str(check.problems[1]).startswith("line 4: duplicate of line 1")
    assert check.to_send(include_duplicates=False) == 2
    assert check.to_send(include_duplicates=True) == 3
    assert check.problem_count == 2


def test_keeps_only_the_first_problems_but_counts_all() -> None:
    text = "\n".join(f"bad user {i}" for i in range(10))
    check = check_batch_input(read_batch(_lines(text)), keep=3)
    assert check.bad == 10 and len(check.problems) == 3 and check.problem_count == 10


def test_a_header_without_a_username_column_is_fatal() -> None:
    check = check_batch_input(read_batch(_lines("email,metadata\na@b.c,{}\n")))
    assert check.fatal is not None and check.fatal.line == 1
    assert check.to_send(include_duplicates=True) == 0
