"""`ResendService`: the resend pipeline under its old name, credentials from a keyring."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.services.credentials import CredentialResolver, CredentialSource
from app.services.history_sink import HistorySink
from app.services.pipeline import ResendPipeline, TriggerRuns

if TYPE_CHECKING:
    from app.services.cognito_gateway import CognitoGateway

__all__ = ["CredentialSource", "ResendService"]


class ResendService(ResendPipeline):
    """A `ResendPipeline` whose resolver reads `secrets` for stored profiles.

    Only the constructor differs: callers that predate the pipeline pass a credential
    source where the pipeline takes a resolver. `run` never raises.
    """

    def __init__(
        self,
        gateway: CognitoGateway,
        secrets: CredentialSource | None,
        history: HistorySink,
        triggers: TriggerRuns | None = None,
    ) -> None:
        super().__init__(gateway, history, CredentialResolver(secrets), triggers)
