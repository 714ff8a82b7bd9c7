"""Metadata presets in the window: save, pick, edit, rename, delete; the not-encrypted warning
shown once; kept across a restart (profiles file for stored profiles, window settings for the
built-in Sandbox profile)."""

from __future__ import annotations

import json

import pytest

from app.core.outcome import Status
from app.core.presets import NOT_ENCRYPTED_WARNING
from app.core.profile import MetadataPreset, Profile
from app.ui.controllers.types import ProfileEdit
from app.ui.widgets.preset_bar import NO_PRESET, PresetManagerDialog
from app.ui.window.main_window import MainWindow
from app.ui.window.preset_settings import SANDBOX_PRESETS_KEY, presets_from_text, presets_to_text
from tests.gui.conftest import WAIT_MS, WindowHarness

BRAND_A = [("brand", "A"), ("locale", "de")]
BRAND_B = [("brand", "B"), ("locale", "fr")]


class Recorder:
    """Stands in for the window's message box."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []

    def __call__(self, title: str, text: str) -> None:
        self.shown.append((title, text))


def names(window: MainWindow) -> list[str]:
    combo = window.form.presets.combo
    return [combo.itemText(i) for i in range(combo.count())]


def save_as(h: WindowHarness, window: MainWindow, name: str, pairs: list[tuple[str, str]]) -> None:
    bar = window.form.presets
    window.form.metadata.set_pairs(pairs)
    bar.ask_name = lambda _parent, _suggested: name
    bar.save_button.click()
    h.qtbot.waitUntil(lambda: name in names(window), timeout=WAIT_MS)


def open_with_warnings(h: WindowHarness) -> tuple[MainWindow, Recorder]:
    window = h.open()
    recorder = Recorder()
    window.inform = recorder
    return window, recorder


def add_profile(h: WindowHarness, window: MainWindow, name: str) -> None:
    info = h.sandbox.info
    profile = Profile(name=name, region=info.region, endpoint_url=info.endpoint_url)
    client_id = info.client("public").client_id
    task = window.controllers.profiles.save_profile(ProfileEdit(profile, client_id, None))
    h.qtbot.waitUntil(task.done, timeout=WAIT_MS)
    assert task.result() is True
    assert window.select_profile(name)


def test_save_pick_and_send_with_sandbox_presets(harness: WindowHarness) -> None:
    h = harness
    window, warnings = open_with_warnings(h)
    assert names(window) == [NO_PRESET]
    save_as(h, window, "brand A", BRAND_A)
    assert warnings.shown == [("ClientMetadata is not encrypted", NOT_ENCRYPTED_WARNING)]
    save_as(h, window, "brand B", BRAND_B)
    assert len(warnings.shown) == 1  # once, not per save
    assert names(window) == [NO_PRESET, "brand A", "brand B"]
    assert window.form.presets.current_name() == "brand B"
    # One click switches the whole set.
    assert window.form.presets.pick("brand A")
    assert window.form.metadata.pairs() == BRAND_A
    final = h.send(window, "alice")
    assert final.status is Status.DELIVERED
    assert list(final.client_metadata) == BRAND_A
    assert h.sandbox.inbox("alice")[-1].client_metadata == dict(BRAND_A)
    assert window.form.presets.pick("brand B")
    assert window.form.metadata.pairs() == BRAND_B


def test_picking_fills_the_table_even_from_json_mode(harness: WindowHarness) -> None:
    h = harness
    window, _ = open_with_warnings(h)
    save_as(h, window, "A", BRAND_A)
    window.form.metadata.set_json_text('{"other": "x"}')
    assert window.form.presets.pick("A")
    assert not window.form.metadata.in_json_mode()
    assert window.form.metadata.current_pairs() == BRAND_A


def test_sandbox_presets_and_warned_flag_survive_a_restart(harness: WindowHarness) -> None:
    h = harness
    first, warnings = open_with_warnings(h)
    save_as(h, first, "brand A", BRAND_A)
    assert len(warnings.shown) == 1
    h.close(first)
    stored = str(h.settings().value(SANDBOX_PRESETS_KEY))
    assert presets_from_text(stored) == (MetadataPreset("brand A", tuple(BRAND_A)),)
    second, warnings_again = open_with_warnings(h)
    h.qtbot.waitUntil(lambda: "brand A" in names(second), timeout=WAIT_MS)
    assert second.form.presets.pick("brand A")
    assert second.form.metadata.pairs() == BRAND_A
    save_as(h, second, "brand B", BRAND_B)
    assert warnings_again.shown == []


def test_stored_profile_presets_go_to_the_profiles_file(harness: WindowHarness) -> None:
    h = harness
    first, _ = open_with_warnings(h)
    add_profile(h, first, "staging")
    save_as(h, first, "brand A", BRAND_A)
    data = json.loads(h.paths.profiles_file.read_text(encoding="utf-8"))
    [staging] = [p for p in data["profiles"] if p["name"] == "staging"]
    assert staging["presets"] == [{"name": "brand A", "pairs": [list(p) for p in BRAND_A]}]
    # The Sandbox profile's presets are its own.
    assert first.select_profile("Sandbox")
    assert names(first) == [NO_PRESET]
    h.close(first)
    second, _ = open_with_warnings(h)
    assert second.select_profile("staging")
    assert names(second) == [NO_PRESET, "brand A"]
    assert second.form.presets.pick("brand A")
    assert second.form.metadata.pairs() == BRAND_A


def test_editing_a_preset_replaces_it_after_asking(harness: WindowHarness) -> None:
    h = harness
    window, _ = open_with_warnings(h)
    save_as(h, window, "brand A", BRAND_A)
    save_as(h, window, "brand B", BRAND_B)
    bar = window.form.presets
    assert bar.pick("brand A")
    window.form.metadata.add_row("campaign", "spring")
    asked: list[str] = []
    bar.confirm = lambda _title, text: asked.append(text) is None  # answers yes
    suggested: list[str] = []

    def prompt(_parent: object, current: str) -> str:
        suggested.append(current)
        return "BRAND a"  # names compare case-blind: this is the same preset

    bar.ask_name = prompt
    bar.save_button.click()
    edited = (*BRAND_A, ("campaign", "spring"))

    def first_preset_edited() -> bool:
        profile = window.current_profile()
        return profile is not None and profile.presets[0].pairs == edited

    h.qtbot.waitUntil(first_preset_edited, timeout=WAIT_MS)
    assert suggested == ["brand A"]
    assert asked and "brand A" in asked[0]
    # Edited in place: same position, the new spelling of the name.
    assert names(window) == [NO_PRESET, "BRAND a", "brand B"]
    # Answering no keeps the preset as it was.
    bar.confirm = lambda _title, _text: False
    window.form.metadata.set_pairs([("x", "y")])
    bar.save_button.click()
    h.qtbot.wait(100)
    profile = window.current_profile()
    assert profile is not None and profile.presets[0].pairs == edited


def test_manage_renames_and_deletes(harness: WindowHarness) -> None:
    h = harness
    window, _ = open_with_warnings(h)
    save_as(h, window, "brand A", BRAND_A)
    save_as(h, window, "brand B", BRAND_B)
    save_as(h, window, "brand C", [("brand", "C")])
    bar = window.form.presets

    def manage(dialog: PresetManagerDialog) -> bool:
        dialog.rename("brand A", "Brand A (de)")
        dialog.delete("brand B")
        return True

    bar.run_dialog = manage
    bar.manage_button.click()
    expected = [NO_PRESET, "Brand A (de)", "brand C"]
    h.qtbot.waitUntil(lambda: names(window) == expected, timeout=WAIT_MS)
    assert bar.pick("Brand A (de)")
    assert window.form.metadata.pairs() == BRAND_A


def test_manage_refuses_a_name_twice(harness: WindowHarness) -> None:
    h = harness
    window, _ = open_with_warnings(h)
    save_as(h, window, "one", [("k", "1")])
    save_as(h, window, "two", [("k", "2")])
    profile = window.current_profile()
    assert profile is not None
    dialog = PresetManagerDialog(profile, window)
    dialog.rename("two", "ONE")
    dialog._validate()
    assert "already has a preset named 'one'" in dialog.error_label.text()
    with pytest.raises(ValueError):
        dialog.result_presets()
    dialog.deleteLater()


def test_settings_text_round_trip_and_damage() -> None:
    presets = (MetadataPreset("a", (("k", "v"), ("ü", "✓"))), MetadataPreset("b", ()))
    assert presets_from_text(presets_to_text(presets)) == presets
    assert presets_from_text("") == ()
    assert presets_from_text("{not json") == ()
    assert presets_from_text('[{"name": "x"}]') == ()
