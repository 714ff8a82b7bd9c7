"""The keyring's line in the banner: what is wrong, then Retry / Use for this session only."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from app.ui.widgets.banner import BannerAction
from app.ui.widgets.banner_manager import BannerChannel

if TYPE_CHECKING:
    from app.services.secret_store import KeyringStatus
    from app.ui.controllers.session import Session

_TITLES = {
    "locked": "Keyring locked",
    "pending": "Waiting for the keyring",
}
_SANDBOX_NOTE = (
    " The Sandbox profile still works; for other profiles, type the client ID (and secret) "
    "in the form for this session only. Nothing secret is written to disk."
)


class KeyringNotice:
    """Posts the keyring's status to its banner channel (withdrawn once the keyring works)."""

    def __init__(
        self,
        session: Session,
        channel: BannerChannel,
        show_session_fields: Callable[[], None] = lambda: None,
    ) -> None:
        self._session = session
        self._channel = channel
        # Where the session-only fields are (the developer view's form): brought on screen.
        self._show_session_fields = show_session_fields

    def show(self, status: KeyringStatus) -> None:
        if status.usable or self._session.session_only:
            self._channel.hide()
            return
        problem = getattr(status.problem, "value", "")
        text = status.message
        if "session" not in text:
            text += _SANDBOX_NOTE
        self._channel.show_message(
            _TITLES.get(problem, "No usable keyring"),
            text,
            "info" if problem == "pending" else "warning",
            (
                BannerAction("Retry", "keyringRetryButton", self._retry),
                BannerAction(
                    "Use for this session only", "keyringSessionOnlyButton", self._session_only
                ),
            ),
        )

    def _retry(self) -> None:
        self._session.check_keyring(again=True)

    def _session_only(self) -> None:
        self._channel.hide()
        self._session.use_session_only()
        self._show_session_fields()
