"""The main window: the profile bar, its views, the Sandbox dock; wired once.

Built in two steps so that a first screen paints before the rest is imported (see
app/ui/staged_start.py): `__init__` builds the frame and the page the window opens on,
importing nothing heavy (no asyncio, no controllers, no `Qt` enum namespace on the welcome
page); `attach(controllers)` builds and wires the rest, and `attach_steps` does the same
in steps that the start runs on separate loop turns (the building: window_building.py).
Given controllers, `__init__` attaches them at once (the tests' and tools' way).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

from app import APP_NAME
from app.ui.qt_util import name_widget
from app.ui.widgets.view_stack import ViewStack
from app.ui.widgets.window_header import WindowHeader
from app.ui.window import window_building
from app.ui.window.actions import WindowActions
from app.ui.window.window_state import WindowState

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QCloseEvent, QIcon
    from PySide6.QtWidgets import QDockWidget, QSplitter

    from app.core.outcome import Attempt
    from app.core.profile import Profile
    from app.sandbox.model import SandboxInfo
    from app.services.secret_store import KeyringStatus
    from app.ui.controllers.composition import WindowControllers
    from app.ui.dialogs.batch_dialog import BatchDialog
    from app.ui.dialogs.support_dialogs import ArrivalDialog
    from app.ui.dialogs.trigger_event_dialog import SavePathChooser, TriggerEventDialog
    from app.ui.models.history_model import HistoryTableModel
    from app.ui.widgets.banner_manager import BannerChannel, BannerManager
    from app.ui.widgets.diagnosis_card import DiagnosisCard
    from app.ui.widgets.history_pane import HistoryPane
    from app.ui.widgets.profile_bar import ProfileBar
    from app.ui.widgets.resend_form import ResendForm
    from app.ui.widgets.sandbox_panel import SandboxPanel
    from app.ui.widgets.view_stack import PageKind
    from app.ui.window.diagnosis_part import DiagnosisPart
    from app.ui.window.form_flow import FormFlow
    from app.ui.window.keyring_notice import KeyringNotice
    from app.ui.window.profile_editing import ProfileEditing
    from app.ui.window.profile_import import ProfileImport
    from app.ui.window.signup_flows import SignUpFlows
    from app.ui.window.support_flow import SupportFlow
    from app.ui.window.trigger_debugging import TriggerDebugging
    from app.ui.window.view_switching import ViewSwitching

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """Widgets only: every action goes to one of the `WindowControllers`."""

    closed = Signal()

    # Built by `attach` (the frame's own parts are set in __init__).
    controllers: WindowControllers
    regions: list[str]  # the dialogs offer these; the session replaces them with the live list
    profile_bar: ProfileBar
    banners: BannerManager
    keyring_banner: BannerChannel
    problem_banner: BannerChannel
    history_model: HistoryTableModel
    form: ResendForm
    history_pane: HistoryPane
    splitter: QSplitter
    diagnosis_card: DiagnosisCard
    sandbox_panel: SandboxPanel
    sandbox_dock: QDockWidget
    profile_import: ProfileImport
    diagnosis: DiagnosisPart
    signup_flows: SignUpFlows
    views: ViewSwitching
    _keyring_notice: KeyringNotice
    _profile_editing: ProfileEditing
    _trigger_debugging: TriggerDebugging
    _support: SupportFlow
    _form_flow: FormFlow

    def __init__(
        self,
        controllers: WindowControllers | None,
        settings: QSettings,
        *,
        log_file: str = "",
        icon: QIcon | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        name_widget(self, "mainWindow")
        self._settings = settings
        self._state = WindowState(settings)
        self.log_file = log_file  # the About box names it
        self.attached = False
        self._keyring_backend = "(not asked yet)"
        self._in_flight = 0
        # Built on first use (File → Batch resend…) and kept: it shows the last batch.
        self.batch_dialog: BatchDialog | None = None
        # Replaced by tests and automation to answer without a modal box.
        self.confirm: Callable[[str, str], bool] = self._ask_yes_no
        self.inform: Callable[[str, str], None] = self._show_info
        self.event_dialog: TriggerEventDialog | None = None
        # Replaced by tests to save a test event without a file dialog.
        self.choose_event_path: SavePathChooser = _choose_save_path
        # The attempt of the user's last send from the form: only it (and the one being
        # registered, FormFlow.request) may move the history's selection.
        self._own_attempt_id: str | None = None
        self.arrival_dialog: ArrivalDialog | None = None
        # Welcome-page choices made before `attach`: made again once it is wired.
        self._early_choices: list[str] = []
        self.setWindowTitle(APP_NAME)
        if icon is not None and not icon.isNull():
            self.setWindowIcon(icon)

        self.first_page: PageKind = self._state.first_page(frozen=_frozen())
        self.header = WindowHeader(self)  # issue 14: the view toggle, the profile bar, notice
        self.view_stack = ViewStack(parent=self)  # welcome, support, developer
        central = QWidget(self)
        self._central = QVBoxLayout(central)
        self._central.setContentsMargins(8, 6, 8, 4)
        self._central.addWidget(self.header)
        self._central.addWidget(self.view_stack, 1)
        self.setCentralWidget(central)

        self.status_label = QLabel("Starting…", self)
        name_widget(self.status_label, "statusLabel")
        self.statusBar().addWidget(self.status_label, 1)
        self.in_flight_label = QLabel("", self)
        name_widget(self.in_flight_label, "inFlightLabel")
        self.statusBar().addPermanentWidget(self.in_flight_label)

        self.window_actions = WindowActions.create(self)
        self.window_actions.install(self.menuBar())
        self.window_actions.set_enabled(False)  # until `attach` has connected them
        self.header.view_toggle.setDefaultAction(self.window_actions.toggle_view)
        self._state.restore_geometry(self)
        window_building.build_first_page(self)
        if controllers is not None:
            self.attach(controllers)

    def attach(self, controllers: WindowControllers) -> None:
        """Build and wire the rest at once."""
        window_building.attach(self, controllers)

    def attach_steps(self, controllers: WindowControllers) -> Iterator[str]:
        """Build and wire the rest; yields where the start may let the loop turn (see
        window_building.attach_steps)."""
        return window_building.attach_steps(self, controllers)

    # ------------------------------------------------------------------ the profile
    def current_profile_name(self) -> str | None:
        return self.profile_bar.current_name()

    def current_profile(self) -> Profile | None:
        name = self.current_profile_name()
        return self.controllers.profiles.profile(name) if name else None

    def select_profile(self, name: str) -> bool:
        return self.profile_bar.select(name)

    def refresh_profile_state(self) -> None:
        profile = self.current_profile()
        session = self.controllers.session
        if profile is not None and not profile.builtin:
            session.check_keyring()  # first touched when a stored profile needs it
        self.form.set_profile(profile, keyring_usable=session.keyring_usable)
        self.form.set_ready(session.ready)
        self.profile_bar.show_state(profile, ready=session.ready)
        self.sandbox_panel.client_combo.setEnabled(True)
        self._support.refresh(profile, session.ready)
        if self.batch_dialog is not None:
            self.batch_dialog.refresh_profile()

    def _on_profiles_changed(self, profiles: list[Profile]) -> None:
        wanted = self.current_profile_name() or self._state.last_profile()
        self.profile_bar.set_profiles(profiles, wanted)
        self.refresh_profile_state()

    # ------------------------------------------------------------------ controller signals
    def report(self, title: str, text: str) -> None:
        """Show a problem in the banner and the status bar."""
        self.problem_banner.show_message(title, text, "error")
        self.status_label.setText(title)

    def _on_attempt_started(self, attempt: Attempt) -> None:
        self.history_model.add_pending(attempt)
        if self._is_form_send(attempt):
            # Follow the user's own send unless they are looking at another attempt;
            # other attempts (many in flight) never move the selection.
            shown = self.history_pane.current_attempt()
            if shown is None or shown.attempt_id == self._own_attempt_id:
                self.history_pane.select_attempt(attempt.attempt_id)
            self._own_attempt_id = attempt.attempt_id
        self._update_in_flight(+1)

    def _on_attempt_finished(self, attempt: Attempt) -> None:
        # The pane refreshes its details from the model's dataChanged when this attempt is
        # the one shown; the selection stays where the user left it.
        self.history_model.update_attempt(attempt)
        self._update_in_flight(-1)
        self.status_label.setText(f"{attempt.username}: {attempt.outcome_label}")

    def _is_form_send(self, attempt: Attempt) -> bool:
        request = self._form_flow.request
        return (
            request is not None
            and attempt.profile == request.profile_name
            and attempt.username == request.raw.username.strip()
        )

    def _update_in_flight(self, delta: int) -> None:
        n = max(0, self._in_flight + delta)
        self._in_flight = n
        self.in_flight_label.setText(f"{n} in flight" if n else "")

    def _on_keyring_status(self, status: KeyringStatus) -> None:
        self._keyring_backend = status.backend_name
        self.profile_bar.show_keyring(
            status.backend_name, usable=status.usable, message=status.message
        )
        self._keyring_notice.show(status)
        self.refresh_profile_state()

    def _on_sandbox_started(self, info: SandboxInfo) -> None:
        self.sandbox_panel.set_info(info)
        self.controllers.sandbox.refresh_inbox()
        self.controllers.trigger.refresh_trigger()

    def _on_regions_loaded(self, regions: list[str]) -> None:
        self.regions = regions

    # ------------------------------------------------------------------ user actions
    def _on_sandbox_user_chosen(self, username: str) -> None:
        self.form.set_username(username)
        self.form.username_edit.setFocus()

    def _on_rerun(self, attempt: Attempt) -> None:
        if not self.select_profile(attempt.profile):
            self.report("Profile not found", f"Profile “{attempt.profile}” no longer exists.")
            return
        self.form.fill_from_attempt(attempt)
        self.form.revalidate()
        if self.form.send_button.isEnabled():
            self.form.send_requested.emit()

    # ------------------------------------------------------------------ dialogs
    def open_batch_dialog(self) -> BatchDialog:
        """Show the (non-modal) batch window; its committed rows appear in the history."""
        from app.ui.dialogs.batch_dialog import BatchDialog
        from app.ui.models.history_feed import show_recorded

        if self.batch_dialog is None:
            batch = self.controllers.batch()
            dialog = BatchDialog(
                batch,
                self.current_profile,
                form_metadata=lambda: tuple(self.form.values().client_metadata),
                session_credentials=self.form.session_credentials,
                parent=self,
            )
            batch.rows_recorded.connect(lambda rows: show_recorded(self.history_model, rows))
            batch.start_failed.connect(self.report)
            # The sandbox inbox shows the codes a batch issued, as it does after a send.
            batch.finished.connect(lambda _summary: self.controllers.sandbox.refresh_inbox())
            dialog.show_in_history_requested.connect(self.history_pane.show_batch)
            self.batch_dialog = dialog
        self.batch_dialog.show()
        self.batch_dialog.raise_()
        self.batch_dialog.activateWindow()
        return self.batch_dialog

    def _on_about(self) -> None:
        from app.ui.dialogs.about import show_about

        show_about(self, self._keyring_backend, self.log_file)

    def _show_info(self, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=self)
        box.setObjectName("presetWarningBox")
        box.open()  # not exec(): the save goes on while the note is read

    def _ask_yes_no(self, title: str, text: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    # ------------------------------------------------------------------ closing
    def save_settings(self) -> None:
        self._state.save(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.attached:
            # Closed before the rest was built: nothing changed that is worth saving (and a
            # saved geometry alone would end the first start's choice of the support view).
            super().closeEvent(event)
            self.closed.emit()
            return
        dialog = self.batch_dialog
        if dialog is not None and dialog.batch.running:
            if not self.confirm(
                "Cancel the batch and quit?",
                "A batch is running. Quit anyway? No new call starts; calls in flight finish "
                "and are recorded in the history before the app closes.",
            ):
                event.ignore()
                return
            # The controllers' close waits for the batch's calls in flight.
            dialog.cancel_batch()
        if dialog is not None:
            dialog.hide()
        self.save_settings()
        self.form.set_ready(False)
        super().closeEvent(event)
        self.closed.emit()


def _frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def _choose_save_path(parent: QWidget, suggested: str) -> str | None:
    # The dialog module loads on first use, not with the window.
    from app.ui.dialogs.trigger_event_dialog import choose_save_path

    return choose_save_path(parent, suggested)
