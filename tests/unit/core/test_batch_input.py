"""Batch input parsing: pasted lists, CSV layouts, encodings, bad rows, duplicates, scale."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import given
from hypothesis import strategies as st

from app.core.batch_input import (
    MAX_KEPT_ERRORS,
    BatchRow,
    BatchRowError,
    duplicate_note,
    read_batch,
    rows_to_send,
    scan_batch,
)


def items(text: str) -> list[BatchRow | BatchRowError]:
    return list(read_batch(io.StringIO(text, newline="")))


def binary(data: bytes) -> list[BatchRow | BatchRowError]:
    return list(read_batch(io.BytesIO(data)))


def test_pasted_usernames_one_per_line_skip_blank_lines_and_trim() -> None:
    got = items("alice\n\n  bob  \r\n\ncarol")
    assert got == [BatchRow(1, "alice"), BatchRow(3, "bob"), BatchRow(5, "carol")]


def test_empty_input_and_only_blank_lines_yield_nothing() -> None:
    assert items("") == []
    assert items("\n  \n\n") == []


def test_csv_with_header_metadata_json_and_key_columns_in_column_order() -> None:
    text = (
        "email,Username,metadata,metadata.Flow\r\n"
        'a@x,alice,"{""lang"": ""fr""}",qa\r\n'
        "b@x,bob,,\r\n"
    )
    assert items(text) == [
        BatchRow(2, "alice", (("lang", "fr"), ("Flow", "qa"))),
        BatchRow(3, "bob", ()),
    ]


def test_utf8_bom_is_dropped_from_the_header_bytes_and_text() -> None:
    data = "\ufeffusername,metadata.k\nzoë,v\n".encode()
    assert binary(data) == [BatchRow(2, "zoë", (("k", "v"),))]
    assert items("\ufeffusername\nzoë\n") == [BatchRow(2, "zoë")]


def test_excel_dialect_round_trip_quotes_commas_and_newlines_in_values() -> None:
    out = io.StringIO(newline="")
    writer = csv.writer(out, dialect="excel")
    writer.writerow(["username", "metadata.note"])
    writer.writerow(["alice", 'says "hi", then\nleaves'])
    writer.writerow(["bob", "plain"])
    got = items(out.getvalue())
    assert got == [
        BatchRow(2, "alice", (("note", 'says "hi", then\nleaves'),)),
        # The quoted value spans two physical lines: bob starts on line 4.
        BatchRow(4, "bob", (("note", "plain"),)),
    ]


def test_semicolon_separated_excel_export_is_detected_from_the_header() -> None:
    assert items("username;metadata.k\nalice;1\n") == [BatchRow(2, "alice", (("k", "1"),))]


def test_a_header_without_a_username_column_is_fatal_and_names_what_it_found() -> None:
    got = items("user,email\nalice,a@x\n")
    assert len(got) == 1
    error = got[0]
    assert isinstance(error, BatchRowError) and error.fatal and error.line == 1
    assert "'user'" in error.reason and "'username'" in error.reason
    scan = scan_batch(got)
    assert scan.fatal == error and not scan.ok and scan.valid == 0


def test_invalid_metadata_json_is_a_row_error_with_its_line_and_the_rest_goes_on() -> None:
    got = items('username,metadata\nalice,{nope}\nbob,"[1]"\ncarol,"{""n"": 1}"\ndave,\n')
    assert [type(g) for g in got] == [BatchRowError] * 3 + [BatchRow]
    assert [g.line for g in got] == [2, 3, 4, 5]
    assert "not valid JSON" in str(got[0])
    assert "JSON object" in str(got[1])
    assert "must be a string" in str(got[2])


def test_bad_usernames_are_refused_with_the_reason() -> None:
    got = items("username,metadata.k\nhas space,\n" + "x" * 129 + ",\n,v\n")
    assert [g.line for g in got] == [2, 3, 4]
    assert "space" in str(got[0])
    assert "129" in str(got[1])
    assert "empty" in str(got[2])


def test_headerless_rows_with_several_columns_are_refused_not_glued() -> None:
    got = items("alice\nbob,extra\ncarol,,\n")
    assert got[0] == BatchRow(1, "alice")
    assert isinstance(got[1], BatchRowError) and "no header" in got[1].reason
    # Trailing empty cells, as Excel writes them, are not extra columns.
    assert got[2] == BatchRow(3, "carol")


def test_non_utf8_bytes_give_a_clear_message_per_line_and_the_rest_is_read() -> None:
    data = b"username\nalice\n" + b"jos\xe9\n" + b"bob\n"
    got = binary(data)
    assert got[0] == BatchRow(2, "alice")
    assert isinstance(got[1], BatchRowError) and got[1].line == 3
    assert "not UTF-8" in got[1].reason and "0xE9" in got[1].reason
    assert "CSV UTF-8" in got[1].reason
    assert got[2] == BatchRow(4, "bob")


def test_latin1_header_is_fatal() -> None:
    got = binary(b"username,metadata.caf\xe9\nalice,x\n")
    assert len(got) == 1 and isinstance(got[0], BatchRowError) and got[0].fatal


def test_unterminated_quote_is_reported_at_the_row_start() -> None:
    got = items('username\nalice\n"bob\ncarol\n')
    assert got[0] == BatchRow(2, "alice")
    assert isinstance(got[1], BatchRowError) and got[1].line == 3
    assert "quote" in got[1].reason


def test_duplicates_are_flagged_ignoring_case_and_skipped_unless_asked() -> None:
    got = items("alice\nbob\nALICE\nalice\n")
    assert [getattr(g, "duplicate_of", None) for g in got] == [None, None, 1, 1]
    assert [r.line for r in rows_to_send(got)] == [1, 2]
    assert [r.line for r in rows_to_send(got, include_duplicates=True)] == [1, 2, 3, 4]
    note = duplicate_note(got[2])  # type: ignore[arg-type]
    assert note is not None and note.line == 3 and "line 1" in note.reason
    scan = scan_batch(got)
    assert (scan.valid, scan.duplicates, scan.error_count) == (4, 2, 0)


def test_repeated_header_column_is_fatal() -> None:
    got = items("username,metadata.k,metadata.k\nalice,1,2\n")
    assert len(got) == 1 and isinstance(got[0], BatchRowError) and got[0].fatal


def test_ten_thousand_rows_stream_with_line_numbers_and_errors_capped_in_the_scan() -> None:
    lines = ["username,metadata.n"]
    for i in range(10_000):
        lines.append(f"user-{i:05d},{i}" if i % 7 else f"bad user {i},{i}")
    got = items("\n".join(lines) + "\n")
    assert len(got) == 10_000
    rows = [g for g in got if isinstance(g, BatchRow)]
    assert rows[0] == BatchRow(3, "user-00001", (("n", "1"),))
    assert rows[-1].line == 10_001
    scan = scan_batch(iter(got))
    assert scan.error_count == len([i for i in range(10_000) if i % 7 == 0])
    assert scan.valid == len(rows)

    many_bad = "username\n" + "bad user\n" * (MAX_KEPT_ERRORS + 5)
    scan = scan_batch(read_batch(io.StringIO(many_bad)))
    assert scan.error_count == MAX_KEPT_ERRORS + 5
    assert len(scan.errors) == MAX_KEPT_ERRORS


def test_read_batch_is_lazy() -> None:
    def endless() -> object:
        yield "username\n"
        n = 0
        while True:
            n += 1
            yield f"u{n}\n"

    stream = read_batch(endless())  # type: ignore[arg-type]
    first = [next(stream) for _ in range(3)]
    assert first == [BatchRow(2, "u1"), BatchRow(3, "u2"), BatchRow(4, "u3")]


usernames = st.text(
    alphabet=st.characters(categories=("L", "N"), max_codepoint=0x2FF), min_size=1, max_size=20
)


@given(st.lists(usernames, min_size=1, max_size=30, unique_by=str.casefold))
def test_any_list_written_as_excel_csv_reads_back(names: list[str]) -> None:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(["username", "metadata"])
    for name in names:
        writer.writerow([name, json.dumps({"who": name})])
    got = list(read_batch(io.BytesIO(out.getvalue().encode("utf-8-sig"))))
    assert [(g.username, g.metadata) for g in got if isinstance(g, BatchRow)] == [
        (n, (("who", n),)) for n in names
    ]
    assert all(isinstance(g, BatchRow) for g in got)


def test_old_mac_line_ends_and_stray_carriage_returns_are_line_breaks_not_a_crash() -> None:
    import io

    cr_only = list(read_batch(io.BytesIO(b"username\ralice\rbob\r")))
    assert [(r.line, getattr(r, "username", None)) for r in cr_only] == [(2, "alice"), (3, "bob")]
    stray = list(read_batch(io.BytesIO(b"alice\rbob\ncarol\n")))
    assert [getattr(r, "username", None) for r in stray] == ["alice", "bob", "carol"]
    assert [r.line for r in stray] == [1, 2, 3]


def test_a_first_line_over_the_csv_field_limit_is_a_fatal_row_error_not_a_crash() -> None:
    import io

    items = list(read_batch(io.BytesIO(b"0" * 200_000 + b"\nalice\n")))
    assert len(items) == 1 and isinstance(items[0], BatchRowError) and items[0].fatal
    assert items[0].line == 1 and "cannot be read as CSV" in items[0].reason
