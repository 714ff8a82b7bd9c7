"""`history`: list recent attempts or export them as CSV/JSON (the window's history store)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.args import SubParsers, add_json_flag, whole_number
from app.cli.common import EXIT_FAILURE, EXIT_OK, app_paths, cli_stack, fail, print_json, say
from app.core.outcome import AttemptKind
from app.core.words import counted

if TYPE_CHECKING:
    from app.services.history_store import HistoryStore


def add_parser(sub: SubParsers) -> None:
    p = sub.add_parser("history", help="list or export past resends (never holds secrets)")
    hsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    lst = hsub.add_parser(
        "list", help="the most recent attempts (resends, sign-ups, confirmations), newest first"
    )
    lst.add_argument("--limit", type=whole_number(1, 100_000), default=20, metavar="N",
                     help="how many (default: %(default)s)")
    _add_kind_flag(lst)
    add_json_flag(lst)
    exp = hsub.add_parser("export", help="export resends as CSV or JSON")
    exp.add_argument("--format", required=True, choices=("csv", "json"), help="file format")
    exp.add_argument("--output", metavar="FILE", help="write to FILE (default: standard output)")
    exp.add_argument("--profile", metavar="NAME", help="only this profile's resends")
    exp.add_argument("--username", metavar="U", help="only this username's resends")
    _add_kind_flag(exp)


def _add_kind_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kind", choices=[k.value for k in AttemptKind], metavar="KIND",
                   help="only attempts of this kind: " + ", ".join(k.value for k in AttemptKind)
                   + " (default: all)")  # fmt: skip


def _kind(args: argparse.Namespace) -> AttemptKind | None:
    return AttemptKind(args.kind) if args.kind else None


def _store() -> HistoryStore:
    # Closed by the caller once read: a command reads the history once.
    store = cli_stack(app_paths()).history()
    if getattr(store, "recovered_from", None):
        say(f"history: the history file was damaged; it was moved to {store.recovered_from}")
    return store


def _list(args: argparse.Namespace) -> int:
    from app.core.serialize import attempt_to_dict
    from app.services.history_store import HistoryFilter

    store = _store()
    try:
        attempts = store.page(HistoryFilter(kind=_kind(args)), 0, args.limit)
    finally:
        store.close()
    if args.json:
        print_json([attempt_to_dict(a) for a in attempts])
        return EXIT_OK
    if not attempts:
        say("history: no resends yet")
        return EXIT_OK
    for a in attempts:
        when = a.started_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        latency = f"{a.latency_ms:,.0f} ms" if a.latency_ms is not None else "-"
        print(f"{when}  {a.kind.value:<9.9}  {a.profile:<16.16}  {a.username:<24.24}  "
              f"{a.outcome_label:<30.30}  {latency:>9}")
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from app.services.history_export import export_csv, export_json
    from app.services.history_store import HistoryFilter

    flt = HistoryFilter(
        profile=args.profile or None, username=args.username or None, kind=_kind(args)
    )
    writer = export_csv if args.format == "csv" else export_json
    store = _store()
    try:
        if not args.output:
            count = writer(store.iter_filtered(flt), sys.stdout)
        else:
            target = Path(args.output)
            # Written beside the target and renamed: a failed export never leaves half a file.
            try:
                fd, tmp = tempfile.mkstemp(prefix=".export-", dir=target.parent or ".")
            except OSError as exc:
                fail(f"--output: cannot write in {target.parent}: {exc.strerror}", EXIT_FAILURE)
            try:
                with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                    count = writer(store.iter_filtered(flt), out)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            say(f"history: exported {counted(count, 'attempt')} to {target}")
    finally:
        store.close()
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    from app.services.history_store import HistoryStoreError

    try:
        return {"list": _list, "export": _export}[args.action](args)
    except HistoryStoreError as exc:
        fail(f"cannot read the history: {exc}", EXIT_FAILURE)
