"""How the main window is built: the page it opens on, then the rest in steps, then wired.

MainWindow's `__init__` calls `build_first_page`, its `attach_steps` the function of that
name. The building is here, the window's behaviour in main_window.py; every module of the
rest is imported inside these functions, after the first paint (app/ui/staged_start.py).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from app.ui.qt_util import name_widget
from app.ui.window.actions import WindowActions

if TYPE_CHECKING:
    from app.ui.controllers.composition import WindowControllers
    from app.ui.window.main_window import MainWindow

# What the developer view imports, heaviest first (see `attach_steps`).
_DEVELOPER_VIEW_MODULES = (
    "app.ui.models.history_model",
    "app.ui.widgets.diagnosis_card",
    "app.ui.widgets.history_pane",
    "app.ui.widgets.resend_form",
)


def build_first_page(w: MainWindow) -> None:
    """The page the window opens on, with what it shows of the header (and, for the
    developer view, its Sandbox dock), as `ViewSwitching` will show it."""
    kind = w.first_page
    if kind != "welcome":
        build_header_parts(w)
    if kind == "developer":
        build_developer_view(w)
        build_dock(w)
    page = w.view_stack.build_page(kind)
    w.view_stack.setCurrentWidget(page)
    w.header.show_for(kind)
    if kind == "welcome":
        w.view_stack.welcome_page.choice_made.connect(w._early_choices.append)
        w.view_stack.welcome_page.focus_first()
    elif kind == "support":
        w.view_stack.support_view.focus_field()
    else:
        w.form.username_edit.setFocus()


def build_header_parts(w: MainWindow) -> None:
    from app.ui.widgets.profile_bar import ProfileBar

    # The keyring is asked only when a saved profile needs it; until then, say so.
    w.profile_bar = ProfileBar(w, keyring_text="Keyring: not asked yet")
    w.header.add_profile_bar(w.profile_bar)


def build_developer_view(w: MainWindow) -> None:
    from app.ui.models.history_model import HistoryTableModel

    w.history_model = HistoryTableModel(None, w)
    w.view_stack.build_page("developer", w.history_model)
    dev = w.view_stack.developer_view  # the form, the diagnosis card, the history
    w.form, w.history_pane, w.splitter, w.diagnosis_card = dev.parts()
    w._state.restore_form(w)


def build_dock(w: MainWindow) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDockWidget

    from app.ui.widgets.sandbox_panel import SandboxPanel

    w.sandbox_panel = SandboxPanel(w)
    w.sandbox_dock = QDockWidget("Sandbox", w)
    name_widget(w.sandbox_dock, "sandboxDock")
    w.sandbox_dock.setWidget(w.sandbox_panel)
    w.sandbox_dock.hide()  # added to a shown window, it would show before the line below
    w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, w.sandbox_dock)
    WindowActions.add_dock_toggle(w.menuBar(), w.sandbox_dock.toggleViewAction())
    w._state.restore_docks(w)
    # The drawer is the developer view's, as the user left it (as ViewSwitching shows it).
    wanted = w.first_page == "developer" and w._state.sandbox_dock_wanted()
    w.sandbox_dock.setVisible(wanted)


def attach(w: MainWindow, controllers: WindowControllers) -> None:
    """Build and wire the rest at once."""
    for _ in attach_steps(w, controllers):
        pass


def attach_steps(w: MainWindow, controllers: WindowControllers) -> Iterator[str]:
    """Build and wire the rest; yields (what comes next) where the start may let the
    loop turn. Nothing is connected to the controllers before the last step."""
    from app.services.regions import FALLBACK_REGIONS
    from app.ui.widgets.banner import Banner
    from app.ui.widgets.banner_manager import BannerManager

    w.controllers = controllers
    # The dialogs offer these; the session replaces them with the live list.
    w.regions = list(FALLBACK_REGIONS)
    if not w.header.has_profile_bar:
        build_header_parts(w)
    w.header.add_notice()
    # One banner, one line at a time: the keyring and problems post to channels of it.
    w.banners = BannerManager(Banner("banner", w))
    w.keyring_banner = w.banners.channel("keyring")
    w.problem_banner = w.banners.channel("problem")
    w._central.insertWidget(1, w.banners.banner)
    yield "pages"
    for kind in ("welcome", "support"):
        if not w.view_stack.has_page(kind):
            w.view_stack.build_page(kind)
            yield kind
    w.view_stack.support_view.complete_setup()  # a first screen's: see support_view.py
    if not w.view_stack.has_page("developer"):
        # Its modules one a turn (10-15 ms each), then the view: no turn blocks long.
        for name in _DEVELOPER_VIEW_MODULES:
            importlib.import_module(name)
            yield name
        build_developer_view(w)
        yield "dock"
    if not hasattr(w, "sandbox_dock"):
        build_dock(w)
    yield "wiring"
    wire(w, controllers)


def wire(w: MainWindow, controllers: WindowControllers) -> None:
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

    w.window_actions.bind_shortcuts()
    w._keyring_notice = KeyringNotice(
        controllers.session,
        w.keyring_banner,
        # The session-only fields live in the developer view's form.
        lambda: w.window_actions.toggle_view.setChecked(True),
    )
    w._profile_editing = ProfileEditing(w)
    w.profile_import = ProfileImport(w)
    w._trigger_debugging = TriggerDebugging(w)
    w.diagnosis = DiagnosisPart(w)
    w.signup_flows = SignUpFlows(w)
    w.views = ViewSwitching(w, w._state)
    w._support = SupportFlow(w)
    w._form_flow = FormFlow(w, w._settings)
    connect_signals(w)
    fit_and_keyboard(w)  # layout14 (issue 14): fits 1024 px, focus ring, shortcuts
    w._state.restore(w)
    w.views.start()
    controllers.session.set_sandbox_client(w.sandbox_panel.current_client())
    controllers.profiles.set_sandbox_presets(load_sandbox_presets(w._settings))
    w.form.set_profile(None, keyring_usable=False)
    w.window_actions.set_enabled(True)
    w.attached = True
    w._support.adopt_typed()  # what was typed into the field before it was wired
    if w.first_page == "welcome":
        w.view_stack.welcome_page.choice_made.disconnect(w._early_choices.append)
    for choice in w._early_choices:
        w.views.on_welcome_choice(choice)
    w._early_choices.clear()


def connect_signals(w: MainWindow) -> None:
    """Every connection between the widgets and the controllers, in one place."""
    c = w.controllers
    session, profiles, sending = c.session, c.profiles, c.sending
    trigger_row = w.sandbox_panel.trigger_row
    for source in (session, profiles, sending, c.trigger, c.export, c.signup):
        source.problem_reported.connect(w.report)
    for status_source in (session, c.export):
        status_source.status_changed.connect(w.status_label.setText)
    session.keyring_status_changed.connect(w._on_keyring_status)
    session.sandbox_started.connect(w._on_sandbox_started)
    session.sandbox_failed.connect(w.sandbox_panel.set_failed)
    session.services_ready.connect(w.refresh_profile_state)
    session.history_opened.connect(w.history_model.set_store)
    session.regions_loaded.connect(w._on_regions_loaded)
    profiles.profiles_changed.connect(w._on_profiles_changed)
    sending.attempt_started.connect(w._on_attempt_started)
    sending.attempt_finished.connect(w._on_attempt_finished)
    # Sign-ups and confirmations join the history and the in-flight count like sends.
    c.signup.attempt_started.connect(w._on_attempt_started)
    c.signup.attempt_finished.connect(w._on_attempt_finished)
    c.sandbox.inbox_loaded.connect(w.sandbox_panel.set_inbox)
    c.trigger.trigger_changed.connect(trigger_row.set_trigger)
    c.trigger.trigger_failed.connect(trigger_row.set_error)

    bar = w.profile_bar
    bar.profile_selected.connect(w.refresh_profile_state)
    bar.add_requested.connect(w._profile_editing.add)
    bar.edit_requested.connect(w._profile_editing.edit)
    bar.delete_requested.connect(w._profile_editing.delete)
    bar.batch_requested.connect(w.open_batch_dialog)
    w._form_flow.connect()
    trigger_row.attach_requested.connect(w._trigger_debugging.attach)
    trigger_row.detach_requested.connect(w._trigger_debugging.detach)
    w.sandbox_panel.username_chosen.connect(w._on_sandbox_user_chosen)
    w.sandbox_panel.client_chosen.connect(session.set_sandbox_client)
    w.sandbox_panel.refresh_requested.connect(c.sandbox.refresh_inbox)
    w.history_pane.rerun_requested.connect(w._on_rerun)
    w.history_pane.confirm_requested.connect(w.signup_flows.confirm_with_code)
    w.history_pane.export_requested.connect(c.export.export_history)

    w.diagnosis.connect()

    a = w.window_actions
    a.export_csv.triggered.connect(lambda: w.history_pane.export("csv"))
    a.export_json.triggered.connect(lambda: w.history_pane.export("json"))
    a.batch.triggered.connect(w.open_batch_dialog)
    a.quit.triggered.connect(w.close)
    a.preview_event.triggered.connect(w._trigger_debugging.preview)
    a.sign_up_test_user.triggered.connect(w.signup_flows.sign_up_test_user)
    a.about.triggered.connect(w._on_about)
    # Team provisioning (keyring14): File → Import profiles… / Import from an AWS account…
    a.import_profiles.triggered.connect(w.profile_import.import_file)
    a.import_from_aws.triggered.connect(w.profile_import.import_from_aws)
    c.provisioning.problem_reported.connect(w.report)
    # -- support view and first run (issue 14); its part connects as DiagnosisPart does
    a.toggle_view.toggled.connect(w.views.set_developer)
    profiles.profiles_changed.connect(w.views.on_profiles_changed)
    w.view_stack.welcome_page.choice_made.connect(w.views.on_welcome_choice)
    w._support.connect()
