"""The diagnosis card and the support dialogs: what they show and what they emit."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.core.diagnosis import diagnose
from app.core.diagnosis_input import Area, NotChecked
from app.ui.widgets.diagnosis_card import DiagnosisCard
from tests.unit.core.diagnosis_cases import ALICE, DAVE, given_input


def test_the_card_shows_the_prediction_findings_and_next_step(qtbot: QtBot) -> None:
    card = DiagnosisCard()
    qtbot.addWidget(card)
    assert card.objectName() == "diagnosisCard"
    card.show_diagnosis(diagnose(given_input(ALICE)))
    assert card.title.text() == "A code will go by EMAIL to a***@e***"
    assert "50 a day" in card.findings.text()
    card.show_diagnosis(diagnose(given_input(DAVE)))
    assert card.invite_button.isVisibleTo(card)
    with qtbot.waitSignal(card.resend_invitation_requested) as sent:
        card.invite_button.click()
    assert sent.args == ["dave"]
    missing = NotChecked(Area.USER, "no AWS credentials", "name an AWS profile")
    card.show_diagnosis(diagnose(given_input(lookup=False, pool=None, client=None,
                                             not_checked=(missing,))))  # fmt: skip
    assert "no AWS credentials" in card.not_checked.text()
    assert "name an AWS profile" in card.not_checked.text()


def test_the_support_dialogs_say_what_changes(qtbot: QtBot) -> None:
    from app.core.arrival import ChecklistItem
    from app.ui.dialogs.support_dialogs import ArrivalDialog, action_box

    box, check = action_box(None, "Confirm", "AdminConfirmSignUp: alice becomes CONFIRMED",
                            mark_label="Also mark the email verified")  # fmt: skip
    qtbot.addWidget(box)
    assert "CONFIRMED" in box.text() and check is not None and not check.isChecked()
    dialog = ArrivalDialog((ChecklistItem("Spam folder", "Look for <mail>", likely=True),))
    qtbot.addWidget(dialog)
    assert "⚠ Spam folder" in dialog.text.toPlainText()
    assert "<mail>" in dialog.text.toPlainText()  # escaped, shown as typed
