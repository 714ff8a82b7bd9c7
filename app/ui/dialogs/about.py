"""The About box: app name, version, keyring backend and where the log file is."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from app import APP_NAME, app_version
from app.ui.qt_util import name_widget


def about_text(keyring_backend: str, log_file: str) -> str:
    """The About box's text (rich text), also used by tests."""
    return (
        f"<h3>{APP_NAME} {app_version()}</h3>"
        "<p>Resends Amazon Cognito sign-up confirmation codes and explains what happened.</p>"
        f"<p><b>Keyring:</b> {_esc(keyring_backend)}<br>"
        f"<b>Log file:</b> {_esc(log_file)}</p>"
    )


def show_about(parent: QWidget, keyring_backend: str, log_file: str) -> None:
    box = QMessageBox(parent)
    name_widget(box, "aboutBox")
    box.setWindowTitle(f"About {APP_NAME}")
    box.setText(about_text(keyring_backend, log_file))
    if not parent.windowIcon().isNull():
        box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    box.exec()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
