"""1 and 6: a scripted session with real secrets in the real keyring leaves no secret, no
SecretHash and no sign-up password in any file the app wrote, in any output, or in the
log; the log is a rotating file under the platform log folder, botocore at WARNING,
metadata keys only.

The session (one test, so that everything is scanned together): profiles added through
the CLI with `--secret-stdin`, 100 resends through ResendService (the real SecretStore,
gateway, HistoryStore and log set-up) against the sandbox's `secret` client -- deliveries
and every failure kind -- a few through the CLI too, sign-ups (typed, refused and
generated passwords) and confirmations in process and by the CLI, history exported to
CSV and JSON by `python main.py history export`, every row copied as an AWS CLI command.
Then every file under the test's XDG folders (config, history DB with its WAL and SHM,
logs, exports) and every captured output is scanned. A negative control proves the scanner
finds a planted value in each of those places.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import socket
import sqlite3
import uuid
from collections import Counter
from pathlib import Path

import platformdirs
import pytest

from app import APP_ID
from app.core.attempts import begin_attempt
from app.core.cli_command import aws_cli_command
from app.core.outcome import Attempt
from app.core.profile import ClientCredentials, Profile
from app.core.request import ResendInput, validate
from app.core.secrets import Secret, compute_secret_hash
from app.core.signup import ConfirmInput, SignUpInput, validate_signup
from app.sandbox.faults import ERROR_FAULTS, WIRE_FAULTS
from app.sandbox.server import Sandbox
from app.services.cognito_gateway import CognitoGateway, GatewayConfig
from app.services.credentials import CredentialResolver
from app.services.history_store import HistoryFilter, HistoryStore
from app.services.logging_setup import configure_logging, file_handler, flush_logs
from app.services.paths import AppPaths
from app.services.profile_repository import ProfileRepository
from app.services.resend_service import ResendService
from app.services.secret_store import SecretStore, SecretStoreError
from app.services.signup_pipeline import SignUpPipeline
from tests.reliability.support import files_under, run_cli, scan, xdg_roots

pytestmark = pytest.mark.timeout(300)

RESENDS = 100
WRONG_SECRET = "wrong-secret-" + uuid.uuid4().hex  # a secret too: it must not leak either
META_VALUE = "meta-value-" + uuid.uuid4().hex


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _plan(info_users: list[str]) -> list[tuple[str, str]]:
    """(profile, username) for the 100 in-process resends: every outcome kind."""
    plan: list[tuple[str, str]] = []
    plan += [("Leaky", f"fault-{k}") for k in ERROR_FAULTS]  # 12 Cognito error kinds
    plan += [("Leaky", f"fault-{k}") for k in sorted(WIRE_FAULTS)]  # 500, 503, malformed, drop
    plan += [("Leaky", "fault-slow-3")]  # read timeout (read_timeout is 1 s)
    plan += [("Wrong", "alice")] * 3  # NotAuthorized: "Unable to verify secret hash"
    plan += [("Leaky", "bob")] * 7  # 5 deliveries, then LimitExceeded
    plan += [("Leaky", "  padded user  ")]  # refused before sending (whitespace inside)
    plan += [("Refused", "alice"), ("Nowhere", "alice"), ("Gone", "alice")]
    plan += [("Leaky", u) for u in info_users]  # real deliveries
    n = 0
    while len(plan) < RESENDS:  # unknown users: simulated deliveries (existence protection)
        plan.append(("Leaky", f"ghost-{n:03d}"))
        n += 1
    return plan[:RESENDS]


@pytest.mark.keyring
def test_a_whole_session_leaves_no_secret_anywhere(
    fresh_sandbox: Sandbox,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    info = fresh_sandbox.info
    client = info.client("secret")
    secret = client.client_secret
    assert secret
    paths = AppPaths.from_platform().ensure()
    outputs: dict[str, str] = {}

    # -- profiles with secrets, through the CLI (the secret only ever on stdin) -----------
    def add(name: str, client_id: str, endpoint: str, typed_secret: str) -> None:
        out = run_cli(
            "profiles", "add", name, "--region", info.region, "--client-id", client_id,
            "--endpoint-url", endpoint, "--secret-stdin", stdin=typed_secret + "\n",
        )
        assert out.returncode == 0, out.stderr
        outputs[f"profiles add {name} stdout"] = out.stdout
        outputs[f"profiles add {name} stderr"] = out.stderr

    add("Leaky", client.client_id, info.endpoint_url, secret)
    add("Wrong", client.client_id, info.endpoint_url, WRONG_SECRET)
    add("Refused", client.client_id, f"http://127.0.0.1:{_closed_port()}", secret)
    add("Nowhere", client.client_id, "http://cognito.nonexistent.invalid", secret)
    add("Gone", client.client_id, info.endpoint_url, secret)
    store = SecretStore()
    store.delete("Gone")  # as if removed in the keyring manager: CredentialsUnavailable
    repo = ProfileRepository(paths.profiles_file)

    try:
        # -- 100 resends in process, with the app's own log set-up --------------------------
        configure_logging(paths.log_file)
        caplog.set_level(logging.DEBUG)  # the raw records, before any redaction
        hashes: set[str] = set()
        real_hash = compute_secret_hash

        def recording_hash(username: str, client_id: str, s: Secret) -> Secret:
            h = real_hash(username, client_id, s)
            hashes.add(h.reveal())
            return h

        # The real function, recorded: every SecretHash the session computed is searched for.
        monkeypatch.setattr("app.services.pipeline.compute_secret_hash", recording_hash)
        gateway = CognitoGateway(
            GatewayConfig(connect_timeout=1.0, read_timeout=1.0, max_attempts=2,
                          backoff_base=0.05, backoff_cap=0.1)
        )
        history = HistoryStore(paths.history_db)
        service = ResendService(gateway, store, history)
        users = ["alice", "carol"] + [u.username for u in info.users][:20]
        finals: list[Attempt] = []
        for name, username in _plan(users):
            profile = repo.get(name)
            assert profile is not None
            raw = ResendInput(
                client_id="", username=username,
                client_metadata=(("flow", META_VALUE), ("source", "reliability")),
            )
            finals.append(service.run(begin_attempt(profile, raw), profile, raw))
        codes = Counter(a.failure.code if a.failure else "Delivered" for a in finals)
        assert len(finals) == RESENDS

        # -- the same through the CLI, with --verbose (the log echoed on stderr) -------------
        for username in ("alice", "fault-internal", "fault-drop"):
            out = run_cli("-v", "resend", "--profile", "Leaky", "--username", username,
                          "--metadata", f"flow={META_VALUE}", "--json", "--timeout", "2")
            assert "Traceback" not in out.stderr
            outputs[f"resend {username} stdout"] = out.stdout
            outputs[f"resend {username} stderr"] = out.stderr
        for u in ("alice", "fault-internal", "fault-drop"):
            hashes.add(compute_secret_hash(u, client.client_id, Secret(secret)).reveal())

        # -- sign-ups with passwords: in process, and through the CLI -----------------------
        monkeypatch.setattr("app.services.signup_pipeline.compute_secret_hash", recording_hash)
        passwords = _signup_session(store, gateway, history, repo, outputs)
        for u in ("cli-signup-typed", "cli-signup-generated", "cli-confirm"):
            hashes.add(compute_secret_hash(u, client.client_id, Secret(secret)).reveal())

        # -- exports and "copy as AWS CLI" -----------------------------------------------------
        exports = tmp_path / "exports"
        exports.mkdir()
        for fmt in ("csv", "json"):
            out = run_cli("history", "export", "--format", fmt,
                          "--output", str(exports / f"history.{fmt}"))
            assert out.returncode == 0, out.stderr
            outputs[f"export {fmt} stderr"] = out.stderr
        assert (exports / "history.csv").read_text().count("\n") > RESENDS
        clipboard = "\n".join(aws_cli_command(a) for a in history.iter_filtered(_all()))
        outputs["copied AWS CLI commands"] = clipboard
        assert clipboard.count("aws cognito-idp resend-confirmation-code") >= RESENDS
        assert "<SECRET_HASH>" in clipboard and "--password '<PASSWORD>'" in clipboard

        # -- the scan, first while the history is open (its WAL and SHM exist) ---------------
        wal = paths.history_db.with_name(paths.history_db.name + "-wal")
        assert wal.exists(), "expected the WAL next to the open history"
        outputs["log records (raw, before redaction)"] = caplog.text
        needles = [secret, WRONG_SECRET, *hashes, *passwords]
        roots = [*xdg_roots(), exports]
        flush_logs()  # the log file is searched too; a background thread writes it
        hits_open = scan(roots, needles, outputs)
        history.close()
        hits_closed = scan(roots, needles)
        assert hits_open == [] and hits_closed == [], hits_open + hits_closed

        # -- 6: the log itself ------------------------------------------------------------------
        flush_logs()  # a background thread writes the file
        log_text = paths.log_file.read_text(encoding="utf-8")
        assert "profile='Leaky'" in log_text  # the session really was logged
        assert META_VALUE not in log_text and META_VALUE not in caplog.text
        for name in ("botocore", "boto3", "urllib3"):
            assert logging.getLogger(name).getEffectiveLevel() == logging.WARNING
        handler = file_handler()
        assert handler is not None
        assert Path(handler.baseFilename) == paths.log_file
        assert handler.maxBytes > 0 and handler.backupCount > 0
        assert paths.log_file.is_relative_to(platformdirs.user_log_path(APP_ID, appauthor=False))

        print(
            f"\n{len(finals)} resends in process + 3 by CLI; outcomes {dict(codes)}; "
            f"{len(hashes)} SecretHashes + 2 secrets + {len(passwords)} sign-up passwords "
            "searched in "
            f"{len(files_under(roots))} files and "
            f"{len(outputs)} outputs: 0 hits"
        )
        # Every failure kind the plan meant to provoke did happen.
        for expected in ("Delivered", "NotAuthorizedException", "LimitExceededException",
                         "TooManyRequestsException", "HttpError", "MalformedResponse",
                         "ConnectionDropped", "ReadTimeout", "EndpointUnreachable",
                         "DnsFailure", "CredentialsUnavailable", "ParamValidation"):
            assert codes[expected] > 0, (expected, codes)
    finally:
        for name in ("Leaky", "Wrong", "Refused", "Nowhere", "Gone"):
            run_cli("profiles", "remove", name)


def _signup_session(
    store: SecretStore,
    gateway: CognitoGateway,
    history: HistoryStore,
    repo: ProfileRepository,
    outputs: dict[str, str],
) -> list[str]:
    """Sign-ups (and confirmations) with passwords through SignUpPipeline and the CLI:
    accepted, refused by the pool's policy, refused before sending, generated. Returns
    every password used, to be searched for."""
    typed = "Typed-Pw1!" + uuid.uuid4().hex
    weak = "weakpw" + uuid.uuid4().hex  # no upper case, no symbol: the policy refuses it
    spaced = "Spaced Pw1! " + uuid.uuid4().hex  # refused before sending (white space)
    piped = "Piped-Pw1!" + uuid.uuid4().hex
    leaky = repo.get("Leaky")
    assert leaky is not None
    pipeline = SignUpPipeline(gateway, history, CredentialResolver(store))
    outcomes: list[Attempt] = []
    for n, password in enumerate((typed, weak, spaced)):
        username = f"signup-{n}-{uuid.uuid4().hex[:6]}"
        raw = SignUpInput(
            ResendInput("", username, client_metadata=(("flow", META_VALUE),)),
            password=Secret(password),
            user_attributes=[("email", f"{username}@example.com")],
        )
        outcomes.append(pipeline.sign_up(leaky, raw))
        confirm = ConfirmInput(ResendInput("", username), confirmation_code="000000")
        outcomes.append(pipeline.confirm(leaky, confirm))
    assert any(a.failure and a.failure.code == "ParamValidation" for a in outcomes)

    out = run_cli("-v", "signup", "--profile", "Leaky", "--username", "cli-signup-typed",
                  "--email", "typed@example.com", "--password-stdin", "--json",
                  stdin=piped + "\n")
    assert "Traceback" not in out.stderr, out.stderr
    outputs["signup typed stdout"], outputs["signup typed stderr"] = out.stdout, out.stderr
    out = run_cli("-v", "confirm", "--profile", "Leaky", "--username", "cli-confirm",
                  "--code", "123456", "--json")
    outputs["confirm stdout"], outputs["confirm stderr"] = out.stdout, out.stderr
    # Asked for: the generated password is printed (that output is not scanned for it,
    # everything else is).
    out = run_cli("-v", "signup", "--profile", "Leaky", "--username", "cli-signup-generated",
                  "--email", "generated@example.com", "--generate-password",
                  "--show-password", "--json")
    assert out.returncode == 0, out.stderr
    generated = str(json.loads(out.stdout)["password"])
    outputs["signup generated stderr"] = out.stderr
    return [typed, weak, spaced, piped, generated]


def _all() -> HistoryFilter:
    return HistoryFilter()


# -- negative controls: the scanner does find what is planted --------------------------------


def test_the_scan_finds_a_secret_planted_in_each_kind_of_place(tmp_path: Path) -> None:
    planted = "planted-" + uuid.uuid4().hex
    paths = AppPaths.from_platform().ensure()
    needles = [planted]
    assert scan(xdg_roots(), needles) == []

    # In an uncommitted-to-the-main-file WAL frame of an open SQLite database.
    conn = sqlite3.connect(paths.history_db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("CREATE TABLE t (v TEXT)")
    conn.execute("INSERT INTO t VALUES (?)", (planted,))
    conn.commit()
    wal_hits = scan(xdg_roots(), needles)
    assert any(h.split(":")[0].endswith("-wal") for h in wal_hits), wal_hits
    conn.close()

    # In the log, through the app's own logger set-up (JSON-escaped inside a message).
    configure_logging(paths.log_file)
    logging.getLogger("tests.reliability").warning("oops %s", {"k": planted})
    for h in logging.getLogger().handlers:
        h.flush()
    assert any("cognito-resend.log" in h for h in scan(xdg_roots(), needles))

    # In a JSON-escaped value of an export, in UTF-16 text, and in a captured output.
    (tmp_path / "e.json").write_text('{"v": "' + planted.replace("-", "\\u002d") + '"}')
    (tmp_path / "w.txt").write_bytes(planted.encode("utf-16-le"))
    hits = scan([tmp_path], needles, {"stdout": f"...{planted}..."})
    assert any(h.endswith("w.txt: " + planted[:8] + "...") for h in hits), hits
    assert any(h.startswith("stdout:") for h in hits), hits


def test_a_secret_hash_in_a_log_message_is_masked_in_the_file() -> None:
    """The belt under the braces: if a library ever formats the SecretHash into a record,
    the file keeps the mask, not the value."""
    paths = AppPaths.from_platform().ensure()
    value = compute_secret_hash("alice", "client", Secret("s3cr3t-" + uuid.uuid4().hex)).reveal()
    configure_logging(paths.log_file)
    logging.getLogger("botocore.endpoint").warning("params {'SecretHash': '%s'}", value)
    logging.getLogger("app.x").error("SECRET_HASH=%s client_secret: %s", value, "abc123")
    for h in logging.getLogger().handlers:
        h.flush()
    text = paths.log_file.read_text(encoding="utf-8")
    assert value not in text and "abc123" not in text
    assert text.count("••••••") >= 3


# -- every object that carries a secret masks it --------------------------------------------


def test_every_secret_carrier_masks_its_secret_in_repr_str_and_format() -> None:
    secret = "carrier-" + uuid.uuid4().hex
    s = Secret(secret)
    creds = ClientCredentials("client-id", s)
    request = validate(ResendInput(client_id="cid", username="alice")).request
    assert request is not None
    hashed = request.with_secret_hash(compute_secret_hash("alice", "cid", s))
    hash_value = hashed.secret_hash.reveal() if hashed.secret_hash else ""
    from app.services.secret_store import KeyringProblem

    err = SecretStoreError(KeyringProblem.FAILED, "could not save", profile="p")
    signup = validate_signup(
        SignUpInput(ResendInput("cid", "alice"), password=s, user_attributes=[("k", "v")])
    ).request
    assert signup is not None
    signup = signup.with_secret_hash(compute_secret_hash("alice", "cid", s))
    from app.services.signup_calls import signup_call

    carriers: list[object] = [s, creds, request, hashed, err, signup, signup_call(signup),
                              SignUpInput(ResendInput("cid", "alice"), password=s)]
    try:
        from app.ui.controllers.types import ProfileEdit, SendRequest

        profile = Profile(name="p", region="eu-west-1", has_secret=True)
        carriers += [
            SendRequest("p", ResendInput(client_id="", username="u"), creds),
            ProfileEdit(profile, "client-id", s),
        ]
    except ImportError:  # pragma: no cover -- the UI layer is part of the app
        pass
    for obj in carriers:
        for text in (repr(obj), str(obj), f"{obj}", f"{obj!r}", format(obj, "")):
            assert secret not in text, type(obj).__name__
            assert not hash_value or hash_value not in text, type(obj).__name__
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(creds)
