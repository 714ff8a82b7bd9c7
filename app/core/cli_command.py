"""The AWS CLI command that repeats an attempt, for people who want to run it themselves."""

from __future__ import annotations

import json
import shlex

from app.core.outcome import Attempt, AttemptKind

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


# The AWS CLI subcommand that repeats each kind of attempt (the unsigned ones).
_SUBCOMMANDS = {
    AttemptKind.RESEND: "resend-confirmation-code",
    AttemptKind.SIGNUP: "sign-up",
    AttemptKind.CONFIRM: "confirm-sign-up",
}


def aws_cli_command(
    a: Attempt,
    *,
    secret_hash_placeholder: str = "<SECRET_HASH>",
    password_placeholder: str = "<PASSWORD>",
) -> str:
    """One shell-quoted `aws cognito-idp <resend-confirmation-code|sign-up|confirm-sign-up>`
    line (admin attempts are repeated as a resend: their own calls need credentials).

    The SecretHash and a sign-up's password are never known here (an Attempt holds
    neither): placeholders stand in their place for the reader to fill. Structures are
    passed as JSON, which the CLI accepts for every parameter and which needs no shorthand
    escaping.
    """
    sub = _SUBCOMMANDS.get(a.kind, _SUBCOMMANDS[AttemptKind.RESEND])
    parts = [f"aws cognito-idp {sub}", "--no-sign-request"]
    if a.region:
        parts.append(_option("--region", a.region))
    if a.endpoint_url:
        parts.append(_option("--endpoint-url", a.endpoint_url))
    parts.append(_option("--client-id", a.client_id))
    literal = {"Username": a.username}
    if a.kind is AttemptKind.CONFIRM:
        literal["ConfirmationCode"] = a.confirmation_code
    # A literal value that looks like a file or URL must travel inside --cli-input-json.
    as_json = {k: v for k, v in literal.items() if v.startswith(_PARAMFILE_PREFIXES)}
    if as_json:
        parts.append(_option("--cli-input-json", _json(as_json)))
    for key, flag in (("Username", "--username"), ("ConfirmationCode", "--confirmation-code")):
        if key in literal and key not in as_json:
            parts.append(_option(flag, literal[key]))
    if a.kind is AttemptKind.SIGNUP:
        parts.append(_option("--password", password_placeholder))
        if a.user_attributes:
            attributes = [{"Name": n, "Value": v} for n, v in a.user_attributes]
            parts.append(_option("--user-attributes", _json(attributes)))
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
