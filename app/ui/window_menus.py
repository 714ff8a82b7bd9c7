"""The main window's menus and the actions behind them: export, batch, preview, about."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from app import APP_NAME
from app.ui.about import show_about
from app.ui.qt_util import async_slot
from app.ui.window_parts import WindowParts

if TYPE_CHECKING:
    from app.ui.batch_dialog import BatchDialog

log = logging.getLogger(__name__)


class MenusMixin(WindowParts):
    """Builds the menu bar; the dialogs it opens are built on first use."""

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
        from app.ui.trigger_event_dialog import TriggerEventDialog

        self.event_dialog = TriggerEventDialog(
            preview, extra_note=extra, choose_path=self.choose_event_path, parent=self
        )
        self.event_dialog.show()

    def _on_about(self) -> None:
        show_about(self, self._keyring_backend, self._log_file)

    def open_batch_dialog(self) -> BatchDialog:
        """Show the (non-modal) batch window; its committed rows appear in the history."""
        from app.ui.batch_controller import BatchController
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
