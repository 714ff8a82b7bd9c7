"""The diagnosis and support-action services, built once from one history (composition part)."""

from __future__ import annotations

from collections.abc import Callable

from app.core.outcome import Attempt, AttemptKind
from app.services.admin_reader import AdminReader
from app.services.aws_session import AdminClientConfig, AwsClients
from app.services.diagnosis_service import DiagnosisService, RecentAttempts, history_recent
from app.services.support_actions import AttemptSink, SupportActions

# How many of one user's newest attempts the diagnosis reads (it counts the last hour's).
RECENT_LIMIT = 20


def store_recent(page: Callable[[str, str, int], list[Attempt]]) -> RecentAttempts:
    """RecentAttempts from `page(profile, username, limit)` (the history store's newest
    resends of one user in one profile)."""

    def newest(profile: str, username: str) -> list[Attempt]:
        return [a for a in page(profile, username, RECENT_LIMIT) if a.kind is AttemptKind.RESEND]

    return history_recent(newest)


class AdminServices:
    """The signed AWS clients, the admin reader (its settings cache shared by the diagnosis
    and the actions), the diagnosis service and the support actions."""

    def __init__(
        self,
        history: AttemptSink,
        recent: RecentAttempts | None,
        config: AdminClientConfig = AdminClientConfig(),  # noqa: B008 - frozen
    ) -> None:
        self.clients = AwsClients(config)
        self.reader = AdminReader(self.clients)
        self.diagnosis = DiagnosisService(self.reader, recent)
        self.actions = SupportActions(self.reader, history)

    def close(self) -> None:
        self.diagnosis.close()
