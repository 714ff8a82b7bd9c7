"""Batch input: pasted usernames or a CSV file, streamed into rows to send and rows refused."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from app.core.request import (
    MetadataParseError,
    parse_metadata_json,
    validate_metadata,
    validate_username,
)

USERNAME_COLUMN = "username"
METADATA_COLUMN = "metadata"
METADATA_PREFIX = "metadata."
# Delimiters tried on the header row: Excel writes ';' where ',' is the decimal mark.
_DELIMITERS = (",", ";", "\t")
_BOM = "\ufeff"
# One physical line with its line end (CRLF, CR or LF), or a last line without one.
_PHYSICAL_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
# How many refused rows a scan keeps to show; the count goes on past it.
MAX_KEPT_ERRORS = 1000


@dataclass(frozen=True)
class BatchRow:
    """One user to resend to. `line` is the 1-based line where the row starts in the input.

    `duplicate_of` is the line of an earlier row with the same username (compared
    ignoring case, as a pool with case-insensitive usernames would): sending again
    burns one more of that user's attempts.
    """

    line: int
    username: str
    metadata: tuple[tuple[str, str], ...] = ()
    duplicate_of: int | None = None


@dataclass(frozen=True)
class BatchRowError:
    """A row that will not be sent, and why (in words a tester can act on).

    `fatal` marks a header that cannot be read: no row of the input can be sent.
    """

    line: int
    reason: str
    fatal: bool = False

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


BatchItem = BatchRow | BatchRowError


@dataclass(frozen=True)
class BatchScan:
    """What a whole input holds, counted without keeping every row (memory stays flat).

    `fatal` is set when the input cannot be read at all (no username column): then
    nothing in it can be sent. Only the first MAX_KEPT_ERRORS refused rows are kept.
    """

    valid: int
    duplicates: int
    error_count: int
    errors: tuple[BatchRowError, ...]
    fatal: BatchRowError | None = None

    @property
    def ok(self) -> bool:
        return self.fatal is None and self.error_count == 0


@dataclass(frozen=True)
class _Layout:
    """Which CSV columns hold what (indexes into a row)."""

    username: int
    metadata_json: int | None
    metadata_keys: tuple[tuple[int, str], ...]
    delimiter: str
    has_header: bool


class _Lines:
    """Decodes input lines one by one and remembers which physical lines were not UTF-8.

    Decoding per line (not the whole stream) lets a bad byte be reported against its
    line, and lets the rest of the file be checked too.
    """

    def __init__(self, source: Iterable[str] | Iterable[bytes]) -> None:
        self._source = source
        self.number = 0
        self.bad: dict[int, str] = {}

    def __iter__(self) -> Iterator[str]:
        for raw in self._source:
            self.number += 1
            text = self._decode(raw) if isinstance(raw, bytes) else raw
            if self.number == 1:
                text = text.removeprefix(_BOM)
            # A file with old Mac line ends (CR only), or a stray CR, reaches us as one
            # "line" holding several: csv refuses a line break inside an unquoted field,
            # so each physical line is handed on by itself (and numbered by itself).
            parts = _PHYSICAL_LINE.findall(text) or [text]
            for i, part in enumerate(parts):
                self.number += 1 if i else 0
                yield part

    def _decode(self, raw: bytes) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            byte = raw[exc.start]
            self.bad[self.number] = (
                f"is not UTF-8 text (byte 0x{byte:02X} at column {exc.start + 1}); save the "
                "file as UTF-8 (in Excel: 'CSV UTF-8 (Comma delimited)')"
            )
            return raw.decode("utf-8", errors="replace")


def _cells(row: list[str]) -> list[str]:
    return [c.strip() for c in row]


def _detect(first_line: str) -> _Layout | BatchRowError:
    """The layout told by the first non-empty line: a header, or a plain list of usernames."""
    try:
        for delimiter in _DELIMITERS:
            cells = _cells(next(csv.reader([first_line], delimiter=delimiter)))
            header = [c.lower() for c in cells]
            if USERNAME_COLUMN in header:
                return _layout_from_header(header, delimiter)
        header = _cells(next(csv.reader([first_line])))
    except csv.Error as exc:
        # E.g. a first line over csv's field size limit (131,072 characters).
        return BatchRowError(0, f"the first line cannot be read as CSV ({exc})")
    if sum(1 for c in header if c) > 1:
        shown = ", ".join(repr(c) for c in header[:6])
        return BatchRowError(
            0,
            f"the header has no {USERNAME_COLUMN!r} column (found {shown}); name the column "
            f"of usernames {USERNAME_COLUMN!r}, or give one username per line",
        )
    return _Layout(0, None, (), ",", has_header=False)


def _layout_from_header(header: list[str], delimiter: str) -> _Layout | BatchRowError:
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            return BatchRowError(0, f"the header names the column {name!r} twice")
        seen.add(name)
    keys: list[tuple[int, str]] = []
    for index, name in enumerate(header):
        if name.startswith(METADATA_PREFIX):
            key = name[len(METADATA_PREFIX) :]
            if not key:
                return BatchRowError(
                    0, f"the header's column {index + 1}, {name!r}, needs a key after the dot"
                )
            keys.append((index, key))
    return _Layout(
        username=header.index(USERNAME_COLUMN),
        metadata_json=header.index(METADATA_COLUMN) if METADATA_COLUMN in header else None,
        metadata_keys=tuple(keys),
        delimiter=delimiter,
        has_header=True,
    )


def _original_keys(first_line: str, layout: _Layout) -> tuple[tuple[int, str], ...]:
    """metadata.KEY keys as written (the header is matched ignoring case, keys are not)."""
    header = _cells(next(csv.reader([first_line], delimiter=layout.delimiter)))
    return tuple((i, header[i][len(METADATA_PREFIX) :]) for i, _ in layout.metadata_keys)


def _row(cells: list[str], line: int, layout: _Layout) -> BatchRow | BatchRowError:
    if not layout.has_header and sum(1 for c in cells if c) > 1:
        return BatchRowError(
            line,
            f"has {len(cells)} columns but the input has no header row; add a header with a "
            f"{USERNAME_COLUMN!r} column, or give one username per line",
        )
    username = cells[layout.username] if layout.username < len(cells) else ""
    if not username:
        return BatchRowError(line, "the username is empty")
    problems = validate_username(username)
    if problems:
        return BatchRowError(line, f"the username {problems[0].message}")
    pairs: list[tuple[str, str]] = []
    if layout.metadata_json is not None and layout.metadata_json < len(cells):
        text = cells[layout.metadata_json]
        if text:
            try:
                pairs.extend(parse_metadata_json(text))
            except MetadataParseError as exc:
                return BatchRowError(line, f"the metadata column {exc}")
    for index, key in layout.metadata_keys:
        value = cells[index] if index < len(cells) else ""
        # An empty cell means "no such key for this row", as in a sparse spreadsheet.
        if value:
            pairs.append((key, value))
    problems = validate_metadata(pairs)
    if problems:
        return BatchRowError(line, f"metadata: {problems[0].message}")
    return BatchRow(line, username, tuple(pairs))


def read_batch(source: Iterable[str] | Iterable[bytes]) -> Iterator[BatchItem]:
    """Stream rows from pasted text or a CSV file, in input order; never raises on bad input.

    `source` yields lines: a text stream (open it with ``newline=""``), the lines of a
    pasted text, or a binary file (decoded here, line by line, as UTF-8 with or without
    a BOM). The first non-empty line decides the layout: a header naming a
    ``username`` column (optional ``metadata`` JSON and ``metadata.KEY`` columns;
    other columns are ignored; ``,``, ``;`` or tab separated; Excel quoting), or else
    one username per line. Empty lines are skipped. A header without a username
    column yields one BatchRowError for line 1 and nothing else.
    """
    lines = _Lines(source)
    layout: _Layout | None = None
    reader: Iterator[list[str]] | None = None
    first_seen: dict[str, int] = {}
    end = 0
    iterator = iter(lines)
    for text in iterator:
        if text.strip():
            detected = _detect(text)
            if isinstance(detected, BatchRowError):
                yield BatchRowError(lines.number, detected.reason, fatal=True)
                return
            layout = detected
            if layout.has_header:
                layout = _Layout(
                    layout.username,
                    layout.metadata_json,
                    _original_keys(text, layout),
                    layout.delimiter,
                    True,
                )
                if lines.number in lines.bad:
                    yield BatchRowError(
                        lines.number, f"the header {lines.bad[lines.number]}", fatal=True
                    )
                    return
                end = lines.number
                reader = csv.reader(iterator, delimiter=layout.delimiter, strict=True)
            else:
                end = lines.number - 1

                def chain(first: str = text) -> Iterator[str]:
                    yield first
                    yield from iterator

                reader = csv.reader(chain(), delimiter=layout.delimiter, strict=True)
            break
    if layout is None or reader is None:
        return
    while True:
        start = end + 1
        try:
            raw_row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            end = lines.number
            for n in [n for n in lines.bad if n <= end]:
                del lines.bad[n]
            yield BatchRowError(start, f"is not valid CSV: {exc} (check the quotes)")
            continue
        end = lines.number
        cells = _cells(raw_row)
        if not any(cells):
            continue
        bad = [lines.bad.pop(n) for n in sorted(lines.bad) if n <= end]
        if bad:
            yield BatchRowError(start, bad[0])
            continue
        item = _row(cells, start, layout)
        if isinstance(item, BatchRow):
            key = item.username.casefold()
            earlier = first_seen.get(key)
            if earlier is None:
                first_seen[key] = start
            else:
                item = BatchRow(item.line, item.username, item.metadata, duplicate_of=earlier)
        yield item


def scan_batch(items: Iterable[BatchItem]) -> BatchScan:
    """Count an input's rows, keeping its first MAX_KEPT_ERRORS refused rows to show.

    Duplicates are valid rows; they are counted (and listed by `duplicate_notes`).
    """
    valid = duplicates = error_count = 0
    errors: list[BatchRowError] = []
    for item in items:
        if isinstance(item, BatchRowError):
            if item.fatal:
                return BatchScan(0, 0, 1, (item,), fatal=item)
            error_count += 1
            if len(errors) < MAX_KEPT_ERRORS:
                errors.append(item)
            continue
        valid += 1
        if item.duplicate_of is not None:
            duplicates += 1
    return BatchScan(valid, duplicates, error_count, tuple(errors))


def duplicate_note(row: BatchRow) -> BatchRowError | None:
    """A duplicate row as a flagged line for the bad-row list (None for a first occurrence)."""
    if row.duplicate_of is None:
        return None
    return BatchRowError(
        row.line,
        f"duplicate of line {row.duplicate_of} ({row.username!r}); a second resend burns one "
        "more of that user's attempts",
    )


def rows_to_send(
    items: Iterable[BatchItem], *, include_duplicates: bool = False
) -> Iterator[BatchRow]:
    """The rows a batch sends: valid ones, duplicates only when asked for."""
    for item in items:
        if isinstance(item, BatchRow) and (include_duplicates or item.duplicate_of is None):
            yield item
