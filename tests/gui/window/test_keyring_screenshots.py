"""Screenshots on a real X server (Xvfb): the one-line keyring banner while the keyring
blocks, and the profile dialog with an error under each field. Copies go to SHOTS_DIR
for the lead to look at (the test itself checks the pictures are not blank)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.support.xvfb import image_stats, run_on_xvfb

SHOTS_DIR = Path(os.environ.get("COGNITO_RESEND_SHOTS_DIR", "/work/coord/shots"))
NAMES = ("keyring-banner.png", "profile-dialog-errors.png")
PREFIX = "keyring14-"  # the shared folder holds every helper's shots


@pytest.mark.xvfb
@pytest.mark.timeout(120)
def test_banner_and_profile_dialog_screenshots_on_xvfb(tmp_path: Path) -> None:
    result = run_on_xvfb(
        "tests.gui.window.test_keyring_screenshots", str(tmp_path), timeout=90
    )
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "banner: Waiting for the keyring" in result.stdout, result.stdout
    for name in NAMES:
        width, height, colours, _varied = image_stats(tmp_path / name)
        assert width > 300 and height > 40 and colours > 10, (name, width, height, colours)
        with_dir = SHOTS_DIR if SHOTS_DIR.parent.is_dir() else None
        if with_dir is not None:
            with_dir.mkdir(exist_ok=True)
            shutil.copyfile(tmp_path / name, with_dir / (PREFIX + name))


# ---------------------------------------------------------------- the subprocess


def _drive(out: Path) -> int:
    import asyncio
    import threading

    import keyring
    import qasync
    from keyring.backend import KeyringBackend
    from PySide6.QtWidgets import QApplication

    from app.core.profile import Profile
    from app.services.cognito_gateway import GatewayConfig
    from app.services.paths import AppPaths
    from app.services.profile_repository import ProfileRepository
    from app.ui.application import default_factories, window_settings
    from app.ui.controllers.composition import WindowControllers
    from app.ui.dialogs.profile_dialog import ProfileDialog
    from app.ui.window.main_window import MainWindow

    release = threading.Event()

    class Blocking(KeyringBackend):
        priority = 1
        viable = False

        def get_password(self, service: str, username: str) -> str | None:
            release.wait(30)
            return None

        def set_password(self, service: str, username: str, password: str) -> None:
            pass

        def delete_password(self, service: str, username: str) -> None:
            pass

    keyring.set_keyring(Blocking())  # type: ignore[no-untyped-call]
    app = QApplication([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)
    paths = AppPaths.from_platform().ensure()
    ProfileRepository(paths.profiles_file).save(
        Profile("Staging web", "eu-west-1", user_pool_id="eu-west-1_AbC123xyz", has_secret=True)
    )
    factories = default_factories(
        paths, gateway_config=GatewayConfig(connect_timeout=1, read_timeout=5, max_attempts=1)
    )
    controllers = WindowControllers(factories)
    window = MainWindow(controllers, window_settings(paths.config_dir))

    async def scenario() -> None:
        window.resize(1366, 768)
        window.show()
        controllers.start()
        for _ in range(600):
            if controllers.session.ready:
                break
            await asyncio.sleep(0.05)
        assert controllers.session.ready, "services did not start"
        window.select_profile("Staging web")
        for _ in range(200):
            if window.keyring_banner.isVisible():
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)
        print("banner:", window.keyring_banner.text()[:60], flush=True)
        window.grab().save(str(out / "keyring-banner.png"), "PNG")

        dialog = ProfileDialog(window.regions, parent=window)
        dialog.show()
        dialog.pool_edit.setText("eu-west-1_AbC123xyz")
        dialog.region_combo.setCurrentText("us-east-1")
        dialog.name_edit.setText("x")
        dialog.name_edit.setText("")
        dialog.endpoint_edit.setText("ftp://proxy")
        dialog.client_id_edit.setText("not a client id!")
        await asyncio.sleep(0.3)
        dialog.grab().save(str(out / "profile-dialog-errors.png"), "PNG")
        print("dialog:", " | ".join(dialog.problems()), flush=True)
        dialog.close()
        release.set()
        window.close()
        await controllers.aclose()

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(scenario())
    finally:
        release.set()
        loop.close()
    return 0


if __name__ == "__main__":
    sys.exit(_drive(Path(sys.argv[1])))
