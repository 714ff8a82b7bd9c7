"""History exports: CSV for spreadsheets, JSON for tools. Streamed, UTF-8, never a secret.

Both take any iterable of attempts (typically `HistoryStore.iter_filtered`) and write
one attempt at a time, so an export of 100,000 rows never holds them all in memory.
An Attempt holds neither the client secret nor the SecretHash, so neither can appear.
Open the output with ``encoding="utf-8"`` (and ``newline=""`` for CSV, as the csv
module asks); add ``utf-8-sig`` if Excel on Windows must detect the encoding.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import UTC
from typing import TextIO

from app.core.outcome import Attempt
from app.core.serialize import attempt_to_dict

CSV_HEADER = (
    "time",
    "profile",
    "username",
    "outcome",
    "code",
    "destination",
    "medium",
    "attribute",
    "latency_ms",
    "request_id",
    "http_status",
    "retries",
    "batch_id",
    "metadata_keys",
    "aws_message",
    "kind",  # last: the columns before it kept their places when it came
)

# A spreadsheet runs a cell that starts with these as a formula ("CSV injection"); the
# AWS message comes from whatever endpoint answered, so it is not trusted.
_FORMULA_START = ("=", "@", "\t", "\r")


def _cell(text: str) -> str:
    if text.startswith(_FORMULA_START) or (
        text[:1] in ("+", "-") and not _is_plain_number(text[1:])
    ):
        return "'" + text
    return text


def _is_plain_number(text: str) -> bool:
    # "+15551234567" (a phone-number username) stays as it is; "+cmd|..." does not.
    return text.replace(".", "", 1).isdigit()


def csv_row(a: Attempt) -> list[str]:
    """One attempt as the CSV's cells (in CSV_HEADER order)."""
    started = a.started_at if a.started_at.tzinfo else a.started_at.replace(tzinfo=UTC)
    f = a.failure
    d = a.delivery
    texts = [
        started.astimezone(UTC).isoformat(timespec="milliseconds"),
        a.profile,
        a.username,
        a.outcome_label,
        f.code if f else "",
        d.destination if d else "",
        d.medium.value if d and d.medium else "",
        d.attribute_name if d else "",
    ]
    numbers = [
        f"{a.latency_ms:.0f}" if a.latency_ms is not None else "",
    ]
    more = [
        a.request_id or "",
        str(a.http_status) if a.http_status is not None else "",
        str(a.retries),
        a.batch_id or "",
        ";".join(k for k, _v in a.client_metadata),
        f.aws_message if f else "",
        a.kind.value,
    ]
    return [*(_cell(t) for t in texts), *numbers, *(_cell(t) for t in more)]


def export_csv(attempts: Iterable[Attempt], out: TextIO) -> int:
    """Write a header and one row per attempt; returns the number of rows written."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    n = 0
    for a in attempts:
        writer.writerow(csv_row(a))
        n += 1
    return n


def export_json(attempts: Iterable[Attempt], out: TextIO) -> int:
    """Write a JSON list of `attempt_to_dict` objects; returns how many were written."""
    n = 0
    out.write("[")
    for a in attempts:
        out.write(",\n  " if n else "\n  ")
        out.write(json.dumps(attempt_to_dict(a), ensure_ascii=False, sort_keys=False))
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n
