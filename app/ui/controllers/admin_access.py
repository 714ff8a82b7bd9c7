"""The window's way to the admin services: built once off the UI thread; a target per profile."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from app.ui.controllers.profiles import ProfilesController
from app.ui.controllers.session import Session

if TYPE_CHECKING:
    from app.core.outcome import Attempt
    from app.services.admin_stack import AdminServices
    from app.services.aws_session import AdminTarget


class _Discard:
    """Before the history is open nothing can be recorded (the actions wait for it)."""

    def append(self, attempt: Attempt) -> None:
        return None


class AdminAccess:
    """`services()` builds AdminServices on first use (botocore: call it in a worker thread)
    over the session's history; `target(profile_name)` is that profile's admin target
    (the sandbox's admin keys for the built-in profile; the profile's AWS profile or the
    default chain otherwise; blocking: the client ID comes from the keyring)."""

    def __init__(self, session: Session, profiles: ProfilesController) -> None:
        self._session = session
        self._profiles = profiles
        self._lock = threading.Lock()
        self._services: AdminServices | None = None

    def services(self) -> AdminServices:
        with self._lock:
            if self._services is None:
                from app.services.admin_stack import AdminServices, store_recent
                from app.services.history_store import HistoryFilter

                history = self._session.history
                recent = None
                if history is not None:
                    store = history
                    recent = store_recent(
                        lambda profile, username, limit: store.page(
                            HistoryFilter(profile=profile, username=username), 0, limit
                        )
                    )
                self._services = AdminServices(history or _Discard(), recent)
            return self._services

    def target(self, profile_name: str) -> AdminTarget | None:
        session = self._session
        info = session.sandbox_info
        sandbox = self._profiles.sandbox_profile()
        if sandbox is not None and info is not None and profile_name == sandbox.name:
            from app.services.admin_targets import sandbox_target

            return sandbox_target(info, sandbox, session.sandbox_client)
        profile = self._profiles.profile(profile_name)
        pipeline = session.pipeline
        if profile is None or profile.builtin or pipeline is None:
            return None
        from app.services.admin_targets import stored_target

        client_id = pipeline.resolver.stored_client_id(profile.name) or ""
        return stored_target(profile, client_id)

    def close(self) -> None:
        with self._lock:
            services, self._services = self._services, None
        if services is not None:
            services.close()
