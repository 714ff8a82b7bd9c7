"""Words a person reads (issue 14 item 10): plurals, empty states, who said what."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.core.errors import decode
from app.core.outcome import Attempt
from app.core.profile import Profile
from app.services.history_store import HistoryFilter, HistoryStore
from app.ui.models.history_model import HistoryTableModel
from app.ui.widgets.details_panel import DetailsPanel
from app.ui.widgets.history_pane import NO_ATTEMPTS_TEXT, HistoryPane, no_match_text
from app.ui.widgets.metadata_table import MetadataTable
from app.ui.widgets.resend_form import ResendForm
from app.ui.widgets.sandbox_panel import INBOX_EMPTY_TEXT, SandboxPanel
from tests.gui.models.test_history_model import deliver, start

ROOT = Path(__file__).resolve().parents[3]
SANDBOX = Profile(name="Sandbox", region="us-east-1", builtin=True)
REAL = Profile(name="Prod", region="eu-west-1")


@pytest.fixture
def form(qtbot: QtBot) -> ResendForm:
    f = ResendForm()
    qtbot.addWidget(f)
    f.set_profile(SANDBOX, keyring_usable=True)
    f.set_ready(True)
    f.show()
    return f


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    s = HistoryStore(tmp_path / "history.sqlite3")
    yield s
    s.close()


def test_problem_counts_are_real_plurals(form: ResendForm) -> None:
    form.username_edit.setText("alice")
    form.metadata.set_pairs([("k", "1"), ("k", "2")])  # a duplicate key: one problem
    hint = form.send_hint.text()
    assert re.search(r"Fix 1 problem above", hint), hint
    form.metadata.set_pairs([("k", "1"), ("k", "2"), ("", "x")])
    assert re.search(r"Fix \d+ problems above", form.send_hint.text())
    assert "(s)" not in form.send_hint.text()


def test_without_a_keyring_the_form_says_what_to_type(form: ResendForm) -> None:
    form.set_profile(REAL, keyring_usable=False)
    form.username_edit.setText("alice")
    hint = form.send_hint.text()
    assert "problem" not in hint and "client ID" in hint, hint
    assert form.session_box.isVisible()
    form.session_client_id_edit.setText("1example23456789")
    assert "problem" not in form.send_hint.text()


def test_history_empty_states(qtbot: QtBot, store: HistoryStore) -> None:
    pane = HistoryPane(HistoryTableModel(store))
    qtbot.addWidget(pane)
    pane.resize(800, 600)
    pane.show()
    assert pane.empty_state.isVisible()
    assert pane.empty_state.text() == NO_ATTEMPTS_TEXT
    assert "Select an attempt" not in pane.details.displayed_text()
    store.append(deliver(start("alice")))
    pane.model.reload()
    assert not pane.empty_state.isVisible()
    assert "Select an attempt" in pane.details.displayed_text()
    pane.filter_edit.setText("zzz")
    qtbot.waitUntil(lambda: pane.model.rowCount() == 0)
    assert pane.empty_state.isVisible()
    assert pane.empty_state.text() == "No attempt matches “zzz”."
    in_batch = no_match_text(HistoryFilter(status=None, batch_id="b1"))
    assert in_batch == "No attempt in this batch yet."


def test_metadata_and_inbox_empty_states(qtbot: QtBot) -> None:
    table = MetadataTable()
    qtbot.addWidget(table)
    table.show()
    assert table.empty_state.isVisible() and "No metadata" in table.empty_state.text()
    table.add_row("k", "v")
    assert not table.empty_state.isVisible()
    panel = SandboxPanel()
    qtbot.addWidget(panel)
    panel.show()
    assert panel.inbox_empty.isVisible() and panel.inbox_empty.text() == INBOX_EMPTY_TEXT


def _failed(code: str, message: str = "", endpoint_url: str | None = None) -> Attempt:
    a = replace(start("alice"), endpoint_url=endpoint_url)
    return a.failed(decode(code, message))


def _heading(panel: DetailsPanel) -> str:
    label = panel.findChild(QLabel, "detailsAwsHeading")
    assert label is not None
    return label.text()


def test_aws_said_only_for_what_aws_said(qtbot: QtBot) -> None:
    panel = DetailsPanel()
    qtbot.addWidget(panel)
    panel.show_attempt(_failed("NotAuthorizedException", "Incorrect username or password."))
    text = panel.displayed_text()
    assert "Incorrect username or password." in text
    assert _heading(panel) == "AWS said:"
    panel.show_attempt(_failed("ParamValidation", "Invalid length for parameter Username"))
    panel.displayed_text()
    assert _heading(panel) == "Details:"


def test_network_advice_fits_a_profile_without_an_endpoint_url(qtbot: QtBot) -> None:
    panel = DetailsPanel()
    qtbot.addWidget(panel)
    panel.show_attempt(_failed("EndpointUnreachable"))
    assert "endpoint URL" not in panel.displayed_text()
    panel.show_attempt(_failed("EndpointUnreachable", endpoint_url="http://127.0.0.1:9"))
    assert "endpoint URL" in panel.displayed_text()


# Field names as code spells them, followed by a colon, in a string a person may read.
_SNAKE_FIELD = re.compile(
    r"\b(endpoint_url|user_pool_id|client_id|client_secret|analytics_endpoint_id|"
    r"ip_address|encoded_data|client_metadata)\s*:"
)


def test_no_snake_case_field_names_in_messages() -> None:
    found: list[str] = []
    for folder in ("app/ui", "app/core"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    if _SNAKE_FIELD.search(node.value) and " " in node.value:
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert found == []
