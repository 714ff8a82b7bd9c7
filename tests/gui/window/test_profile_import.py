"""File → Import profiles… (a secret dialog per profile, the real keyring) and the
Import from an AWS account… wizard against the sandbox, signed with its admin keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.outcome import Status
from app.core.profile import Profile
from app.services.profile_transfer import TransferRecord, write_export
from app.services.secret_store import SecretStore
from app.ui.dialogs.import_secret_dialog import ImportSecretDialog
from tests.conftest import RealKeyring
from tests.gui.conftest import WAIT_MS, WindowHarness

pytestmark = pytest.mark.timeout(120)


@pytest.mark.keyring
def test_import_profiles_asks_the_secret_once_into_the_real_keyring_and_a_send_works(
    harness: WindowHarness, real_keyring: RealKeyring, tmp_path: Path
) -> None:
    info = harness.sandbox.info
    client = info.client("secret")
    secret = client.client_secret or ""
    exported = tmp_path / "team.json"
    write_export(exported, [
        TransferRecord(Profile("Team secret", info.region, info.endpoint_url, info.user_pool_id,
                               has_secret=True), client.client_id, True),
        TransferRecord(Profile("Team public", info.region, info.endpoint_url),
                       info.client("public").client_id, False),
    ])  # fmt: skip
    assert secret not in exported.read_text(encoding="utf-8")
    window = harness.open(
        harness.factories(secret_store=lambda: SecretStore(real_keyring.service))
    )
    window.profile_import.choose_file = lambda _parent: str(exported)
    window.window_actions.import_profiles.trigger()

    harness.qtbot.waitUntil(
        lambda: (d := window.findChild(ImportSecretDialog)) is not None and d.isVisible(),
        timeout=WAIT_MS,
    )
    dialog = window.findChild(ImportSecretDialog)
    assert dialog is not None
    assert not dialog.store_button.isEnabled()
    dialog.secret_edit.setText(secret)
    dialog.store_button.click()
    profiles = window.controllers.profiles
    harness.qtbot.waitUntil(
        lambda: profiles.profile("Team secret") is not None
        and profiles.profile("Team public") is not None,
        timeout=WAIT_MS,
    )
    # Asked once: only the profile whose client has a secret had a dialog.
    assert window.findChildren(ImportSecretDialog) == [] or not any(
        d.isVisible() for d in window.findChildren(ImportSecretDialog)
    )
    backend = real_keyring.backend
    assert backend.get_password(real_keyring.service, "Team secret/client_secret") == secret
    assert backend.get_password(real_keyring.service, "Team public/client_secret") is None
    final = harness.send(window, "alice", profile="Team secret")
    assert final.status is Status.DELIVERED and final.used_secret_hash
    assert secret not in harness.paths.profiles_file.read_text(encoding="utf-8")


def test_import_from_aws_wizard_fetches_the_secret_into_the_keyring(
    harness: WindowHarness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.ui.dialogs.aws_import_dialog import AwsImportDialog

    info = harness.sandbox.info
    admin = info.aws_credentials.admin
    creds = tmp_path / "aws-credentials"
    creds.write_text(
        f"[sandbox-admin]\naws_access_key_id = {admin.access_key_id}\n"
        f"aws_secret_access_key = {admin.secret_access_key}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(creds))
    window = harness.open()
    window.window_actions.import_from_aws.trigger()
    harness.qtbot.waitUntil(
        lambda: (d := window.findChild(AwsImportDialog)) is not None and d.isVisible(),
        timeout=WAIT_MS,
    )
    dialog = window.findChild(AwsImportDialog)
    assert dialog is not None
    dialog.aws_profile_edit.setText("sandbox-admin")
    dialog.endpoint_edit.setText(info.endpoint_url)
    dialog.region_combo.setCurrentText(info.region)
    dialog.find_button.click()
    # Signed calls on a busy machine: botocore's first client and model load take a while.
    aws_wait = 2 * WAIT_MS
    try:
        # The seeded three, and any a test before this one made in the shared sandbox.
        harness.qtbot.waitUntil(lambda: dialog.pool_list.count() >= 3, timeout=aws_wait)
    except Exception:
        raise AssertionError(f"no pools: {dialog.status_label.text()}") from None
    rows = [dialog.pool_list.item(i).data(256) for i in range(dialog.pool_list.count())]
    dialog.pool_list.setCurrentRow(rows.index(info.user_pool_id))
    harness.qtbot.waitUntil(lambda: dialog.client_list.count() >= 3, timeout=aws_wait)
    names = [dialog.client_list.item(i).data(256)[1] for i in range(dialog.client_list.count())]
    dialog.client_list.setCurrentRow(names.index("secret"))
    assert dialog.name_edit.text() == "secret"
    dialog.name_edit.setText("From AWS")
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    profiles = window.controllers.profiles
    harness.qtbot.waitUntil(lambda: profiles.profile("From AWS") is not None, timeout=aws_wait)
    imported = profiles.profile("From AWS")
    assert imported is not None and imported.has_secret
    assert imported.user_pool_id == info.user_pool_id and imported.aws_profile == "sandbox-admin"
    harness.qtbot.waitUntil(lambda: window.current_profile_name() == "From AWS", timeout=WAIT_MS)
    final = harness.send(window, "alice", profile="From AWS")
    assert final.status is Status.DELIVERED and final.used_secret_hash
    secret = info.client("secret").client_secret or ""
    assert secret not in harness.paths.profiles_file.read_text(encoding="utf-8")


def test_import_from_aws_with_a_bad_region_names_the_field(harness: WindowHarness) -> None:
    from app.ui.dialogs.aws_import_dialog import AwsImportDialog

    window = harness.open()
    dialog = AwsImportDialog(window.controllers.provisioning, ["us-east-1"], parent=window)
    harness.qtbot.addWidget(dialog)
    dialog.region_combo.setCurrentText("moon-1")
    dialog.aws_profile_edit.setText("has space")
    dialog.find_button.click()
    harness.qtbot.waitUntil(lambda: "Region" in dialog.status_label.text(), timeout=WAIT_MS)
    text = dialog.status_label.text()
    assert "AWS profile may not contain spaces" in text and "aws_profile" not in text
    assert dialog.pool_list.count() == 0
