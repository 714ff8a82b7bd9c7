"""The AWS CLI command that repeats an attempt, for people who want to run it themselves."""

from __future__ import annotations

import json
import shlex

from app.core.outcome import Attempt

# The AWS CLI (v1) reads a parameter value starting with these from a file or URL
# instead of taking it literally; such a value has to travel inside --cli-input-json.
_PARAMFILE_PREFIXES = ("file://", "fileb://", "http://", "https://")


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _option(name: str, value: str) -> str:
    # "--opt=-x" keeps a value that starts with '-' from being read as an option.
    if value.startswith("-"):
        return shlex.quote(f"{name}={value}")
    return f"{name} {shlex.quote(value)}"


def aws_cli_command(a: Attempt, *, secret_hash_placeholder: str = "<SECRET_HASH>") -> str:
    """One shell-quoted `aws cognito-idp resend-confirmation-code ...` line.

    The SecretHash is never known here (an Attempt does not hold it): when one was used,
    the placeholder stands in its place for the reader to fill. Structures are passed as
    JSON, which the CLI accepts for every parameter and which needs no shorthand escaping.
    """
    parts = ["aws cognito-idp resend-confirmation-code", "--no-sign-request"]
    if a.region:
        parts.append(_option("--region", a.region))
    if a.endpoint_url:
        parts.append(_option("--endpoint-url", a.endpoint_url))
    parts.append(_option("--client-id", a.client_id))
    if a.username.startswith(_PARAMFILE_PREFIXES):
        parts.append(_option("--cli-input-json", _json({"Username": a.username})))
    else:
        parts.append(_option("--username", a.username))
    if a.used_secret_hash:
        parts.append(_option("--secret-hash", secret_hash_placeholder))
    if a.client_metadata:
        parts.append(_option("--client-metadata", _json(dict(a.client_metadata))))
    context = {
        k: v for k, v in (("IpAddress", a.ip_address), ("EncodedData", a.encoded_data)) if v
    }
    if context:
        parts.append(_option("--user-context-data", _json(context)))
    if a.analytics_endpoint_id:
        parts.append(
            _option("--analytics-metadata", _json({"AnalyticsEndpointId": a.analytics_endpoint_id}))
        )
    return " ".join(parts)
