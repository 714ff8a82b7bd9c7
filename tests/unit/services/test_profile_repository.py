"""ProfileRepository: the JSON file, validation, uniqueness, atomic writes, corrupt files."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from app.core.profile import MetadataPreset, Profile
from app.services.profile_repository import (
    ProfileFileError,
    ProfileRepository,
    ProfileValidationError,
)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "profiles.json"


@pytest.fixture
def repo(path: Path) -> ProfileRepository:
    return ProfileRepository(path)


DEV = Profile(
    name="Dev",
    region="eu-west-1",
    endpoint_url="http://127.0.0.1:4566",
    user_pool_id="eu-west-1_AbC123xyz",
    has_secret=True,
    presets=(MetadataPreset("welcome", (("template", "welcome"), ("lang", "fr"))),),
)
PROD = Profile(name="Prod", region="us-east-1")


def test_empty_when_no_file(repo: ProfileRepository, path: Path) -> None:
    assert repo.list() == []
    assert repo.get("Dev") is None
    assert not path.exists()


def test_save_writes_the_documented_format(repo: ProfileRepository, path: Path) -> None:
    repo.save(DEV)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == {
        "version": 1,
        "profiles": [
            {
                "name": "Dev",
                "region": "eu-west-1",
                "endpoint_url": "http://127.0.0.1:4566",
                "user_pool_id": "eu-west-1_AbC123xyz",
                "has_secret": True,
                "presets": [
                    {"name": "welcome", "pairs": [["template", "welcome"], ["lang", "fr"]]}
                ],
            }
        ],
    }
    assert '"client_id"' not in path.read_text() and '"client_secret"' not in path.read_text()


def test_round_trip_and_persistence(repo: ProfileRepository, path: Path) -> None:
    repo.save(DEV)
    repo.save(PROD)
    again = ProfileRepository(path)
    assert again.list() == [DEV, PROD]
    assert again.get("dev") == DEV  # case-insensitive lookup


def test_replace_by_name_keeps_position(repo: ProfileRepository) -> None:
    repo.save(DEV)
    repo.save(PROD)
    changed = Profile(name="Dev", region="eu-central-1")
    repo.save(changed)
    assert repo.list() == [changed, PROD]


def test_name_clash_is_case_insensitive(repo: ProfileRepository) -> None:
    repo.save(DEV)
    repo.save(PROD)
    with pytest.raises(ProfileValidationError) as info:
        repo.save(Profile(name="prod", region="us-east-1"), replacing="Dev")
    assert "another profile already has this name" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_saving_same_name_other_case_replaces(repo: ProfileRepository) -> None:
    repo.save(PROD)
    repo.save(Profile(name="PROD", region="us-west-2"))
    assert [p.name for p in repo.list()] == ["PROD"]


def test_rename_with_replacing(repo: ProfileRepository) -> None:
    repo.save(DEV)
    repo.save(PROD)
    renamed = Profile(name="Development", region="eu-west-1")
    repo.save(renamed, replacing="Dev")
    assert repo.list() == [renamed, PROD]


def test_rename_of_unknown_profile(repo: ProfileRepository) -> None:
    with pytest.raises(ProfileValidationError, match="no saved profile is named 'Ghost'"):
        repo.save(PROD, replacing="Ghost")


def test_invalid_profile_lists_every_problem(repo: ProfileRepository, path: Path) -> None:
    bad = Profile(name="", region="Europe", endpoint_url="ftp://x", user_pool_id="nope")
    with pytest.raises(ProfileValidationError) as info:
        repo.save(bad)
    fields = {p.field for p in info.value.problems}
    assert fields == {"name", "region", "endpoint_url", "user_pool_id"}
    text = str(info.value)
    assert "Region: must look like an AWS region" in text
    # The labels a person reads, never the code names (issue 14).
    assert "Endpoint URL:" in text and "User pool ID:" in text
    assert "endpoint_url" not in text and "user_pool_id" not in text
    assert not path.exists()


def test_sandbox_name_is_reserved(repo: ProfileRepository) -> None:
    with pytest.raises(ProfileValidationError, match="built-in"):
        repo.save(Profile(name="sandbox", region="us-east-1"))
    with pytest.raises(ProfileValidationError, match="built-in"):
        repo.save(Profile(name="Mine", region="us-east-1", builtin=True))


def test_duplicate_preset_names(repo: ProfileRepository) -> None:
    p = Profile(
        name="P",
        region="us-east-1",
        presets=(MetadataPreset("a", ()), MetadataPreset("A", ())),
    )
    with pytest.raises(ProfileValidationError, match="presets"):
        repo.save(p)


def test_remove(repo: ProfileRepository) -> None:
    repo.save(DEV)
    repo.save(PROD)
    assert repo.remove("dev") is True
    assert repo.remove("dev") is False
    assert repo.list() == [PROD]


def test_write_is_atomic_and_leaves_no_temp_files(
    repo: ProfileRepository, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.save(DEV)
    before = path.read_bytes()

    def boom(*_a: object, **_k: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        repo.save(PROD)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["profiles.json"]


def test_file_is_private(repo: ProfileRepository, path: Path) -> None:
    repo.save(DEV)
    if os.name == "posix":
        assert path.stat().st_mode & 0o077 == 0


def test_concurrent_saves_from_threads_lose_nothing(repo: ProfileRepository) -> None:
    def add(i: int) -> None:
        repo.save(Profile(name=f"p{i}", region="us-east-1"))

    threads = [threading.Thread(target=add, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(p.name for p in repo.list()) == sorted(f"p{i}" for i in range(20))


CORRUPT = [
    (b"{not json", "not valid JSON"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b"[]", "JSON object"),
    (b'{"version": 2, "profiles": []}', "version is 2"),
    (b'{"version": "1", "profiles": []}', "version is '1'"),
    (b'{"version": 1, "profiles": {}}', "'profiles' should be a list"),
    (b'{"version": 1, "profiles": [{"name": 3, "region": "us-east-1"}]}', "'name' should be text"),
    (b'{"version": 1, "profiles": [{"name": "a"}]}', "has no 'region'"),
    (b'{"version": 1, "profiles": [{"name": "a", "region": "x"}]}', "Region: must look like"),
    (
        b'{"version": 1, "profiles": [{"name": "a", "region": "us-east-1", "has_secret": 1}]}',
        "'has_secret' should be true or false",
    ),
    (
        b'{"version": 1, "profiles": [{"name": "a", "region": "us-east-1",'
        b' "presets": [{"name": "x", "pairs": [["k"]]}]}]}',
        "'pairs' should be a list",
    ),
    (
        b'{"version": 1, "profiles": [{"name": "a", "region": "us-east-1"},'
        b' {"name": "A", "region": "us-east-1"}]}',
        "used twice",
    ),
]


@pytest.mark.parametrize(("content", "why"), CORRUPT, ids=[w for _c, w in CORRUPT])
def test_corrupt_file_is_moved_aside_and_repo_continues_empty(
    repo: ProfileRepository, path: Path, content: bytes, why: str
) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    with pytest.raises(ProfileFileError) as info:
        repo.list()
    err = info.value
    assert why in str(err)
    assert err.path == path
    assert err.moved_to is not None
    assert err.moved_to.name.startswith("profiles.json.corrupt-")
    assert err.moved_to.read_bytes() == content  # kept as it was
    assert err.moved_to.name in str(err)
    assert repo.last_error is err
    assert not path.exists()
    # The repository carries on: empty, and writable again.
    assert repo.list() == []
    repo.save(PROD)
    assert ProfileRepository(path).list() == [PROD]


def test_earlier_corrupt_copies_are_never_overwritten(repo: ProfileRepository, path: Path) -> None:
    path.parent.mkdir(parents=True)
    moved = []
    for i in range(3):
        path.write_text(f"broken {i}")
        with pytest.raises(ProfileFileError) as info:
            repo.get("x")
        assert info.value.moved_to is not None
        moved.append(info.value.moved_to)
    assert len(set(moved)) == 3
    assert sorted(m.read_text() for m in moved) == ["broken 0", "broken 1", "broken 2"]


def test_save_on_a_corrupt_file_reports_it_and_keeps_the_original(
    repo: ProfileRepository, path: Path
) -> None:
    path.parent.mkdir(parents=True)
    path.write_text("{oops")
    with pytest.raises(ProfileFileError) as info:
        repo.save(PROD)
    assert info.value.moved_to is not None and info.value.moved_to.read_text() == "{oops"
    repo.save(PROD)
    assert repo.list() == [PROD]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(repo: ProfileRepository, path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text('{"version": 1, "profiles": []}')
    path.chmod(0)
    with pytest.raises(ProfileFileError, match="could not be read"):
        repo.list()


def test_unreadable_path_even_for_root(repo: ProfileRepository, path: Path) -> None:
    path.mkdir(parents=True)  # a folder where the file should be: reading fails for anyone
    with pytest.raises(ProfileFileError, match="could not be read") as info:
        repo.list()
    assert info.value.moved_to is not None and info.value.moved_to.is_dir()
    assert repo.list() == []


def test_unreadable_and_unmovable_file_is_never_overwritten(
    repo: ProfileRepository, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path.parent.mkdir(parents=True)
    path.write_text("{oops")
    real_replace = os.replace

    def refuse_move_aside(src: object, dst: object) -> None:
        if Path(str(src)) == path:
            raise PermissionError("read-only folder")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", refuse_move_aside)
    with pytest.raises(ProfileFileError) as info:
        repo.list()
    assert info.value.moved_to is None
    assert "cannot be saved until" in str(info.value)
    with pytest.raises(ProfileFileError):
        repo.save(PROD)
    assert path.read_text() == "{oops"


def test_unknown_and_secret_looking_keys_are_dropped_on_write(
    repo: ProfileRepository, path: Path
) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "profiles": [
                    {"name": "a", "region": "us-east-1", "client_secret": "hand-typed-secret"}
                ],
            }
        )
    )
    assert repo.list() == [Profile(name="a", region="us-east-1")]
    repo.save(PROD)
    assert "hand-typed-secret" not in path.read_text()


@pytest.mark.parametrize(
    "content",
    [b"[" * 100_000 + b"]" * 100_000, b'{"version": 1, "profiles": [' + b"9" * 5_000 + b"]}"],
    ids=["nested-100k-deep", "5000-digit-number"],
)
def test_a_file_json_cannot_read_is_moved_aside_not_a_crash(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "profiles.json"
    path.write_bytes(content)
    with pytest.raises(ProfileFileError) as info:
        ProfileRepository(path).list()
    assert info.value.moved_to is not None and info.value.moved_to.read_bytes() == content
    assert "nested too deeply" in str(info.value) or "number too long" in str(info.value)


def test_an_aws_profile_is_kept_and_validated(repo: ProfileRepository, path: Path) -> None:
    repo.save(replace(PROD, aws_profile="qa-sso"))
    assert repo.get("Prod") == replace(PROD, aws_profile="qa-sso")
    assert json.loads(path.read_text(encoding="utf-8"))["profiles"][0]["aws_profile"] == "qa-sso"
    with pytest.raises(ProfileValidationError) as caught:
        repo.save(replace(PROD, aws_profile="has space"))
    assert caught.value.problems[0].field == "aws_profile"
