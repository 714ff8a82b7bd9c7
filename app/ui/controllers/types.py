"""The values the controllers take: service factories, a send, a profile edit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.profile import ClientCredentials, Profile
from app.core.request import ResendInput
from app.core.secrets import Secret

if TYPE_CHECKING:
    from app.core.diagnosis_result import Diagnosis
    from app.services.cognito_gateway import CognitoGateway
    from app.services.history_sink import HistorySink
    from app.services.history_store import HistoryFilter, HistoryStore
    from app.services.pipeline import ResendPipeline
    from app.services.profile_repository import ProfileRepository
    from app.services.sandbox_service import SandboxService
    from app.services.secret_store import SecretStore
    from app.services.trigger_service import TriggerService

# Shown in an event preview when the keyring cannot give the profile's client id.
CLIENT_ID_PLACEHOLDER = "<app client id>"
# The sandbox app clients a user can pick for the built-in profile.


@dataclass(frozen=True)
class ServiceFactories:
    """How to build each service. Each factory is called once, in a worker thread.

    The application takes them from the services' composition root
    (app.ui.application.default_factories); tests replace single ones (a keyring, the
    session's sandbox). The single-send pipeline is assembled by the Session from the
    services these built, so a replaced keyring is the one the resolver reads.
    """

    secret_store: Callable[[], SecretStore]
    gateway: Callable[[], CognitoGateway]
    history: Callable[[], HistoryStore]
    profiles: Callable[[], ProfileRepository]
    # A batch's pipeline over its buffered history, and the gateway it sends through.
    batch_pipeline: Callable[[HistorySink], ResendPipeline]
    batch_gateway: Callable[[], CognitoGateway]
    sandbox: Callable[[], SandboxService] | None = None
    regions: Callable[[], list[str]] | None = None
    exporter: Callable[[str, HistoryFilter, Path, HistoryStore], int] | None = None
    # Event preview and the sandbox's local trigger (the "trigger debugging" section).
    trigger: Callable[[], TriggerService] | None = None
    warm_up_region: str = "us-east-1"


@dataclass(frozen=True)
class SendRequest:
    """What the form collected for one send (the client id comes from the profile)."""

    profile_name: str
    raw: ResendInput
    # Typed for this session only (keyring missing/locked); kept in memory, never stored.
    session_credentials: ClientCredentials | None = None
    # The diagnosis shown for exactly this username: it makes the delivery verdict exact.
    diagnosis: Diagnosis | None = None


@dataclass(frozen=True)
class ProfileEdit:
    """A profile the dialog produced, its credentials and the name it had before (if any)."""

    profile: Profile
    client_id: str
    # None keeps the stored secret; an empty Secret removes it.
    client_secret: Secret | None
    previous_name: str | None = None
