"""Where a resend's client ID and secret come from: sandbox, then session-only, then keyring."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from app.core.profile import ClientCredentials, Profile

# When a caller built the resolver without a keyring (the sandbox-only CLI path, the
# self-test) and a stored profile still reaches it.
NO_KEYRING_MESSAGE = (
    "No keyring is in use here, so the profile's client ID and secret cannot be read; "
    "type them for this session or use the built-in sandbox."
)


class CredentialSource(Protocol):
    """A keyring that holds each stored profile's client ID and secret: `SecretStore`.

    A protocol rather than the class so that callers which never reach the keyring (the
    sandbox paths) need not import keyring at all.
    """

    def load(self, profile_name: str) -> ClientCredentials: ...


# The running sandbox's credentials for its built-in profile (its chosen client), or
# None while no sandbox runs.
SandboxCredentials = Callable[[], ClientCredentials | None]


@dataclass(frozen=True)
class ResolvedCredentials:
    """Either the credentials to send with, or why there are none (a sentence, no secret)."""

    credentials: ClientCredentials | None
    problem: str | None = None

    def __post_init__(self) -> None:
        if (self.credentials is None) == (self.problem is None):
            raise ValueError("exactly one of credentials and problem is set")


def given(credentials: ClientCredentials) -> ResolvedCredentials:
    """Credentials the caller already holds (read once for a batch, typed, the sandbox's)."""
    return ResolvedCredentials(credentials)


class CredentialResolver:
    """Resolves a profile's credentials: the sandbox's for the built-in profile, then
    session-only credentials typed in, then the keyring. The one place a missing or
    locked keyring becomes a problem; the pipeline turns it into CredentialsUnavailable.

    Blocking only when it reaches the keyring (D-Bus, maybe an unlock prompt): call
    `resolve` off the UI thread unless the profile is the sandbox or session credentials
    are given.
    """

    def __init__(
        self,
        keyring: CredentialSource | None,
        sandbox: SandboxCredentials | None = None,
    ) -> None:
        self._keyring = keyring
        self._sandbox = sandbox

    def resolve(
        self, profile: Profile, session: ClientCredentials | None = None
    ) -> ResolvedCredentials:
        if profile.builtin and self._sandbox is not None:
            sandbox = self._sandbox()
            if sandbox is not None:
                return ResolvedCredentials(sandbox)
        if session is not None:
            return ResolvedCredentials(session)
        if self._keyring is None:
            return ResolvedCredentials(None, NO_KEYRING_MESSAGE)
        # Imported here: the sandbox and session paths must not load keyring.
        from app.services.secret_store import SecretStoreError

        try:
            return ResolvedCredentials(self._keyring.load(profile.name))
        except SecretStoreError as exc:
            # The store's message names the profile and what to do; it holds no secret.
            return ResolvedCredentials(None, str(exc))

    def stored_client_id(self, profile_name: str) -> str | None:
        """A stored profile's client ID from the keyring, or None when it cannot be read
        (blocking). For previews and the edit dialog, which show a placeholder instead."""
        if self._keyring is None:
            return None
        from app.services.secret_store import SecretStoreError

        try:
            return self._keyring.load(profile_name).client_id
        except SecretStoreError:
            return None
