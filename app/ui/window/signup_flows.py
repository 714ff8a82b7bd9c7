"""The main window's sign-up flows: "Sign up a test user" and "Confirm with code"."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from app.ui.controllers.signup import QaUser
from app.ui.qt_util import async_slot, dialog_result

if TYPE_CHECKING:
    from app.core.outcome import Attempt
    from app.core.profile import ClientCredentials
    from app.ui.window.main_window import MainWindow

# (username, the code to prefill or None) -> the code to send, or None when cancelled.
CodeAsker = Callable[[str, str | None], Awaitable[str | None]]
# (the proposed user, whether the profile is the sandbox) -> the user to sign up, or None.
UserAsker = Callable[[QaUser, bool], Awaitable[QaUser | None]]


class SignUpFlows:
    """Asks for what the sign-up controller needs and runs it; the history shows the result.

    Tests and automation replace `ask_code` / `ask_user` to answer without a dialog.
    """

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self.ask_code: CodeAsker = self._ask_code
        self.ask_user: UserAsker = self._ask_user

    @async_slot
    async def confirm_with_code(self, attempt: Attempt) -> None:
        """Confirm the user of a delivered attempt; on the sandbox the newest code is
        prefilled from its inbox."""
        w = self._window
        c = w.controllers.signup
        profile = w.controllers.profiles.profile(attempt.profile)
        prefill = await c.newest_code(attempt.username) if profile and profile.builtin else None
        code = await self.ask_code(attempt.username, prefill)
        if code is None:
            return
        final = await c.confirm(attempt.profile, attempt.username, code, self._typed(attempt))
        if final is not None:
            w.history_pane.select_attempt(final.attempt_id)

    @async_slot
    async def sign_up_test_user(self) -> None:
        """Propose a unique test user for the current profile, then sign it up."""
        w = self._window
        name = w.current_profile_name()
        profile = w.current_profile()
        if not name or profile is None:
            return
        c = w.controllers.signup
        user = await self.ask_user(c.propose_test_user(name), profile.builtin)
        if user is None:
            return
        final = await c.sign_up(name, user, w.form.session_credentials())
        if final is not None:
            w.history_pane.select_attempt(final.attempt_id)

    def _typed(self, attempt: Attempt) -> ClientCredentials | None:
        # Credentials typed for this session belong to the profile the form shows.
        w = self._window
        return w.form.session_credentials() if attempt.profile == w.current_profile_name() else None

    async def _ask_code(self, username: str, prefill: str | None) -> str | None:
        from app.ui.dialogs.confirm_dialog import ConfirmDialog

        dialog = ConfirmDialog(username, prefill=prefill, parent=self._window)
        code = dialog.code  # read before dialog_result deletes the dialog
        if not await dialog_result(dialog):
            return None
        return code()

    async def _ask_user(self, proposed: QaUser, builtin: bool) -> QaUser | None:
        from app.ui.dialogs.signup_dialog import SignUpDialog

        dialog = SignUpDialog(proposed, builtin=builtin, parent=self._window)
        user = dialog.user
        if not await dialog_result(dialog):
            return None
        return user()
