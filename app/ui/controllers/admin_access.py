"""The window's way to the diagnosis services: AdminServices built once, a target per profile."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from app.ui.controllers.profiles import ProfilesController
from app.ui.controllers.session import Session

if TYPE_CHECKING:
    from app.services.admin_stack import AdminServices
    from app.services.aws_session import AdminTarget

log = logging.getLogger(__name__)


class AdminAccess:
    """What `DiagnosisController` takes: `services()` and `target_for(profile name)`.

    Both are blocking (boto3 clients, a keyring read) and run in the controller's worker
    threads; the AdminServices are built on the first diagnosis, over the session's history.
    """

    def __init__(self, session: Session, profiles: ProfilesController) -> None:
        self._session = session
        self._profiles = profiles
        self._services: AdminServices | None = None
        self._lock = threading.Lock()

    def services(self) -> AdminServices:
        with self._lock:
            if self._services is None:
                from app.services.admin_stack import AdminServices, store_recent
                from app.services.history_store import HistoryFilter

                history = self._session.history
                if history is None:
                    raise RuntimeError("the history is not open yet")
                recent = store_recent(
                    lambda profile, username, limit: history.page(
                        HistoryFilter(profile=profile, username=username), 0, limit
                    )
                )
                self._services = AdminServices(history, recent)
            return self._services

    def target_for(self, profile_name: str) -> AdminTarget | None:
        """The admin target for a profile: the sandbox's admin keys for the built-in one,
        the profile's AWS profile (or the default chain) otherwise; None when unknown."""
        from app.services import admin_targets

        profile = self._profiles.profile(profile_name)
        session = self._session
        if profile is None:
            return None
        if profile.builtin:
            info = session.sandbox_info
            if info is None:
                return None
            return admin_targets.sandbox_target(info, profile, session.sandbox_client)
        pipeline = session.pipeline
        client_id = pipeline.resolver.stored_client_id(profile.name) if pipeline else None
        return admin_targets.stored_target(profile, client_id or "")

    def close(self) -> None:
        with self._lock:
            services, self._services = self._services, None
        if services is not None:
            services.close()
