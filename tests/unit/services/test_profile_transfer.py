"""profile_transfer: the export carries client IDs and never a secret; import asks once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.profile import ClientCredentials, MetadataPreset, Profile
from app.core.secrets import Secret
from app.services.profile_repository import ProfileRepository
from app.services.profile_transfer import (
    TransferError,
    TransferRecord,
    export_records,
    import_records,
    read_export,
    write_export,
)
from app.services.secret_store import SecretStore
from tests.unit.services.test_secret_store import MemoryKeyring

SECRET = "s3cr3t-value-that-must-never-be-exported-0123456789"


def _stores(tmp_path: Path, name: str) -> tuple[ProfileRepository, SecretStore]:
    repo = ProfileRepository(tmp_path / name / "profiles.json")
    return repo, SecretStore("test", MemoryKeyring())


def test_export_holds_client_ids_and_no_secret(tmp_path: Path) -> None:
    repo, secrets = _stores(tmp_path, "admin")
    preset = MetadataPreset("qa", (("source", "support"),))
    repo.save(Profile("prod", "eu-west-1", user_pool_id="eu-west-1_AbC123", has_secret=True,
                      presets=(preset,), aws_profile="ops"))
    secrets.save("prod", ClientCredentials("client123", Secret(SECRET)))
    repo.save(Profile("public", "us-east-1"))
    secrets.save("public", ClientCredentials("pub456"))
    out = tmp_path / "team.json"
    write_export(out, export_records(repo, secrets))
    raw = out.read_bytes()
    assert SECRET.encode() not in raw and b"client_secret" not in raw
    data = json.loads(raw)
    assert [p["client_id"] for p in data["profiles"]] == ["client123", "pub456"]
    assert [p["needs_secret"] for p in data["profiles"]] == [True, False]
    assert data["profiles"][0]["aws_profile"] == "ops"
    assert oct(out.stat().st_mode & 0o777) == "0o644"

    # A teammate: one question, for the one profile that needs a secret.
    team_repo, team_secrets = _stores(tmp_path, "team")
    asked: list[str] = []

    def ask(record: TransferRecord) -> Secret | None:
        asked.append(record.name)
        return Secret(SECRET)

    outcomes = import_records(read_export(out), team_repo, team_secrets, ask)
    assert [o.stored for o in outcomes] == [True, True] and asked == ["prod"]
    assert team_secrets.load("prod") == ClientCredentials("client123", Secret(SECRET))
    assert team_secrets.load("prod").client_secret == Secret(SECRET)
    stored = team_repo.get("prod")
    assert stored is not None and stored.has_secret and stored.presets == (preset,)
    # Again: existing names are kept unless replacing is asked for.
    again = import_records(read_export(out), team_repo, team_secrets, ask)
    assert not any(o.stored for o in again) and "exists" in again[0].reason


def test_a_skipped_secret_skips_the_profile(tmp_path: Path) -> None:
    out = tmp_path / "team.json"
    write_export(out, [TransferRecord(Profile("prod", "eu-west-1", has_secret=True),
                                      "client123", True)])
    repo, secrets = _stores(tmp_path, "team")
    [outcome] = import_records(read_export(out), repo, secrets, lambda _r: None)
    assert not outcome.stored and "secret" in outcome.reason
    assert repo.list() == []


def test_export_of_an_unknown_name_says_name(tmp_path: Path) -> None:
    repo, secrets = _stores(tmp_path, "admin")
    with pytest.raises(TransferError, match="NAME: there is no saved profile named 'ghost'"):
        export_records(repo, secrets, ["ghost"])


@pytest.mark.parametrize(
    ("profiles", "says"),
    [
        ([{"name": "x", "region": "us-east-1", "user_pool_id": "eu-west-1_Abc"}], "Region is"),
        ([{"name": "x", "region": "us-east-1", "client_id": "has space"}], "'client_id'"),
        ([{"name": "Sandbox", "region": "us-east-1"}], "reserved"),
        ([{"name": "x", "region": "us-east-1", "needs_secret": "yes"}], "'needs_secret'"),
    ],
)
def test_bad_records_are_refused_naming_what(
    tmp_path: Path, profiles: list[object], says: str
) -> None:
    path = tmp_path / "team.json"
    path.write_text(json.dumps({"format": "cognito-resend-profiles", "version": 1,
                                "profiles": profiles}), encoding="utf-8")
    with pytest.raises(TransferError, match=says):
        read_export(path)
