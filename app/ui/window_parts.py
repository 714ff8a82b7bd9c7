"""What the main window's parts (profile bar, menus, settings) may use of the window."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QDockWidget, QMainWindow, QSplitter

    from app.core.profile import Profile
    from app.ui.batch_dialog import BatchDialog
    from app.ui.controller import ResendController
    from app.ui.history_model import HistoryTableModel
    from app.ui.history_pane import HistoryPane
    from app.ui.resend_form import ResendForm
    from app.ui.sandbox_panel import SandboxPanel
    from app.ui.trigger_event_dialog import SavePathChooser, TriggerEventDialog

    _Base = QMainWindow
else:
    _Base = object


class WindowParts(_Base):
    """The attributes and methods MainWindow provides to its mixins (declared, not set)."""

    controller: ResendController
    form: ResendForm
    history_model: HistoryTableModel
    history_pane: HistoryPane
    sandbox_panel: SandboxPanel
    sandbox_dock: QDockWidget
    splitter: QSplitter
    batch_dialog: BatchDialog | None
    event_dialog: TriggerEventDialog | None
    choose_event_path: SavePathChooser
    confirm: Callable[[str, str], bool]
    _settings: QSettings
    _regions: list[str]
    _keyring_backend: str
    _log_file: str
    _report: Callable[..., None]
    current_profile_name: Callable[[], str | None]
    current_profile: Callable[[], Profile | None]
