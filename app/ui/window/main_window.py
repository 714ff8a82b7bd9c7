"""The main window: the profile bar, its views, the Sandbox dock; wired once.

Built in two steps so that a first screen paints before the rest is imported (see
app/ui/staged_start.py): `__init__` builds the frame and the page the window opens on,
importing nothing heavy (no asyncio, no controllers, no `Qt` enum namespace on the welcome
page); `attach(controllers)` builds and wires the rest, and `attach_steps` does the same
in steps that the start runs on separate loop turns. Given controllers, `__init__`
attaches them at once (the tests' and tools' way).
"""

from __future__ import annotations

import importlib
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

# What the developer view imports, heaviest first (see `attach_steps`).
_DEVELOPER_VIEW_MODULES = (
    "app.ui.models.history_model",
    "app.ui.widgets.diagnosis_card",
    "app.ui.widgets.history_pane",
    "app.ui.widgets.resend_form",
)


class MainWindow(QMainWindow):
    """Widgets only: every action goes to one of the `WindowControllers`."""

    closed = Signal()

    # Built by `attach` (the frame's own parts are set in __init__).
    controllers: WindowControllers
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
        self._build_first_page()
        if controllers is not None:
            self.attach(controllers)

    # ------------------------------------------------------------------ building
    def _build_first_page(self) -> None:
        """The page the window opens on, with what it shows of the header (and, for the
        developer view, its Sandbox dock), as `ViewSwitching` will show it."""
        kind = self.first_page
        if kind != "welcome":
            self._build_header_parts()
        if kind == "developer":
            self._build_developer_view()
            self._build_dock()
        page = self.view_stack.build_page(kind)
        self.view_stack.setCurrentWidget(page)
        self.header.show_for(kind)
        if kind == "welcome":
            self.view_stack.welcome_page.choice_made.connect(self._early_choices.append)
            self.view_stack.welcome_page.focus_first()
        elif kind == "support":
            self.view_stack.support_view.focus_field()
        else:
            self.form.username_edit.setFocus()

    def _build_header_parts(self) -> None:
        from app.ui.widgets.profile_bar import ProfileBar

        self.profile_bar = ProfileBar(self)
        # The keyring is asked only when a saved profile needs it; until then, say so.
        self.profile_bar.keyring_status_label.setText("Keyring: not asked yet")
        self.header.add_profile_bar(self.profile_bar)

    def _build_developer_view(self) -> None:
        from app.ui.models.history_model import HistoryTableModel

        self.history_model = HistoryTableModel(None, self)
        self.view_stack.build_page("developer", self.history_model)
        dev = self.view_stack.developer_view  # the form, the diagnosis card, the history
        self.form, self.history_pane, self.splitter, self.diagnosis_card = dev.parts()
        self._state.restore_form(self)

    def _build_dock(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QDockWidget

        from app.ui.widgets.sandbox_panel import SandboxPanel

        self.sandbox_panel = SandboxPanel(self)
        self.sandbox_dock = QDockWidget("Sandbox", self)
        name_widget(self.sandbox_dock, "sandboxDock")
        self.sandbox_dock.setWidget(self.sandbox_panel)
        self.sandbox_dock.hide()  # added to a shown window, it would show before the line below
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.sandbox_dock)
        WindowActions.add_dock_toggle(self.menuBar(), self.sandbox_dock.toggleViewAction())
        self._state.restore_docks(self)
        # The drawer is the developer view's, as the user left it (as ViewSwitching shows it).
        wanted = self.first_page == "developer" and self._state.sandbox_dock_wanted()
        self.sandbox_dock.setVisible(wanted)

    def attach(self, controllers: WindowControllers) -> None:
        """Build and wire the rest at once."""
        for _ in self.attach_steps(controllers):
            pass

    def attach_steps(self, controllers: WindowControllers) -> Iterator[str]:
        """Build and wire the rest; yields (what comes next) where the start may let the
        loop turn. Nothing is connected to the controllers before the last step."""
        from app.services.regions import FALLBACK_REGIONS
        from app.ui.widgets.banner import Banner
        from app.ui.widgets.banner_manager import BannerManager

        self.controllers = controllers
        # The dialogs offer these; the session replaces them with the live list.
        self.regions: list[str] = list(FALLBACK_REGIONS)
        if not self.header.has_profile_bar:
            self._build_header_parts()
        self.header.add_notice()
        # One banner, one line at a time: the keyring and problems post to channels of it.
        self.banners = BannerManager(Banner("banner", self))
        self.keyring_banner = self.banners.channel("keyring")
        self.problem_banner = self.banners.channel("problem")
        self._central.insertWidget(1, self.banners.banner)
        yield "pages"
        for kind in ("welcome", "support"):
            if not self.view_stack.has_page(kind):
                self.view_stack.build_page(kind)
                yield kind
        if not self.view_stack.has_page("developer"):
            # Its modules one a turn (10-15 ms each), then the view: no turn blocks long.
            for name in _DEVELOPER_VIEW_MODULES:
                importlib.import_module(name)
                yield name
            self._build_developer_view()
            yield "dock"
        if not hasattr(self, "sandbox_dock"):
            self._build_dock()
        yield "wiring"
        self._wire(controllers)

    def _wire(self, controllers: WindowControllers) -> None:
        from app.ui.window.diagnosis_part import DiagnosisPart
        from app.ui.window.form_flow import FormFlow
        from app.ui.window.keyring_notice import KeyringNotice
        from app.ui.window.preset_settings import load_sandbox_presets
        from app.ui.window.profile_editing import ProfileEditing
        from app.ui.window.profile_import import ProfileImport
        from app.ui.window.signup_flows import SignUpFlows
        from app.ui.window.support_flow import SupportFlow
        from app.ui.window.trigger_debugging import TriggerDebugging
        from app.ui.window.view_switching import ViewSwitching
        from app.ui.window.window_fit import fit_and_keyboard

        self.window_actions.bind_shortcuts()
        self._keyring_notice = KeyringNotice(
            controllers.session,
            self.keyring_banner,
            # The session-only fields live in the developer view's form.
            lambda: self.window_actions.toggle_view.setChecked(True),
        )
        self._profile_editing = ProfileEditing(self)
        self.profile_import = ProfileImport(self)
        self._trigger_debugging = TriggerDebugging(self)
        self.diagnosis = DiagnosisPart(self)
        self.signup_flows = SignUpFlows(self)
        self.views = ViewSwitching(self, self._state)
        self._support = SupportFlow(self)
        self._form_flow = FormFlow(self, self._settings)
        self._connect_signals()
        fit_and_keyboard(self)  # layout14 (issue 14): fits 1024 px, focus ring, shortcuts
        self._state.restore(self)
        self.views.start()
        controllers.session.set_sandbox_client(self.sandbox_panel.current_client())
        controllers.profiles.set_sandbox_presets(load_sandbox_presets(self._settings))
        self.form.set_profile(None, keyring_usable=False)
        self.window_actions.set_enabled(True)
        self.attached = True
        self._support.adopt_typed()  # what was typed into the field before it was wired
        if self.first_page == "welcome":
            self.view_stack.welcome_page.choice_made.disconnect(self._early_choices.append)
        for choice in self._early_choices:
            self.views.on_welcome_choice(choice)
        self._early_choices.clear()

    def _connect_signals(self) -> None:
        """Every connection between the widgets and the controllers, in one place."""
        c = self.controllers
        session, profiles, sending = c.session, c.profiles, c.sending
        trigger_row = self.sandbox_panel.trigger_row
        for source in (session, profiles, sending, c.trigger, c.export, c.signup):
            source.problem_reported.connect(self.report)
        for status_source in (session, c.export):
            status_source.status_changed.connect(self.status_label.setText)
        session.keyring_status_changed.connect(self._on_keyring_status)
        session.sandbox_started.connect(self._on_sandbox_started)
        session.sandbox_failed.connect(self.sandbox_panel.set_failed)
        session.services_ready.connect(self.refresh_profile_state)
        session.history_opened.connect(self.history_model.set_store)
        session.regions_loaded.connect(self._on_regions_loaded)
        profiles.profiles_changed.connect(self._on_profiles_changed)
        sending.attempt_started.connect(self._on_attempt_started)
        sending.attempt_finished.connect(self._on_attempt_finished)
        # Sign-ups and confirmations join the history and the in-flight count like sends.
        c.signup.attempt_started.connect(self._on_attempt_started)
        c.signup.attempt_finished.connect(self._on_attempt_finished)
        c.sandbox.inbox_loaded.connect(self.sandbox_panel.set_inbox)
        c.trigger.trigger_changed.connect(trigger_row.set_trigger)
        c.trigger.trigger_failed.connect(trigger_row.set_error)

        bar = self.profile_bar
        bar.profile_selected.connect(self.refresh_profile_state)
        bar.add_requested.connect(self._profile_editing.add)
        bar.edit_requested.connect(self._profile_editing.edit)
        bar.delete_requested.connect(self._profile_editing.delete)
        bar.batch_requested.connect(self.open_batch_dialog)
        self._form_flow.connect()
        trigger_row.attach_requested.connect(self._trigger_debugging.attach)
        trigger_row.detach_requested.connect(self._trigger_debugging.detach)
        self.sandbox_panel.username_chosen.connect(self._on_sandbox_user_chosen)
        self.sandbox_panel.client_chosen.connect(session.set_sandbox_client)
        self.sandbox_panel.refresh_requested.connect(c.sandbox.refresh_inbox)
        self.history_pane.rerun_requested.connect(self._on_rerun)
        self.history_pane.confirm_requested.connect(self.signup_flows.confirm_with_code)
        self.history_pane.export_requested.connect(c.export.export_history)

        self.diagnosis.connect()

        a = self.window_actions
        a.export_csv.triggered.connect(lambda: self.history_pane.export("csv"))
        a.export_json.triggered.connect(lambda: self.history_pane.export("json"))
        a.batch.triggered.connect(self.open_batch_dialog)
        a.quit.triggered.connect(self.close)
        a.preview_event.triggered.connect(self._trigger_debugging.preview)
        a.sign_up_test_user.triggered.connect(self.signup_flows.sign_up_test_user)
        a.about.triggered.connect(self._on_about)
        # Team provisioning (keyring14): File → Import profiles… / Import from an AWS account…
        a.import_profiles.triggered.connect(self.profile_import.import_file)
        a.import_from_aws.triggered.connect(self.profile_import.import_from_aws)
        c.provisioning.problem_reported.connect(self.report)
        # -- support view and first run (issue 14); its part connects as DiagnosisPart does
        a.toggle_view.toggled.connect(self.views.set_developer)
        profiles.profiles_changed.connect(self.views.on_profiles_changed)
        self.view_stack.welcome_page.choice_made.connect(self.views.on_welcome_choice)
        self._support.connect()

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
