"""The batch window's input box: the pasted or imported users and what their check found."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.profile import Profile
from app.core.words import counted
from app.ui.models.batch_input import InputSummary
from app.ui.qt_util import name_widget, read_only_table
from app.ui.widgets.compact_table import compact_rows


class BatchInputBox(QGroupBox):
    """The users to send to and the input's problems; the dialog reacts to its widgets."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Users", parent)
        self.profile_label = QLabel(self)
        name_widget(self.profile_label, "batchProfileLabel")
        self.input_edit = QPlainTextEdit(self)
        name_widget(self.input_edit, "batchInputEdit")
        # Usernames never hold a tab: Tab moves on to the next field, as everywhere else.
        self.input_edit.setTabChangesFocus(True)
        self.input_edit.setMinimumHeight(3 * self.input_edit.fontMetrics().lineSpacing() + 12)
        self.input_edit.setPlaceholderText(
            "One username per line, or paste CSV with a 'username' header row "
            "(optional 'metadata' JSON and 'metadata.KEY' columns)."
        )
        self.import_button = QPushButton("Import CSV…", self)
        name_widget(self.import_button, "batchImportButton")
        self.source_label = QLabel("", self)
        name_widget(self.source_label, "batchSourceLabel")
        self.metadata_check = QCheckBox(
            "Use the form's client metadata for rows without their own", self
        )
        name_widget(self.metadata_check, "batchFormMetadataCheck")
        self.duplicates_check = QCheckBox(
            "Also send duplicate rows (each burns one more of that user's attempts)", self
        )
        name_widget(self.duplicates_check, "batchSendDuplicatesCheck")
        self.check_label = QLabel("Paste usernames or import a file.", self)
        name_widget(self.check_label, "batchCheckLabel")
        self.check_label.setWordWrap(True)
        self.problems_table = QTableWidget(0, 3, self)
        name_widget(self.problems_table, "batchProblemsTable")
        self.problems_table.setHorizontalHeaderLabels(["Line", "Username / row", "Problem"])
        read_only_table(self.problems_table)
        self.problems_table.setMinimumHeight(3 * compact_rows(self.problems_table))
        self.problems_table.setMaximumHeight(6 * compact_rows(self.problems_table))
        self._check: InputSummary | None = None
        # The counts say what will be sent, so they follow the duplicates box.
        self.duplicates_check.toggled.connect(self._show_counts)

        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addWidget(self.source_label, 1)
        v = QVBoxLayout(self)
        v.addWidget(self.profile_label)
        v.addWidget(self.input_edit, 1)
        v.addLayout(row)
        v.addWidget(self.metadata_check)
        v.addWidget(self.duplicates_check)
        v.addWidget(self.check_label)
        v.addWidget(self.problems_table)

    def show_profile(self, profile: Profile | None) -> None:
        if profile is None:
            self.profile_label.setText("Profile: none selected (choose one in the main window)")
        else:
            where = profile.endpoint_url or "AWS"
            self.profile_label.setText(
                f"Profile: <b>{profile.name}</b> · {profile.region} · {where} "
                "(change it in the main window)"
            )

    def show_file(self, path: str) -> None:
        """Rows come from `path` (streamed, never loaded into the text box)."""
        self.input_edit.blockSignals(True)
        self.input_edit.clear()
        self.input_edit.blockSignals(False)
        self.source_label.setText(f"From file: {path} (type in the box to paste instead)")

    def show_check(self, check: InputSummary) -> None:
        self._check = check
        table = self.problems_table
        table.setRowCount(0)
        if check.fatal:
            self.check_label.setText(f"Nothing can be sent: {check.fatal}")
            return
        shown = check.problems
        table.setRowCount(len(shown))
        for r, p in enumerate(shown):
            cells = (str(p.line), p.text, p.reason)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(r, c, item)
        self._show_counts()

    def _show_counts(self) -> None:
        check = self._check
        if check is None or check.fatal:
            return
        text = check_words(check, self.duplicates_check.isChecked())
        more = check.bad + check.duplicates - len(check.problems)
        if more > 0:
            text += f" The first {len(check.problems):,} problems are listed; {more:,} more."
        self.check_label.setText(text)


def check_words(check: InputSummary, include_duplicates: bool) -> str:
    """'19 valid rows will be sent. 1 duplicate is skipped. 1 bad row is not sent.'

    The first number is the one on the Send button: valid rows are the rows that go out.
    """
    to_send = check.to_send(include_duplicates)
    parts = [f"{counted(to_send, 'valid row')} will be sent"]
    if check.duplicates and include_duplicates:
        parts[0] += f", {counted(check.duplicates, 'duplicate')} included"
    elif check.duplicates:
        verb = "is" if check.duplicates == 1 else "are"
        parts.append(f"{counted(check.duplicates, 'duplicate')} {verb} skipped")
    if check.bad:
        verb = "is" if check.bad == 1 else "are"
        parts.append(f"{counted(check.bad, 'bad row')} {verb} not sent (listed below)")
    return ". ".join(parts) + "."
