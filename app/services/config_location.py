"""The app's per-user config folder on this platform, found without building AppPaths.

The window reads its settings (window.ini: the page it opens on, its geometry) before its
first paint, within a start budget of ~25 ms over a bare Qt window (issue 15). AppPaths is
a dataclass (importing dataclasses: ~3 ms) and platformdirs takes ~4.5 ms to import; so on
Linux, where platformdirs' rule is the XDG one below, the folder is found here without
either, and elsewhere (or in a case the rule below does not cover) platformdirs finds it.
AppPaths takes its config folder from here too, so the two never disagree;
tests/unit/services/test_paths.py checks the rule against platformdirs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from app import APP_ID


def user_config_dir() -> Path:
    """The platform's per-user config folder for APP_ID (XDG_CONFIG_HOME honoured on Linux)."""
    fast = _linux_xdg_config_dir(os.environ) if sys.platform == "linux" else None
    if fast is not None:
        return fast
    import platformdirs

    # appauthor=False: on Windows, no extra "<author>" level above the app folder.
    return platformdirs.user_config_path(APP_ID, appauthor=False)


def _linux_xdg_config_dir(env: Mapping[str, str]) -> Path | None:
    """platformdirs' Linux rule: an absolute $XDG_CONFIG_HOME, else ~/.config; None when
    platformdirs would look further (Android, a HOME that is not an absolute path)."""
    if "ANDROID_DATA" in env or "ANDROID_ROOT" in env:
        return None
    xdg = env.get("XDG_CONFIG_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / APP_ID
    home = env.get("HOME", "")
    if os.path.isabs(home):
        return Path(home) / ".config" / APP_ID
    return None
