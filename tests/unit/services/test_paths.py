"""AppPaths: platform folders honour XDG_*, the file names are fixed, ensure() creates them."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from app.services.config_location import user_config_dir
from app.services.paths import AppPaths


def test_from_platform_honours_xdg(_fresh_xdg_dirs: dict[str, Path]) -> None:
    paths = AppPaths.from_platform()
    assert paths.config_dir == _fresh_xdg_dirs["XDG_CONFIG_HOME"] / "cognito-resend"
    assert paths.data_dir == _fresh_xdg_dirs["XDG_DATA_HOME"] / "cognito-resend"
    assert user_config_dir() == paths.config_dir  # the window's first screen reads it there
    # platformdirs puts Linux logs under the state dir.
    assert paths.log_dir.is_relative_to(_fresh_xdg_dirs["XDG_STATE_HOME"])


def test_file_names(tmp_path: Path) -> None:
    paths = AppPaths(tmp_path / "c", tmp_path / "d", tmp_path / "l")
    assert paths.profiles_file == tmp_path / "c" / "profiles.json"
    assert paths.history_db == tmp_path / "d" / "history.sqlite3"
    assert paths.log_file == tmp_path / "l" / "cognito-resend.log"


def test_ensure_creates_folders_and_is_idempotent(tmp_path: Path) -> None:
    paths = AppPaths(tmp_path / "a" / "c", tmp_path / "a" / "d", tmp_path / "a" / "l")
    assert paths.ensure() is paths
    paths.ensure()
    for d in (paths.config_dir, paths.data_dir, paths.log_dir):
        assert d.is_dir()
        assert d.stat().st_mode & 0o077 == 0


def test_is_frozen(tmp_path: Path) -> None:
    paths = AppPaths(tmp_path, tmp_path, tmp_path)
    with pytest.raises(AttributeError):
        paths.config_dir = tmp_path / "x"  # type: ignore[misc]


@pytest.mark.skipif(sys.platform != "linux", reason="the fast rule is for Linux only")
@pytest.mark.parametrize(
    ("xdg", "home"),
    [
        ("/x/config", "/home/u"),
        ("/x/config/", "/home/u"),
        (None, "/home/u"),
        ("", "/home/u/"),
        ("relative/config", "/home/u"),  # platformdirs ignores a relative XDG_CONFIG_HOME
        (None, "/"),
        (None, "relative-home"),  # left to platformdirs (it asks the password database)
        (None, None),
    ],
)
def test_config_folder_is_the_one_platformdirs_names(
    monkeypatch: pytest.MonkeyPatch, xdg: str | None, home: str | None
) -> None:
    """The window's first screen finds window.ini without platformdirs (config_location):
    the folder must be the one platformdirs, and so AppPaths before, named."""
    for var, value in (("XDG_CONFIG_HOME", xdg), ("HOME", home)):
        if value is None:
            monkeypatch.delenv(var, raising=False)
        else:
            monkeypatch.setenv(var, value)
    expected = platformdirs.user_config_path("cognito-resend", appauthor=False)
    assert user_config_dir() == expected
    assert AppPaths.from_platform().config_dir == expected
