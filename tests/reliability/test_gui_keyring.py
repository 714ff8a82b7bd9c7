"""2, in the window: keyring trouble -- missing, locked (KeyringLocked or InitError), a
backend raising on every read, trouble that starts after the window did, a secret deleted
outside the app. The banner (at start) or a decoded CredentialsUnavailable attempt (on
send) names the profile and what to do; the built-in sandbox and typed session-only
credentials still deliver; the typed secret is written nowhere.

tests/gui/window/test_main_window.py already shows the banner for a missing and a locked keyring
with a sandbox send, and session credentials with a missing one; here every kind of
trouble gets the whole path, plus the attempt in the history and a scan of the files.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import InitError, KeyringError, KeyringLocked

from app.core.outcome import Attempt, Status
from app.core.profile import Profile
from app.core.secrets import Secret
from app.services.profile_repository import ProfileRepository
from app.services.secret_store import SecretStore
from app.ui.controllers.types import ProfileEdit
from app.ui.window.main_window import MainWindow
from tests.conftest import RealKeyring
from tests.gui.conftest import WAIT_MS, LockedKeyring, MemoryKeyring, WindowHarness
from tests.reliability.keyring_backends import RaisesOnGet
from tests.reliability.support import scan, xdg_roots

pytestmark = pytest.mark.timeout(120)

PROFILE = "Staging QA"


class PromptDismissed(MemoryKeyring):
    """A locked Secret Service without a display: every call ends in InitError."""

    def get_password(self, service: str, username: str) -> str | None:
        raise InitError("Failed to unlock the collection! (Prompt dismissed)")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise InitError("Failed to unlock the collection! (Prompt dismissed)")


class TurnsBad(MemoryKeyring):
    """Works until `trouble` is set (the keyring is locked, or breaks, while the app runs)."""

    def __init__(self) -> None:
        super().__init__()
        self.trouble: Exception | None = None

    def get_password(self, service: str, username: str) -> str | None:
        if self.trouble is not None:
            raise self.trouble
        return super().get_password(service, username)


# At start-up: backend, the banner's title, a phrase of what to do.
AT_START: dict[str, tuple[Callable[[], KeyringBackend], str, str]] = {
    "missing": (fail.Keyring, "No usable keyring", "GNOME Keyring or KWallet"),
    "locked": (LockedKeyring, "Keyring locked", "Unlock"),
    "prompt-dismissed": (PromptDismissed, "Keyring locked", "Unlock"),
    "raises-on-get": (RaisesOnGet, "No usable keyring", "try again"),
}
# While running: the error the keyring starts raising, a phrase of what to do.
LATER: dict[str, tuple[Exception, str]] = {
    "locked": (KeyringLocked("the collection is locked"), "Unlock"),
    "prompt-dismissed": (InitError("Prompt dismissed"), "Unlock"),
    "raises-on-get": (KeyringError("backend exploded while reading"), "try again"),
}


def _profile(harness: WindowHarness, name: str = PROFILE) -> Profile:
    info = harness.sandbox.info
    return Profile(name=name, region=info.region, endpoint_url=info.endpoint_url,
                   has_secret=True)


def _send(harness: WindowHarness, window: MainWindow, profile: str, username: str) -> Attempt:
    assert window.select_profile(profile), profile
    window.form.username_edit.setText(username)
    harness.qtbot.waitUntil(window.form.send_button.isEnabled, timeout=WAIT_MS)
    with harness.qtbot.waitSignal(
        window.controllers.sending.attempt_finished, timeout=WAIT_MS
    ) as got:
        window.form.send_button.click()
    final: Attempt = got.args[0]
    return final


def _assert_explained(window: MainWindow, final: Attempt, advice: str) -> None:
    """A decoded CredentialsUnavailable attempt that names the profile and what to do,
    in the history and its details panel."""
    assert final.failure is not None and final.failure.code == "CredentialsUnavailable"
    message = final.failure.aws_message
    assert f"'{PROFILE}'" in message and advice in message, message
    assert "Traceback" not in message
    stored = window.controllers.session.history
    assert stored is not None
    again = stored.get(final.attempt_id)
    assert again is not None and again.failure == final.failure  # decoded once stored too
    window.history_pane.select_attempt(final.attempt_id)
    details = window.history_pane.details.displayed_text()
    assert "Client credentials unavailable" in details and PROFILE in details, details


@pytest.mark.parametrize("trouble", sorted(AT_START))
def test_keyring_trouble_at_start_banner_sandbox_and_session_credentials(
    trouble: str, harness: WindowHarness
) -> None:
    make, title, advice = AT_START[trouble]
    backend = make()
    # The profile's record exists (added while the keyring still worked).
    ProfileRepository(harness.paths.profiles_file).save(_profile(harness))
    service = "cognito-resend-test-" + uuid.uuid4().hex
    window = harness.open(harness.factories(secret_store=lambda: SecretStore(service, backend)))
    assert window.controllers.session.keyring_status is None  # not asked at start-up
    assert window.select_profile(PROFILE)  # a stored profile: now it is asked
    harness.qtbot.waitUntil(window.keyring_banner.isVisible, timeout=WAIT_MS)
    banner = window.keyring_banner.text()
    assert title in banner and advice in banner, banner
    assert "Sandbox profile still works" in banner or "sandbox" in banner.lower(), banner
    assert "⚠" in window.profile_bar.keyring_status_label.text()

    assert _send(harness, window, "Sandbox", "alice").status is Status.DELIVERED

    # The user profile asks for its credentials for this session; Send waits for them.
    assert window.select_profile(PROFILE)
    assert window.form.session_box.isVisible()
    window.form.username_edit.setText("bob")
    assert not window.form.send_button.isEnabled()
    client = harness.sandbox.info.client("secret")
    typed_secret = client.client_secret or ""
    assert typed_secret
    window.form.session_client_id_edit.setText(client.client_id)
    window.form.session_secret_edit.setText(typed_secret)
    final = _send(harness, window, PROFILE, f"ghost-{uuid.uuid4().hex[:8]}")
    assert final.status is Status.DELIVERED and final.used_secret_hash, final.failure

    # The typed secret was never stored: not in the (memory) keyring, not on disk.
    assert all(typed_secret != v for v in getattr(backend, "entries", {}).values())
    harness.close(window)
    assert scan(xdg_roots(), [typed_secret]) == []  # (client ids are in the history by design)


@pytest.mark.parametrize("trouble", sorted(LATER))
def test_keyring_trouble_after_start_gives_a_decoded_attempt(
    trouble: str, harness: WindowHarness
) -> None:
    error, advice = LATER[trouble]
    backend = TurnsBad()
    service = "cognito-resend-test-" + uuid.uuid4().hex
    window = harness.open(harness.factories(secret_store=lambda: SecretStore(service, backend)))
    assert harness.keyring_checked(window).usable and not window.keyring_banner.isVisible()
    client = harness.sandbox.info.client("secret")
    task = window.controllers.profiles.save_profile(
        ProfileEdit(_profile(harness), client.client_id, Secret(client.client_secret or ""))
    )
    harness.qtbot.waitUntil(task.done, timeout=WAIT_MS)
    assert task.result() is True
    assert _send(harness, window, PROFILE, "alice").status is Status.DELIVERED

    backend.trouble = error  # the keyring gets locked (or breaks) while the window is open
    final = _send(harness, window, PROFILE, "bob")
    _assert_explained(window, final, advice)
    assert harness.sandbox.inbox("bob") == []  # nothing was sent without credentials

    # The sandbox does not need the keyring; the window goes on.
    assert _send(harness, window, "Sandbox", "bob").status is Status.DELIVERED
    backend.trouble = None  # unlocked again: the profile works again
    assert _send(harness, window, PROFILE, "alice").status is Status.DELIVERED


@pytest.mark.keyring
def test_secret_deleted_outside_the_app_is_explained_in_the_window(
    harness: WindowHarness, real_keyring: RealKeyring
) -> None:
    window = harness.open(
        harness.factories(secret_store=lambda: SecretStore(real_keyring.service))
    )
    assert harness.keyring_checked(window).usable
    client = harness.sandbox.info.client("secret")
    secret = client.client_secret or ""
    task = window.controllers.profiles.save_profile(
        ProfileEdit(_profile(harness), client.client_id, Secret(secret))
    )
    harness.qtbot.waitUntil(task.done, timeout=WAIT_MS)
    assert task.result() is True
    assert _send(harness, window, PROFILE, "alice").status is Status.DELIVERED

    # What a keyring manager's "delete" does, behind the app's back.
    for field in ("client_id", "client_secret"):
        real_keyring.backend.delete_password(real_keyring.service, f"{PROFILE}/{field}")
    final = _send(harness, window, PROFILE, "bob")
    _assert_explained(window, final, "deleted outside Cognito Resend")
    assert "enter its client ID" in (final.failure.aws_message if final.failure else "")
    assert _send(harness, window, "Sandbox", "bob").status is Status.DELIVERED
    harness.close(window)
    assert scan(xdg_roots(), [secret]) == []
