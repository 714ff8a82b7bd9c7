"""The main window: profiles bar, resend form, history pane and the Sandbox dock."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.core.presets import NOT_ENCRYPTED_WARNING
from app.core.profile import MetadataPreset
from app.services.regions import FALLBACK_REGIONS
from app.ui.banner import Banner
from app.ui.controller import ResendController, SendRequest
from app.ui.history_model import HistoryTableModel
from app.ui.history_pane import HistoryPane
from app.ui.preset_settings import save_sandbox_presets, should_warn_now
from app.ui.qt_util import async_slot, name_widget
from app.ui.resend_form import ResendForm
from app.ui.sandbox_panel import SandboxPanel
from app.ui.window_menus import MenusMixin
from app.ui.window_profile_bar import ProfileBarMixin
from app.ui.window_settings import WindowSettingsMixin

if TYPE_CHECKING:
    from app.core.outcome import Attempt
    from app.sandbox.model import SandboxInfo
    from app.services.secret_store import KeyringStatus
    from app.ui.batch_dialog import BatchDialog
    from app.ui.trigger_event_dialog import SavePathChooser, TriggerEventDialog

log = logging.getLogger(__name__)


class MainWindow(ProfileBarMixin, MenusMixin, WindowSettingsMixin, QMainWindow):
    """Widgets only: every action goes to the `ResendController`."""

    closed = Signal()

    def __init__(
        self,
        controller: ResendController,
        settings: QSettings,
        *,
        log_file: str = "",
        icon: QIcon | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        name_widget(self, "mainWindow")
        self.controller = controller
        self._settings = settings
        self._log_file = log_file
        self._regions: list[str] = list(FALLBACK_REGIONS)
        self._keyring_backend = "(checking…)"
        self._in_flight = 0
        # Built on first use (File → Batch resend…) and kept: it shows the last batch.
        self.batch_dialog: BatchDialog | None = None
        # Replaced by tests and automation to answer without a modal box.
        self.confirm = self._ask_yes_no
        self.inform: Callable[[str, str], None] = self._show_info
        self.event_dialog: TriggerEventDialog | None = None
        # Replaced by tests to save a test event without a file dialog.
        self.choose_event_path: SavePathChooser = _choose_save_path
        # The send the user started from the form, while its attempt is being registered,
        # and the attempt of the last one: only those may move the history's selection.
        self._form_request: SendRequest | None = None
        self._own_attempt_id: str | None = None
        self.setWindowTitle(APP_NAME)
        if icon is not None and not icon.isNull():
            self.setWindowIcon(icon)

        self._build_profile_bar()
        self.keyring_banner = Banner("keyringBanner", self)
        self.problem_banner = Banner("problemBanner", self)

        self.form = ResendForm(self)
        name_widget(self.form, "resendForm")
        form_scroll = QScrollArea(self)
        form_scroll.setWidgetResizable(True)
        # The form reflows to the pane's width; only vertical scrolling makes sense.
        form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        form_scroll.setWidget(self.form)
        form_scroll.setMinimumWidth(360)

        self.history_model = HistoryTableModel(None, self)
        self.history_pane = HistoryPane(self.history_model, self)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        name_widget(self.splitter, "mainSplitter")
        self.splitter.addWidget(form_scroll)
        self.splitter.addWidget(self.history_pane)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 6, 8, 4)
        layout.addLayout(self._profile_bar)
        layout.addWidget(self.keyring_banner)
        layout.addWidget(self.problem_banner)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.sandbox_panel = SandboxPanel(self)
        self.sandbox_dock = QDockWidget("Sandbox", self)
        name_widget(self.sandbox_dock, "sandboxDock")
        self.sandbox_dock.setWidget(self.sandbox_panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.sandbox_dock)

        self.status_label = QLabel("Starting…", self)
        name_widget(self.status_label, "statusLabel")
        self.statusBar().addWidget(self.status_label, 1)
        self.in_flight_label = QLabel("", self)
        name_widget(self.in_flight_label, "inFlightLabel")
        self.statusBar().addPermanentWidget(self.in_flight_label)

        self._build_menus()
        self._connect()
        self._restore_settings()
        self.form.set_profile(None, keyring_usable=False)

    def _connect(self) -> None:
        c = self.controller
        c.attempt_started.connect(self._on_attempt_started)
        c.attempt_finished.connect(self._on_attempt_finished)
        c.profiles_changed.connect(self._on_profiles_changed)
        c.keyring_status_changed.connect(self._on_keyring_status)
        c.sandbox_started.connect(self._on_sandbox_started)
        c.sandbox_failed.connect(self.sandbox_panel.set_failed)
        c.services_ready.connect(self._on_services_ready)
        c.history_opened.connect(self.history_model.set_store)
        c.regions_loaded.connect(self._on_regions_loaded)
        c.inbox_loaded.connect(self.sandbox_panel.set_inbox)
        c.status_changed.connect(self.status_label.setText)
        c.problem_reported.connect(self._on_problem)
        c.trigger_changed.connect(self.sandbox_panel.trigger_row.set_trigger)
        c.trigger_failed.connect(self.sandbox_panel.trigger_row.set_error)
        self.sandbox_panel.trigger_row.attach_requested.connect(self._on_trigger_attach)
        self.sandbox_panel.trigger_row.detach_requested.connect(self._on_trigger_detach)
        self.form.presets.presets_edited.connect(self._on_presets_edited)

        self.form.send_requested.connect(self._on_send_clicked)
        self.profile_selector.currentIndexChanged.connect(self._on_profile_selected)
        self.add_profile_button.clicked.connect(self._on_add_profile)
        self.edit_profile_button.clicked.connect(self._on_edit_profile)
        self.delete_profile_button.clicked.connect(self._on_delete_profile)
        self.sandbox_panel.username_chosen.connect(self._on_sandbox_user_chosen)
        self.sandbox_panel.client_chosen.connect(c.set_sandbox_client)
        self.sandbox_panel.refresh_requested.connect(c.refresh_inbox)
        self.history_pane.rerun_requested.connect(self._on_rerun)
        self.history_pane.export_requested.connect(c.export_history)
        self.batch_button.clicked.connect(self.open_batch_dialog)

    # ------------------------------------------------------------------ helpers
    def _report(self, title: str, text: str, level: str = "error") -> None:
        self.problem_banner.show_message(title, text, level)
        self.status_label.setText(title)

    # ------------------------------------------------------------------ controller signals
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
        request = self._form_request
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
        mark = "✔" if status.usable else "⚠"
        self.keyring_status_label.setText(f"Keyring: {status.backend_name} {mark}")
        self.keyring_status_label.setToolTip(status.message)
        if status.usable:
            self.keyring_banner.hide()
        else:
            problem = getattr(status.problem, "value", "")
            title = "Keyring locked" if problem == "locked" else "No usable keyring"
            text = status.message
            if "session" not in text:
                text += (
                    " The Sandbox profile still works; for other profiles, type the client ID "
                    "(and secret) in the form for this session only. Nothing secret is "
                    "written to disk."
                )
            self.keyring_banner.show_message(title, text)
        self._refresh_profile_state()

    def _on_sandbox_started(self, info: SandboxInfo) -> None:
        self.sandbox_panel.set_info(info)
        self.controller.refresh_inbox()
        self.controller.refresh_trigger()

    def _on_services_ready(self) -> None:
        self._refresh_profile_state()

    def _on_regions_loaded(self, regions: list[str]) -> None:
        self._regions = regions

    def _on_problem(self, title: str, text: str) -> None:
        self._report(title, text)

    # ------------------------------------------------------------------ user actions
    @async_slot
    async def _on_send_clicked(self) -> None:
        """Collect the form, hand it to the controller, free the button once it is pending."""
        name = self.current_profile_name()
        if not name or not self.form.is_valid():
            return
        request = SendRequest(name, self.form.values(), self.form.session_credentials())
        self.form.set_busy(True)
        self._form_request = request
        try:
            await self.controller.begin_send(request)
        except Exception as exc:
            log.exception("could not start the send")
            self._report("Send failed", f"{type(exc).__name__}: {exc}")
        else:
            self.problem_banner.hide()
        finally:
            self._form_request = None
            self.form.set_busy(False)

    def _on_sandbox_user_chosen(self, username: str) -> None:
        self.form.set_username(username)
        self.form.username_edit.setFocus()

    def _on_rerun(self, attempt: Attempt) -> None:
        if not self.select_profile(attempt.profile):
            self._report("Profile not found", f"Profile “{attempt.profile}” no longer exists.")
            return
        self.form.fill_from_attempt(attempt)
        self.form.revalidate()
        if self.form.send_button.isEnabled():
            self.form.send_requested.emit()

    # ------------------------------------------------------------------ trigger debugging
    @async_slot
    async def _on_trigger_attach(self, spec: str) -> None:
        row = self.sandbox_panel.trigger_row
        row.set_busy(True)
        try:
            await self.controller.attach_trigger(spec)
        finally:
            row.set_busy(False)

    @async_slot
    async def _on_trigger_detach(self) -> None:
        row = self.sandbox_panel.trigger_row
        row.set_busy(True)
        try:
            await self.controller.attach_trigger(None)
        finally:
            row.set_busy(False)

    @async_slot
    async def _on_presets_edited(self, presets: tuple[MetadataPreset, ...]) -> None:
        """Store the current profile's presets; the first time ever, say they are not secret."""
        profile = self.current_profile()
        if profile is None:
            return
        if should_warn_now(self._settings):
            self.inform("ClientMetadata is not encrypted", NOT_ENCRYPTED_WARNING)
        if await self.controller.save_presets(profile.name, presets) and profile.builtin:
            save_sandbox_presets(self._settings, presets)

    def _show_info(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=self)
        box.setObjectName("presetWarningBox")
        box.open()  # not exec(): the save goes on while the note is read

    def _ask_yes_no(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event: QCloseEvent) -> None:
        dialog = self.batch_dialog
        if dialog is not None and dialog.batch.running:
            if not self.confirm(
                "Cancel the batch and quit?",
                "A batch is running. Quit anyway? No new call starts; calls in flight finish "
                "and are recorded in the history before the app closes.",
            ):
                event.ignore()
                return
            # The controller's close waits for the batch's calls in flight.
            dialog.cancel_batch()
        if dialog is not None:
            dialog.hide()
        self.save_settings()
        self.form.set_ready(False)
        super().closeEvent(event)
        self.closed.emit()


def _choose_save_path(parent: QWidget, suggested: str) -> str | None:
    # The dialog module loads on first use, not with the window.
    from app.ui.trigger_event_dialog import choose_save_path

    return choose_save_path(parent, suggested)
