"""The window's controller: builds services off the UI thread and runs resends through qasync.

Widgets call plain methods here and listen to past-tense signals; every blocking step
(keyring, boto3, SQLite, the sandbox) runs in the loop's executor, and results come back
on the UI thread through `await`, so no widget is ever touched from a worker thread.

`ResendController` is the façade; each role lives in its own module:
controller_base (signals, state, tasks, profile list, inbox), controller_startup
(services, shutdown), controller_sending, controller_profiles (profiles, presets),
controller_trigger (event preview, local trigger), controller_export.
"""

from __future__ import annotations

from app.ui.controller_base import ControllerBase
from app.ui.controller_export import ExportMixin
from app.ui.controller_profiles import ProfilesMixin
from app.ui.controller_sending import SendingMixin
from app.ui.controller_startup import StartupMixin
from app.ui.controller_trigger import TriggerMixin
from app.ui.controller_types import (
    CLIENT_ID_PLACEHOLDER,
    SANDBOX_CLIENT_NAMES,
    ProfileEdit,
    SendRequest,
    ServiceFactories,
)

__all__ = [
    "CLIENT_ID_PLACEHOLDER",
    "SANDBOX_CLIENT_NAMES",
    "ProfileEdit",
    "ResendController",
    "SendRequest",
    "ServiceFactories",
]


class ResendController(
    StartupMixin, SendingMixin, ProfilesMixin, TriggerMixin, ExportMixin, ControllerBase
):
    """Owns the services and the in-flight work; the window only talks to this."""
