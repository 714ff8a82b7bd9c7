"""Where the window keeps what the profiles file cannot: the Sandbox profile's presets, the
"metadata is not encrypted" warned flag.

The built-in Sandbox profile is rebuilt from the running sandbox at every start and is
never written to the profiles file (ProfileRepository refuses its name), so its metadata
presets live in the window settings (window.ini, key ``sandbox/presets``) as JSON. They
are not secret, like every preset.
"""

from __future__ import annotations

import json
import logging
from typing import Final

from PySide6.QtCore import QSettings

from app.core.profile import MetadataPreset

log = logging.getLogger(__name__)

SANDBOX_PRESETS_KEY: Final = "sandbox/presets"
WARNED_KEY: Final = "presets/warnedNotEncrypted"


def presets_to_text(presets: tuple[MetadataPreset, ...]) -> str:
    return json.dumps(
        [{"name": p.name, "pairs": [list(pair) for pair in p.pairs]} for p in presets],
        ensure_ascii=False,
    )


def presets_from_text(text: str) -> tuple[MetadataPreset, ...]:
    """The presets in `text`; () (and a log line) when it is not what presets_to_text wrote."""
    if not text:
        return ()
    try:
        data = json.loads(text)
        return tuple(
            MetadataPreset(str(p["name"]), tuple((str(k), str(v)) for k, v in p["pairs"]))
            for p in data
        )
    except (ValueError, TypeError, KeyError) as exc:
        # Settings from another version or edited by hand: not worth stopping the window.
        log.warning("ignoring unreadable %s in the window settings: %s", SANDBOX_PRESETS_KEY, exc)
        return ()


def load_sandbox_presets(settings: QSettings) -> tuple[MetadataPreset, ...]:
    return presets_from_text(str(settings.value(SANDBOX_PRESETS_KEY, "") or ""))


def save_sandbox_presets(settings: QSettings, presets: tuple[MetadataPreset, ...]) -> None:
    settings.setValue(SANDBOX_PRESETS_KEY, presets_to_text(presets))
    settings.sync()


def should_warn_now(settings: QSettings) -> bool:
    """True the first time only: the caller shows the warning then (the flag is stored)."""
    if str(settings.value(WARNED_KEY, "false")).lower() == "true":
        return False
    settings.setValue(WARNED_KEY, "true")
    settings.sync()
    return True
