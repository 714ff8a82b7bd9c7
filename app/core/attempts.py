"""Start an attempt: the PENDING record of one resend, built from the form's values."""

from __future__ import annotations

from app.core.outcome import Attempt, Status
from app.core.profile import Profile
from app.core.request import ResendInput


def begin_attempt(
    profile: Profile,
    raw: ResendInput,
    *,
    client_id: str = "",
    batch_id: str | None = None,
) -> Attempt:
    """A PENDING Attempt holding what is about to be sent (never the secret or the hash).

    `client_id` is the one read from the keyring; the form's own value is the fallback.
    Username and client ID are trimmed as `validate` trims them, so the history shows
    what was sent. Metadata rows with neither key nor value are unused form rows and
    are left out; every other row stays, in form order, even an invalid one, so a
    refused attempt still shows what was typed. `used_secret_hash` starts as the
    profile's expectation; whoever computes the hash records the truth with `replace`.
    """
    return Attempt(
        profile=profile.name,
        username=raw.username.strip(),
        client_id=(client_id or raw.client_id).strip(),
        region=profile.region.strip(),
        endpoint_url=profile.endpoint_url or None,
        client_metadata=tuple((k, v) for k, v in raw.client_metadata if k or v),
        analytics_endpoint_id=raw.analytics_endpoint_id,
        ip_address=raw.ip_address,
        encoded_data=raw.encoded_data,
        used_secret_hash=profile.has_secret,
        status=Status.PENDING,
        batch_id=batch_id,
    )
