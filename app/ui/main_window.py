"""The main window: profiles bar, resend form, history pane and the Sandbox dock."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app import APP_NAME
from app.core.outcome import Attempt
from app.core.presets import NOT_ENCRYPTED_WARNING
from app.core.profile import MetadataPreset, Profile
from app.services.regions import FALLBACK_REGIONS
from app.ui.about import show_about
from app.ui.banner import Banner
from app.ui.batch_controller import BatchController
from app.ui.controller import ResendController, SendRequest
from app.ui.history_model import HistoryTableModel
from app.ui.history_pane import HistoryPane
from app.ui.preset_settings import load_sandbox_presets, save_sandbox_presets, should_warn_now
from app.ui.resend_form import ResendForm
from app.ui.sandbox_panel import SandboxPanel
from app.ui.trigger_event_dialog import SavePathChooser, TriggerEventDialog, choose_save_path

if TYPE_CHECKING:
    from app.sandbox.model import SandboxInfo
    from app.services.secret_store import KeyringStatus
    from app.ui.batch_dialog import BatchDialog

log = logging.getLogger(__name__)

_F = TypeVar("_F", bound=Callable[..., Any])


def async_slot(fn: _F) -> _F:
    """qasync's asyncSlot with its type kept (qasync ships no type hints)."""
    return cast(_F, asyncSlot()(fn))


def _name(widget: QWidget, name: str) -> None:
    widget.setObjectName(name)
    widget.setAccessibleName(name)


class MainWindow(QMainWindow):
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
        _name(self, "mainWindow")
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
        self.choose_event_path: SavePathChooser = choose_save_path
        self.setWindowTitle(APP_NAME)
        if icon is not None and not icon.isNull():
            self.setWindowIcon(icon)

        self._build_profile_bar()
        self.keyring_banner = Banner("keyringBanner", self)
        self.problem_banner = Banner("problemBanner", self)

        self.form = ResendForm(self)
        _name(self.form, "resendForm")
        form_scroll = QScrollArea(self)
        form_scroll.setWidgetResizable(True)
        # The form reflows to the pane's width; only vertical scrolling makes sense.
        form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        form_scroll.setWidget(self.form)
        form_scroll.setMinimumWidth(360)

        self.history_model = HistoryTableModel(None, self)
        self.history_pane = HistoryPane(self.history_model, self)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        _name(self.splitter, "mainSplitter")
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
        _name(self.sandbox_dock, "sandboxDock")
        self.sandbox_dock.setWidget(self.sandbox_panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.sandbox_dock)

        self.status_label = QLabel("Starting…", self)
        _name(self.status_label, "statusLabel")
        self.statusBar().addWidget(self.status_label, 1)
        self.in_flight_label = QLabel("", self)
        _name(self.in_flight_label, "inFlightLabel")
        self.statusBar().addPermanentWidget(self.in_flight_label)

        self._build_menus()
        self._connect()
        self._restore_settings()
        self.form.set_profile(None, keyring_usable=False)

    # ------------------------------------------------------------------ building
    def _build_profile_bar(self) -> None:
        self.profile_selector = QComboBox(self)
        _name(self.profile_selector, "profileSelector")
        self.profile_selector.setMinimumWidth(200)
        self.profile_selector.setToolTip("The app client to send through.")
        self.profile_selector.setPlaceholderText("Loading profiles…")
        self.add_profile_button = QPushButton("Add…", self)
        _name(self.add_profile_button, "addProfileButton")
        self.edit_profile_button = QPushButton("Edit…", self)
        _name(self.edit_profile_button, "editProfileButton")
        self.delete_profile_button = QPushButton("Delete", self)
        _name(self.delete_profile_button, "deleteProfileButton")
        for b in (self.add_profile_button, self.edit_profile_button, self.delete_profile_button):
            b.setEnabled(False)
        self.profile_info = QLabel(self)
        _name(self.profile_info, "profileInfoLabel")
        self.profile_info.setStyleSheet("color: palette(mid);")
        self.keyring_status_label = QLabel("Keyring: checking…", self)
        _name(self.keyring_status_label, "keyringStatusLabel")

        bar = QHBoxLayout()
        bar.addWidget(QLabel("<b>Profile</b>", self))
        bar.addWidget(self.profile_selector)
        bar.addWidget(self.add_profile_button)
        bar.addWidget(self.edit_profile_button)
        bar.addWidget(self.delete_profile_button)
        self.batch_button = QPushButton("Batch…", self)
        _name(self.batch_button, "batchButton")
        self.batch_button.setToolTip("Resend to many users with this profile (Ctrl+B)")
        bar.addWidget(self.batch_button)
        bar.addWidget(self.profile_info, 1)
        bar.addWidget(self.keyring_status_label)
        self._profile_bar = bar

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        for fmt in ("csv", "json"):
            act = QAction(f"Export history as {fmt.upper()}…", self)
            act.triggered.connect(lambda _=False, f=fmt: self.history_pane.export(f))
            file_menu.addAction(act)
        batch_action = QAction("&Batch resend…", self)
        batch_action.setObjectName("batchAction")
        batch_action.setShortcut(QKeySequence("Ctrl+B"))
        batch_action.triggered.connect(self.open_batch_dialog)
        file_menu.addAction(batch_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.sandbox_dock.toggleViewAction())
        tools_menu = self.menuBar().addMenu("&Tools")
        self.preview_event_action = QAction("Preview trigger &event…", self)
        self.preview_event_action.setObjectName("previewTriggerEventAction")
        self.preview_event_action.setShortcut(QKeySequence("Ctrl+E"))
        self.preview_event_action.triggered.connect(self._on_preview_event)
        tools_menu.addAction(self.preview_event_action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction(f"&About {APP_NAME}", self)
        about.triggered.connect(self._on_about)
        help_menu.addAction(about)

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

    # ------------------------------------------------------------------ settings
    def _restore_settings(self) -> None:
        s = self._settings
        geometry = s.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 780)
        state = s.value("window/state")
        if state is not None:
            self.restoreState(state)
        else:
            # Wide enough for the users' "Delivers to" column on first run.
            self.resizeDocks([self.sandbox_dock], [340], Qt.Orientation.Horizontal)
        splitter = s.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        else:
            self.splitter.setSizes([430, 560])
        pane = s.value("window/history")
        if pane is not None:
            try:
                self.history_pane.restoreState(bytes(pane))
            except Exception:  # a layout from another version is not worth an error
                log.info("ignoring saved history layout")
        self.form.set_username(str(s.value("form/username", "") or ""))
        self.sandbox_panel.set_client(str(s.value("sandbox/client", "public")))
        self.controller.set_sandbox_client(self.sandbox_panel.current_client())
        self.controller.set_sandbox_presets(load_sandbox_presets(s))

    def save_settings(self) -> None:
        s = self._settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/history", self.history_pane.saveState())
        profile = self.current_profile_name()
        if profile:
            s.setValue("profile/last", profile)
        s.setValue("form/username", self.form.username_edit.text())
        s.setValue("sandbox/client", self.sandbox_panel.current_client())
        s.sync()

    # ------------------------------------------------------------------ helpers
    def current_profile_name(self) -> str | None:
        data = self.profile_selector.currentData()
        return str(data) if data else None

    def current_profile(self) -> Profile | None:
        name = self.current_profile_name()
        return self.controller.profile(name) if name else None

    def select_profile(self, name: str) -> bool:
        index = self.profile_selector.findData(name)
        if index >= 0:
            self.profile_selector.setCurrentIndex(index)
        return index >= 0

    def _refresh_profile_state(self) -> None:
        profile = self.current_profile()
        ready = self.controller.ready
        self.form.set_profile(profile, keyring_usable=self.controller.keyring_usable)
        self.form.set_ready(ready)
        editable = ready and profile is not None and not profile.builtin
        self.edit_profile_button.setEnabled(editable)
        self.delete_profile_button.setEnabled(editable)
        self.add_profile_button.setEnabled(ready)
        if profile is None:
            self.profile_info.setText("")
        else:
            where = profile.endpoint_url or "AWS"
            self.profile_info.setText(f"{profile.region} · {where}")
        self.sandbox_panel.client_combo.setEnabled(True)
        if self.batch_dialog is not None:
            self.batch_dialog.refresh_profile()

    def _report(self, title: str, text: str, level: str = "error") -> None:
        self.problem_banner.show_message(title, text, level)
        self.status_label.setText(title)

    # ------------------------------------------------------------------ controller signals
    def _on_attempt_started(self, attempt: Attempt) -> None:
        self.history_model.add_pending(attempt)
        self.history_pane.select_attempt(attempt.attempt_id)
        self._update_in_flight(+1)

    def _on_attempt_finished(self, attempt: Attempt) -> None:
        self.history_model.update_attempt(attempt)
        self.history_pane.select_attempt(attempt.attempt_id)
        self._update_in_flight(-1)
        self.status_label.setText(f"{attempt.username}: {attempt.outcome_label}")

    def _update_in_flight(self, delta: int) -> None:
        n = max(0, self._in_flight + delta)
        self._in_flight = n
        self.in_flight_label.setText(f"{n} in flight" if n else "")

    def _on_profiles_changed(self, profiles: list[Profile]) -> None:
        wanted = self.current_profile_name() or str(self._settings.value("profile/last", "") or "")
        self.profile_selector.blockSignals(True)
        self.profile_selector.clear()
        for p in profiles:
            label = f"{p.name} (built-in)" if p.builtin else p.name
            self.profile_selector.addItem(label, p.name)
        self.profile_selector.blockSignals(False)
        if not (wanted and self.select_profile(wanted)) and profiles:
            self.profile_selector.setCurrentIndex(0)
        self._refresh_profile_state()

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
        try:
            await self.controller.begin_send(request)
        except Exception as exc:
            log.exception("could not start the send")
            self._report("Send failed", f"{type(exc).__name__}: {exc}")
        else:
            self.problem_banner.hide()
        finally:
            self.form.set_busy(False)

    def _on_profile_selected(self, _index: int) -> None:
        self._refresh_profile_state()

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

    @async_slot
    async def _on_add_profile(self) -> None:
        await self._edit_profile(None)

    @async_slot
    async def _on_edit_profile(self) -> None:
        profile = self.current_profile()
        if profile is not None and not profile.builtin:
            await self._edit_profile(profile)

    async def _edit_profile(self, existing: Profile | None) -> None:
        from app.ui.profile_dialog import ProfileDialog

        button = self.edit_profile_button if existing else self.add_profile_button
        button.setEnabled(False)
        try:
            client_id = ""
            if existing is not None:
                client_id = await self.controller.stored_client_id(existing.name) or ""
            dialog = ProfileDialog(
                self._regions,
                existing=existing,
                client_id=client_id,
                taken_names=[p.name for p in self.controller.profiles()],
                keyring_usable=self.controller.keyring_usable,
                parent=self,
            )
            self.controller.regions_loaded.connect(dialog.set_regions)
            accepted = await _dialog_result(dialog)
            if not accepted:
                return
            edit = dialog.result_edit()
            if await self.controller.save_profile(edit):
                self.select_profile(edit.profile.name)
        except Exception as exc:
            log.exception("profile dialog failed")
            self._report("Could not save the profile", str(exc))
        finally:
            self._refresh_profile_state()

    @async_slot
    async def _on_delete_profile(self) -> None:
        profile = self.current_profile()
        if profile is None or profile.builtin:
            return
        if not self.confirm(
            "Delete profile",
            f"Delete profile “{profile.name}” and its client ID and secret from the keyring?",
        ):
            return
        self.delete_profile_button.setEnabled(False)
        try:
            await self.controller.delete_profile(profile.name)
        except Exception as exc:
            self._report("Could not delete the profile", str(exc))
        finally:
            self._refresh_profile_state()

    # ------------------------------------------------------------------ trigger debugging
    @async_slot
    async def _on_preview_event(self) -> None:
        """Build the event for the form as it is now and show it (the build runs off-thread)."""
        name = self.current_profile_name()
        if not name:
            return
        self.preview_event_action.setEnabled(False)
        try:
            preview = await self.controller.preview_event(
                name, self.form.values(), self.form.session_credentials()
            )
        finally:
            self.preview_event_action.setEnabled(True)
        if preview is None:
            return
        client_id = preview.event["callerContext"]["clientId"]
        placeholder = client_id.startswith("<")
        extra = "callerContext.clientId (not in the keyring)." if placeholder else None
        if self.event_dialog is not None:
            self.event_dialog.close()
        self.event_dialog = TriggerEventDialog(
            preview, extra_note=extra, choose_path=self.choose_event_path, parent=self
        )
        self.event_dialog.show()

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

    def _on_about(self) -> None:
        show_about(self, self._keyring_backend, self._log_file)

    def open_batch_dialog(self) -> BatchDialog:
        """Show the (non-modal) batch window; its committed rows appear in the history."""
        from app.ui.batch_dialog import BatchDialog
        from app.ui.history_feed import show_recorded

        if self.batch_dialog is None:
            batch = BatchController(self.controller, parent=self)
            dialog = BatchDialog(
                batch,
                self.current_profile,
                form_metadata=lambda: tuple(self.form.values().client_metadata),
                session_credentials=self.form.session_credentials,
                parent=self,
            )
            batch.rows_recorded.connect(lambda rows: show_recorded(self.history_model, rows))
            batch.start_failed.connect(self._report)
            # The sandbox inbox shows the codes a batch issued, as it does after a send.
            batch.finished.connect(lambda _summary: self.controller.refresh_inbox())
            dialog.show_in_history_requested.connect(self.history_pane.show_batch)
            self.batch_dialog = dialog
        self.batch_dialog.show()
        self.batch_dialog.raise_()
        self.batch_dialog.activateWindow()
        return self.batch_dialog

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


async def _dialog_result(dialog: Any) -> bool:
    """Show a dialog window-modally and await its answer without a nested event loop."""
    import asyncio

    done: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def on_finished(code: int) -> None:
        if not done.done():
            done.set_result(code)

    dialog.finished.connect(on_finished)
    dialog.open()
    try:
        return bool(await done == 1)
    finally:
        dialog.deleteLater()
