"""History exports (CSV, JSON), and the proof that no secret reaches history or exports."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from app.core.outcome import Attempt, Status
from app.core.serialize import attempt_from_dict, attempt_to_dict
from app.services.history_export import CSV_HEADER, csv_row, export_csv, export_json
from app.services.history_store import HistoryFilter, HistoryStore
from tests.unit.services.test_history_store import make_attempt


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_header_is_the_documented_one() -> None:
    out = io.StringIO(newline="")
    assert export_csv([], out) == 0
    assert out.getvalue() == (
        "time,profile,username,outcome,code,destination,medium,attribute,latency_ms,"
        "request_id,http_status,retries,batch_id,metadata_keys,aws_message,kind\r\n"
    )
    assert len(CSV_HEADER) == 16


def test_csv_rows() -> None:
    delivered = make_attempt(1, username="alice", batch_id="b7")
    failed = replace(make_attempt(2, username="bob", kind="limit"), retries=2)
    pending = make_attempt(3, username="carol", kind="pending")
    out = io.StringIO(newline="")
    assert export_csv([delivered, failed, pending], out) == 3
    rows = read_csv(out.getvalue())
    assert rows[0] == {
        "time": "2025-03-01T12:00:01.000+00:00",
        "profile": "Dev",
        "username": "alice",
        "outcome": "Delivered",
        "code": "",
        "destination": "u***@e***",
        "medium": "EMAIL",
        "attribute": "email",
        "latency_ms": "120",
        "request_id": "req-1",
        "http_status": "200",
        "retries": "0",
        "batch_id": "b7",
        "metadata_keys": "template;n",
        "aws_message": "",
        "kind": "resend",
    }
    assert rows[1]["outcome"] == "Attempt limit exceeded"
    assert rows[1]["code"] == "LimitExceededException"
    assert rows[1]["aws_message"] == "Attempt limit exceeded, please try after some time."
    assert rows[1]["http_status"] == "400" and rows[1]["retries"] == "2"
    assert rows[1]["destination"] == "" and rows[1]["medium"] == ""
    assert rows[2]["outcome"] == "Pending…" and rows[2]["latency_ms"] == ""


def test_csv_quotes_commas_quotes_newlines_and_unicode() -> None:
    a = make_attempt(1, username='Zoë, "the" tester', profile="Prod\nEU")
    out = io.StringIO(newline="")
    export_csv([a], out)
    (row,) = read_csv(out.getvalue())
    assert row["username"] == 'Zoë, "the" tester'
    assert row["profile"] == "Prod\nEU"


@pytest.mark.parametrize(
    ("username", "shown"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("+15551234567", "+15551234567"),  # a phone-number username stays as typed
        ("alice", "alice"),
    ],
)
def test_csv_cells_cannot_become_formulas(username: str, shown: str) -> None:
    assert csv_row(make_attempt(1, username=username))[2] == shown


def test_json_export_round_trips() -> None:
    attempts = [make_attempt(1), make_attempt(2, kind="notfound"), make_attempt(3, kind="x")]
    out = io.StringIO()
    assert export_json(attempts, out) == 3
    data = json.loads(out.getvalue())
    assert data == [attempt_to_dict(a) for a in attempts]
    assert [attempt_from_dict(d) for d in data] == attempts


def test_json_export_of_nothing_is_an_empty_list() -> None:
    out = io.StringIO()
    assert export_json(iter(()), out) == 0
    assert json.loads(out.getvalue()) == []


def test_exports_stream_one_attempt_at_a_time() -> None:
    """The writer has written row k before the generator is asked for row k+1."""
    for export in (export_csv, export_json):
        out = io.StringIO(newline="")
        seen_lengths: list[int] = []

        def gen(out: io.StringIO = out, seen: list[int] = seen_lengths) -> Iterator[Attempt]:
            for i in range(5):
                seen.append(len(out.getvalue()))
                yield make_attempt(i)

        assert export(gen(), out) == 5
        assert seen_lengths == sorted(seen_lengths)
        assert len(set(seen_lengths)) == 5, export.__name__


def test_export_from_store_uses_its_filter(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.sqlite3") as store:
        store.append_many(
            make_attempt(i, kind="limit" if i % 3 else "delivered") for i in range(30)
        )
        out = io.StringIO(newline="")
        n = export_csv(store.iter_filtered(HistoryFilter(status=Status.DELIVERED)), out)
    rows = read_csv(out.getvalue())
    assert n == len(rows) == 10
    assert {r["outcome"] for r in rows} == {"Delivered"}
    assert rows[0]["time"] > rows[-1]["time"]  # newest first


def test_exports_to_utf8_files(tmp_path: Path) -> None:
    a = make_attempt(1, username="Ålice 🙂")
    with (tmp_path / "h.csv").open("w", encoding="utf-8", newline="") as f:
        export_csv([a], f)
    with (tmp_path / "h.json").open("w", encoding="utf-8") as f:
        export_json([a], f)
    assert "Ålice 🙂".encode() in (tmp_path / "h.csv").read_bytes()
    assert "Ålice 🙂".encode() in (tmp_path / "h.json").read_bytes()


# --------------------------------------------------------------------------- secrets
def _forbidden_forms(value: str) -> list[bytes]:
    """The value as bytes in the encodings a file could hold it in."""
    forms = {value.encode(), json.dumps(value).strip('"').encode(), value.encode("utf-16-le")}
    return [f for f in forms if f]


def test_no_secret_or_secret_hash_in_history_wal_or_exports(
    sandbox: object, tmp_path: Path
) -> None:
    """Resend through the real flow (sandbox over HTTP, client with a secret, so
    the pipeline computes a SecretHash with compute_secret_hash), keep it in a real
    HistoryStore, export it, then grep every byte written for the secret and the hash."""
    from app.core.attempts import begin_attempt
    from app.core.profile import ClientCredentials, Profile
    from app.core.request import ResendInput
    from app.core.secrets import Secret, compute_secret_hash
    from app.services.cognito_gateway import CognitoGateway, GatewayConfig
    from app.services.credentials import CredentialResolver
    from app.services.pipeline import ResendPipeline

    info = sandbox.info  # type: ignore[attr-defined]
    client = info.client("secret")
    assert client.client_secret
    profile = Profile(
        name="Secret client",
        region=info.region,
        endpoint_url=info.endpoint_url,
        has_secret=True,
    )
    good = ClientCredentials(client.client_id, Secret(client.client_secret))
    wrong_secret = "not-the-secret-" + "x" * 20
    wrong = ClientCredentials(client.client_id, Secret(wrong_secret))

    db = tmp_path / "history.sqlite3"
    store = HistoryStore(db)
    # Credentials are passed in: no keyring at all.
    service = ResendPipeline(
        CognitoGateway(GatewayConfig(connect_timeout=2, read_timeout=5, max_attempts=1)),
        store,
        CredentialResolver(None),
    )
    results = []
    for username, creds in (("alice", good), ("alice", wrong), ("nobody-here", good)):
        raw = ResendInput(
            client_id=client.client_id,
            username=username,
            client_metadata=(("template", "welcome"),),
        )
        attempt = begin_attempt(profile, raw, client_id=client.client_id)
        results.append(service.run(attempt, profile, raw, creds))
    assert results[0].status is Status.DELIVERED, results[0]
    assert results[1].status is Status.FAILED  # wrong hash: Cognito refuses it
    assert all(r.used_secret_hash for r in results)

    secrets = [client.client_secret, wrong_secret]
    hashes = [
        compute_secret_hash(u, client.client_id, Secret(s)).reveal()
        for u in ("alice", "nobody-here")
        for s in secrets
    ]
    forbidden = [f for v in (*secrets, *hashes) for f in _forbidden_forms(v)]

    csv_path, json_path = tmp_path / "out.csv", tmp_path / "out.json"
    with csv_path.open("w", encoding="utf-8", newline="") as f:
        assert export_csv(store.iter_filtered(HistoryFilter()), f) == 3
    with json_path.open("w", encoding="utf-8") as f:
        assert export_json(store.iter_filtered(HistoryFilter()), f) == 3

    # While the store is open the rows sit in the WAL; scan it, then the folded file.
    wal = db.with_name(db.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    written = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    store.close()
    written["history.sqlite3 (closed)"] = db.read_bytes()
    assert b"alice" in written["out.csv"] and b"alice" in written["history.sqlite3 (closed)"]
    for name, data in written.items():
        for form in forbidden:
            assert form not in data, f"a secret or SecretHash was written to {name}"
    # And nothing secret in what the objects show either.
    for r in results:
        text = repr(r) + json.dumps(attempt_to_dict(r))
        assert not any(v in text for v in (*secrets, *hashes))
