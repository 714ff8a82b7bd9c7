"""How a failure is put to a person: advice fitted to the profile, and who said the message."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from app.core.outcome import DecodedFailure, FailureKind

# The catalog's network remedies name "the endpoint URL"; a profile that talks to AWS itself
# has none, so it gets these instead.
_REMEDIES_WITHOUT_ENDPOINT: Mapping[str, str] = MappingProxyType(
    {
        "EndpointUnreachable": (
            "Check the network connection and the profile's region; a firewall or proxy may be "
            "blocking AWS."
        ),
        "DnsFailure": (
            "Check the network's DNS and the profile's region (the AWS host name is built from "
            "the region)."
        ),
        "TlsError": (
            "Check the system's certificates; behind a corporate proxy set AWS_CA_BUNDLE to its "
            "CA file."
        ),
        "MalformedResponse": (
            "Something other than AWS answered (a proxy or a captive portal page): check the "
            "network."
        ),
        "HttpError": "Try again later; if it persists, check the network's proxy.",
    }
)


def remedy_for(failure: DecodedFailure, endpoint_url: str | None) -> str:
    """What to do, without advice about an endpoint URL the profile does not have."""
    if not endpoint_url:
        return _REMEDIES_WITHOUT_ENDPOINT.get(failure.code, failure.remedy)
    return failure.remedy


def from_aws(failure: DecodedFailure) -> bool:
    """Whether the failure's message is AWS's own words (not a failure on this side)."""
    return failure.kind is FailureKind.SERVICE


def message_heading(failure: DecodedFailure) -> str:
    """"AWS said" only for what AWS said; "Details" for a failure on this side."""
    return "AWS said:" if from_aws(failure) else "Details:"
