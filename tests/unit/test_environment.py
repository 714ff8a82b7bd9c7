"""Proofs that the test harness is what it claims to be."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
import pytest

from tests.conftest import XDG_VARS, RealKeyring, keyring_gate

_seen_config_dirs: list[str] = []


@pytest.mark.parametrize("round_", [1, 2])
def test_xdg_dirs_are_per_test(round_: int, tmp_path: Path) -> None:
    for var in XDG_VARS:
        value = Path(os.environ[var])
        assert value.is_dir()
        assert tmp_path in value.parents, f"{var}={value} is not under this test's tmp_path"
    config = platformdirs.user_config_dir("cognito-resend")
    data = platformdirs.user_data_dir("cognito-resend")
    assert Path(config).is_relative_to(tmp_path)
    assert Path(data).is_relative_to(tmp_path)
    assert config not in _seen_config_dirs, "two tests shared a config folder"
    _seen_config_dirs.append(config)


def test_qt_runs_offscreen_with_pyside6(qapp: object) -> None:
    from PySide6.QtWidgets import QApplication

    assert os.environ["QT_API"] == "pyside6"
    assert isinstance(qapp, QApplication)
    assert qapp.platformName() == os.environ["QT_QPA_PLATFORM"]


def test_keyring_gate_skips_locally_and_fails_in_ci() -> None:
    assert keyring_gate({"COGNITO_RESEND_REAL_KEYRING": "1", "CI": "true"}) is None
    assert keyring_gate({"COGNITO_RESEND_REAL_KEYRING": "1"}) is None
    action, reason = keyring_gate({}) or ("", "")
    assert action == "skip" and "dev.sh test" in reason
    assert (keyring_gate({"CI": "false"}) or ("",))[0] == "skip"
    assert (keyring_gate({"CI": "true"}) or ("",))[0] == "fail"
    assert (keyring_gate({"CI": "1"}) or ("",))[0] == "fail"


@pytest.mark.keyring
def test_real_secret_service_round_trip(real_keyring: RealKeyring) -> None:
    import keyring
    from keyring.backends import SecretService

    assert isinstance(keyring.get_keyring(), SecretService.Keyring)
    service = real_keyring.service
    assert keyring.get_password(service, "alice") is None
    keyring.set_password(service, "alice", "client-secret-ü-42")
    assert keyring.get_password(service, "alice") == "client-secret-ü-42"
    keyring.delete_password(service, "alice")
    assert keyring.get_password(service, "alice") is None


@pytest.mark.keyring
def test_keyring_lives_in_a_throwaway_home() -> None:
    # with-keyring.sh points HOME at a mktemp folder; the daemon keeps its files there.
    home = Path.home()
    assert home.name == "home" and home.parent.name.startswith("cognito-resend-keyring.")
    runtime = Path(os.environ["XDG_RUNTIME_DIR"])
    assert runtime.stat().st_mode & 0o777 == 0o700
