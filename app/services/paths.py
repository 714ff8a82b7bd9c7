"""Where the app keeps its files: config, data and log folders for this platform."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

from app import APP_ID
from app.services.config_location import user_config_dir


@dataclass(frozen=True)
class AppPaths:
    """The app's folders. Built once at start-up and passed to the services that need them."""

    config_dir: Path
    data_dir: Path
    log_dir: Path

    @classmethod
    def from_platform(cls) -> AppPaths:
        """The platform's per-user folders for APP_ID (platformdirs honours XDG_* on Linux)."""
        # appauthor=False: on Windows, no extra "<author>" level above the app folder.
        return cls(
            config_dir=user_config_dir(),
            data_dir=platformdirs.user_data_path(APP_ID, appauthor=False),
            log_dir=platformdirs.user_log_path(APP_ID, appauthor=False),
        )

    @property
    def profiles_file(self) -> Path:
        return self.config_dir / "profiles.json"

    @property
    def history_db(self) -> Path:
        return self.data_dir / "history.sqlite3"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "cognito-resend.log"

    def ensure(self) -> AppPaths:
        """Create the three folders (owner-only where the platform allows) and return self."""
        for d in (self.config_dir, self.data_dir, self.log_dir):
            # 0o700: history and profiles name users and pools; other local users need not.
            d.mkdir(mode=0o700, parents=True, exist_ok=True)
        return self
