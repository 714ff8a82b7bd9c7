"""The support view and the first run, end to end: the real window, the sandbox over HTTP."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from app.core.outcome import AttemptKind, Status
from app.core.profile import Profile
from app.core.secrets import Secret, compute_secret_hash
from app.ui.controllers.types import ProfileEdit
from app.ui.window.main_window import MainWindow
from app.ui.window.window_state import WindowState
from tests.gui.conftest import WAIT_MS, WindowHarness

NEW_NAMES = ("customerEdit", "diagnosisCard", "resultCard", "copyForTicketButton", "sendButton")


def _on_sandbox_support_view(h: WindowHarness) -> MainWindow:
    """A first start: the welcome page, then "Try the sandbox"."""
    window = h.open(first_run=True)
    stack = window.view_stack
    assert stack.currentWidget() is stack.welcome_page
    stack.welcome_page.sandbox_button.click()
    assert stack.currentWidget() is stack.support_view
    return window


def _type(h: WindowHarness, window: MainWindow, text: str, title: str) -> None:
    view = window.view_stack.support_view
    view.customer_edit.setText(text)
    h.qtbot.waitUntil(lambda: title in view.card.title.text(), timeout=WAIT_MS)


def _send(h: WindowHarness, window: MainWindow, *, enter: bool = False) -> None:
    view = window.view_stack.support_view
    h.qtbot.waitUntil(view.send_button.isEnabled, timeout=WAIT_MS)
    with h.qtbot.waitSignal(window.controllers.sending.attempt_finished, timeout=WAIT_MS):
        if enter:
            QTest.keyClick(view.customer_edit, Qt.Key.Key_Return)
        else:
            view.send_button.click()
    h.qtbot.waitUntil(view.result.isVisible, timeout=WAIT_MS)


def test_first_run_shows_welcome_then_the_sandbox_support_view(harness: WindowHarness) -> None:
    window = _on_sandbox_support_view(harness)
    view = window.view_stack.support_view
    assert window.current_profile_name() == "Sandbox"
    notice = window.header.sandbox_notice
    assert notice.isVisible() and "no real customer gets anything" in notice.text()
    assert not window.sandbox_dock.isVisible()  # the developer's drawer
    assert not window.window_actions.toggle_view.isChecked()
    harness.qtbot.waitUntil(view.customer_edit.hasFocus, timeout=WAIT_MS)
    for parent, name in [(view, n) for n in NEW_NAMES] + [(window, "viewToggle")]:
        widget = parent.findChild(QWidget, name)
        assert widget is not None and widget.accessibleName() == name, name


def test_support_flow_email_to_delivery_story(harness: WindowHarness) -> None:
    window = _on_sandbox_support_view(harness)
    view = window.view_stack.support_view
    # alice's email is not a verified alias yet: the card finds her account by it.
    _type(harness, window, "alice@example.com", "Ready to send")
    assert "username alice" in view.card.story.text()
    assert "a***@e*** by email" in view.card.story.text()
    _send(harness, window, enter=True)  # Enter sends
    assert view.result.title.text().endswith("A new code is on its way")
    attempt = window.history_model.attempt_at(0)
    assert attempt is not None and attempt.delivery is not None  # the sandbox masks as "a***@e***"
    assert view.result.story.text() == (
        f"A new code is on its way to {attempt.delivery.destination} by email. It can take a "
        "couple of minutes; ask them to check spam. It works for 24 hours and replaces any "
        "earlier code."
    )
    assert view.result.property("tone") == "success"
    assert not view.result.details.isVisible()  # technical details collapsed
    view.result.details_toggle.click()
    assert view.result.details.isVisible() and "Request ID" in view.result.details.text()
    assert [m.username for m in harness.sandbox.inbox()] == ["alice"]
    assert attempt.status is Status.DELIVERED and attempt.username == "alice"
    assert attempt.diagnosis is not None and attempt.verdict is not None


def test_already_confirmed_is_information(harness: WindowHarness) -> None:
    window = _on_sandbox_support_view(harness)
    view = window.view_stack.support_view
    _type(harness, window, "carol", "Already confirmed")
    assert view.card.property("tone") == "info"
    _send(harness, window)
    assert view.result.title.text().endswith("Already confirmed")
    assert view.result.story.text() == (
        "This account is already confirmed: they can sign in, there is nothing to send."
    )
    assert view.result.property("tone") == "info"
    assert "Exception" not in view.result.title.text() + view.result.story.text()


def test_not_found_says_the_next_step(harness: WindowHarness) -> None:
    window = _on_sandbox_support_view(harness)
    view = window.view_stack.support_view
    _type(harness, window, "nobody-here", "No account found")
    _send(harness, window)
    assert view.result.title.text().endswith("No account found")
    assert "spelling" in view.result.next_step.text()


def test_copy_for_ticket_has_no_secret(harness: WindowHarness) -> None:
    window = _on_sandbox_support_view(harness)
    window.controllers.session.set_sandbox_client("secret")
    client = harness.sandbox.info.client("secret")
    assert client.client_secret
    _type(harness, window, "alice", "Ready to send")
    _send(harness, window)
    view = window.view_stack.support_view
    sent = window.history_model.attempt_at(0)
    assert sent is not None and sent.used_secret_hash
    assert view.result.copy_button is not None
    view.result.copy_button.click()
    text = QGuiApplication.clipboard().text()
    assert "Customer: alice" in text and "on its way" in text
    hash_value = compute_secret_hash(
        "alice", client.client_id, Secret(client.client_secret)
    ).reveal()
    for secret in (client.client_secret, hash_value, client.client_id, "SecretHash"):
        assert secret not in text


def test_a_real_looking_email_on_the_sandbox_gets_the_hint(harness: WindowHarness) -> None:
    window = _on_sandbox_support_view(harness)
    view = window.view_stack.support_view
    view.customer_edit.setText("jane.doe@gmail.com")
    assert view.hint.isVisible() and "test pool" in view.hint.text()
    view.customer_edit.setText("alice@example.com")
    assert not view.hint.isVisible()
    view.customer_edit.setText("bounce@simulator.amazonses.com")  # a seeded user's address
    assert not view.hint.isVisible()


def test_the_view_toggle_is_remembered_across_restarts(harness: WindowHarness) -> None:
    window = _on_sandbox_support_view(harness)
    toggle = window.window_actions.toggle_view
    assert toggle.shortcut().toString() == "Ctrl+Shift+D"
    window.header.view_toggle.click()
    stack = window.view_stack
    assert stack.currentWidget() is stack.developer_view and toggle.isChecked()
    assert window.sandbox_dock.isVisible()
    harness.close(window)
    again = harness.open(first_run=True)
    assert again.view_stack.currentWidget() is again.view_stack.developer_view
    again.window_actions.toggle_view.trigger()
    assert again.view_stack.currentWidget() is again.view_stack.support_view
    harness.close(again)
    third = harness.open(first_run=True)
    assert third.view_stack.currentWidget() is third.view_stack.support_view


def test_a_profile_of_ones_own_ends_the_first_run(harness: WindowHarness) -> None:
    window = harness.open(first_run=True)
    stack = window.view_stack
    assert stack.currentWidget() is stack.welcome_page
    info = harness.sandbox.info
    profile = Profile("Support pool", info.region, endpoint_url=info.endpoint_url)
    task = window.controllers.profiles.save_profile(
        ProfileEdit(profile, info.client("public").client_id, None)
    )
    harness.qtbot.waitUntil(task.done, timeout=WAIT_MS)
    assert stack.currentWidget() is stack.support_view


def test_support_view_is_the_default_for_the_installed_app(harness: WindowHarness) -> None:
    settings: QSettings = harness.settings()
    state = WindowState(settings)
    assert state.view_mode(frozen=False) == "support"  # a first start
    settings.setValue("window/geometry", b"x")
    assert state.view_mode(frozen=False) == "developer"  # a window from before the views
    assert state.view_mode(frozen=True) == "support"
    state.save_view_mode("developer")
    assert state.view_mode(frozen=True) == "developer"


@pytest.mark.parametrize(
    ("client", "customer", "card", "result", "tone"),
    [
        # An ENABLED client answers an unknown user with made-up delivery details.
        ("protected", "nobody-here", "No account found", "Nothing was sent", "warning"),
        ("public", "erin", "The account is disabled", "The account is disabled", "warning"),
        ("public", "dave", "Waiting for their first sign-in", "Waiting for their first sign-in",
         "warning"),
        ("public", "bob", "Ready to send", "A new code is on its way", "success"),
    ],
)  # fmt: skip
def test_exact_outcomes_in_the_customers_terms(
    harness: WindowHarness, client: str, customer: str, card: str, result: str, tone: str
) -> None:
    window = _on_sandbox_support_view(harness)
    window.controllers.session.set_sandbox_client(client)
    view = window.view_stack.support_view
    _type(harness, window, customer, card)
    _send(harness, window)
    assert view.result.title.text().endswith(result), view.result.story.text()
    assert view.result.property("tone") == tone
    if customer == "bob":
        assert "by text message (SMS)" in view.result.story.text()


def test_focus_is_in_the_customer_field_at_start(harness: WindowHarness) -> None:
    settings = harness.settings()
    settings.setValue("view/mode", "support")
    settings.setValue("view/welcomeDone", "true")
    window = harness.open()
    view = window.view_stack.support_view
    assert window.view_stack.currentWidget() is view
    harness.qtbot.waitUntil(view.customer_edit.hasFocus, timeout=WAIT_MS)
    assert window.header.sandbox_notice.isVisible()
    assert not window.profile_bar.keyring_status_label.isVisible()  # the developer's


def test_the_developer_form_gets_the_sandbox_hint_too(harness: WindowHarness) -> None:
    window = harness.open()  # the developer view
    notice = window.header.sandbox_notice
    assert notice.isVisible()
    window.form.username_edit.setText("jane.doe@gmail.com")
    assert "real customer's address" in notice.text()
    window.form.username_edit.setText("alice")
    assert "real customer's address" not in notice.text()


@pytest.mark.parametrize(
    ("button", "action"),
    [("import_file_button", "import_profiles"), ("import_aws_button", "import_from_aws")],
)
def test_welcome_import_buttons_run_the_import_actions(
    harness: WindowHarness, button: str, action: str
) -> None:
    window = harness.open(first_run=True)
    page = window.view_stack.welcome_page
    triggered: list[bool] = []
    getattr(window.window_actions, action).triggered.disconnect()
    getattr(window.window_actions, action).triggered.connect(lambda *_: triggered.append(True))
    getattr(page, button).click()
    assert triggered == [True]


def test_the_support_view_offers_the_action_a_code_cannot_do(harness: WindowHarness) -> None:
    """dave was created by an administrator: the invitation, not a code, is the answer; on
    a pool that verifies nothing, ivan can only be confirmed. Each asks first, changes the
    user in the pool, is recorded, and the card then tells the account as it is now."""
    window = _on_sandbox_support_view(harness)
    view = window.view_stack.support_view
    asked: list[str] = []

    def yes(title: str, text: str, mark: str) -> tuple[bool, bool]:
        asked.append(title)
        return True, False

    window.diagnosis.ask = yes
    _type(harness, window, "alice", "Ready to send")
    assert not view.action_button.isVisibleTo(view)  # a code works: no other action
    _type(harness, window, "dave", "Waiting for their first sign-in")
    assert "Resend the invitation" in view.card.next_step.text()
    assert view.action_button.isVisibleTo(view)
    assert view.action_button.text() == "Resend the invitation…"
    with harness.qtbot.waitSignal(
        window.controllers.diagnosis.action_finished, timeout=WAIT_MS
    ) as done:
        view.action_button.click()
    invited = done.args[0]
    assert asked == ["Resend the invitation?"]
    assert invited.kind is AttemptKind.ADMIN_RESEND_INVITATION
    assert invited.status is Status.DELIVERED, invited.failure
    assert window.history_model.row_of(invited.attempt_id) is not None

    window.controllers.session.set_sandbox_client("no-verify")
    _type(harness, window, "ivan", "Send will not reach them")
    assert "does not send codes" in view.card.next_step.text()
    assert view.action_button.text() == "Confirm the account without a code…"
    with harness.qtbot.waitSignal(
        window.controllers.diagnosis.action_finished, timeout=WAIT_MS
    ) as done:
        view.action_button.click()
    confirmed = done.args[0]
    assert asked[-1] == "Confirm without a code?"
    assert confirmed.kind is AttemptKind.ADMIN_CONFIRM and confirmed.status is Status.SUCCEEDED
    harness.qtbot.waitUntil(lambda: "Already confirmed" in view.card.title.text(), timeout=WAIT_MS)
    assert not view.action_button.isVisibleTo(view)
