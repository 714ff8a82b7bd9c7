"""The window's top: the profile bar with the view toggle beside it, the Sandbox notice under."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QToolButton, QWidget

from app.ui.qt_util import name_widget
from app.ui.widgets.profile_bar import ProfileBar
from app.ui.widgets.sandbox_notice import SandboxNotice


class WindowHeader(QWidget):
    """Composes the given profile bar, the `viewToggle` button and the `sandboxNotice`."""

    def __init__(self, profile_bar: ProfileBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "windowHeader")
        self.profile_bar = profile_bar
        self.view_toggle = QToolButton(self)
        name_widget(self.view_toggle, "viewToggle")
        self.view_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.sandbox_notice = SandboxNotice(self)
        # Column 1 is empty: it takes the slack when the bar shows only its chooser.
        self._grid = layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(profile_bar, 0, 0)
        layout.addWidget(self.view_toggle, 0, 2, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.sandbox_notice, 1, 0, 1, 3)
        layout.setColumnStretch(0, 1)

    def show_for(self, page: str) -> None:
        """ "welcome": no profile bar, no notice (nothing is chosen yet); "support": the
        profile chooser and Add only — the endpoint, keyring and batch are the developer's;
        "developer": everything."""
        bar = self.profile_bar
        bar.setVisible(page != "welcome")
        self.sandbox_notice.set_suppressed(page == "welcome")
        developer = page == "developer"
        for part in (
            bar.profile_info,
            bar.keyring_status_label,
            bar.batch_button,
            bar.edit_profile_button,
            bar.delete_profile_button,
        ):
            part.setVisible(developer)
        self._grid.setColumnStretch(0, 1 if developer else 0)
        self._grid.setColumnStretch(1, 0 if developer else 1)
