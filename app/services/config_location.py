"""The app's per-user config folder on this platform, found without building AppPaths.

The window reads its settings (window.ini: the page it opens on, its geometry) before its
first paint; AppPaths is a dataclass, and importing dataclasses then costs ~3 ms of a
start budget of ~25 (issue 15). AppPaths takes its config folder from here too.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

from app import APP_ID


def user_config_dir() -> Path:
    """The platform's per-user config folder for APP_ID (platformdirs honours XDG_* on Linux)."""
    # appauthor=False: on Windows, no extra "<author>" level above the app folder.
    return platformdirs.user_config_path(APP_ID, appauthor=False)
