"""`resend`: one ResendConfirmationCode from the terminal, explained, and kept in the history."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from app.cli_common import (
    EXIT_CREDENTIALS,
    EXIT_FAILURE,
    EXIT_INPUT,
    EXIT_NETWORK,
    SANDBOX_URL_ENV,
    app_paths,
    exit_code_for,
    fail,
    print_json,
    sandbox_url,
    say,
)
from app.core.outcome import SIMULATED_DELIVERY_CAUTION, Attempt, Status
from app.core.profile import SANDBOX_PROFILE_NAME, ClientCredentials, Profile
from app.core.request import (
    Field,
    FieldError,
    MetadataParseError,
    ResendInput,
    form_errors,
    parse_metadata_assignment,
    parse_metadata_json,
)

if TYPE_CHECKING:
    from app.services.paths import AppPaths

# The flag a person typed for each API field, so a message points at the right one.
FIELD_FLAGS = {
    Field.CLIENT_ID: "the profile's client ID",
    Field.USERNAME: "--username",
    Field.CLIENT_METADATA: "--metadata/--metadata-json",
    Field.ANALYTICS_ENDPOINT_ID: "--analytics-endpoint-id",
    Field.IP_ADDRESS: "--ip",
    Field.ENCODED_DATA: "--encoded-data",
}


@dataclass(frozen=True)
class _Target:
    """The profile to resend through and, for the sandbox, the credentials to use."""

    profile: Profile
    credentials: ClientCredentials | None


class _NoKeyring:
    """Stands in for the keyring when credentials are always given (the sandbox path)."""

    def load(self, profile_name: str) -> ClientCredentials:
        raise AssertionError("the sandbox path passes its credentials explicitly")


def _metadata(args: argparse.Namespace) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    if args.metadata_json is not None:
        try:
            pairs.extend(parse_metadata_json(args.metadata_json))
        except MetadataParseError as exc:
            fail(f"--metadata-json: {exc}")
    for text in args.metadata:
        try:
            pairs.append(parse_metadata_assignment(text))
        except MetadataParseError as exc:
            fail(f"--metadata: {exc}")
    return pairs


def _input_errors(errors: tuple[FieldError, ...], as_json: bool) -> int:
    for e in errors:
        row = f" (metadata entry {e.row + 1})" if e.row is not None else ""
        say(f"resend: {FIELD_FLAGS[e.field]}{row}: {e.message}")
    if as_json:
        print_json(
            {
                "outcome": "invalid_input",
                "errors": [
                    {"field": e.field.value, "flag": FIELD_FLAGS[e.field], "row": e.row,
                     "message": e.message}
                    for e in errors
                ],
            }
        )
    return EXIT_INPUT


@contextmanager
def _sandbox_target(args: argparse.Namespace) -> Iterator[_Target]:
    """The built-in Sandbox profile: a running sandbox, or one started for this call."""
    url = sandbox_url(args.endpoint_url)
    service = None
    if url is not None:
        from app.sandbox.control import SandboxControl, SandboxControlError

        try:
            info = SandboxControl(url, timeout_s=args.timeout or 5.0).info()
        except SandboxControlError as exc:
            fail(f"no sandbox answers at {url}: {exc}", EXIT_NETWORK)
    else:
        say(
            f"resend: no sandbox URL given (--endpoint-url or ${SANDBOX_URL_ENV}); starting "
            "an embedded sandbox for this call (it stops when the command ends)"
        )
        from app.services.sandbox_service import SandboxService

        service = SandboxService()
        try:
            info = service.start()
        except OSError as exc:
            fail(f"cannot start the embedded sandbox: {exc}", EXIT_NETWORK)
    try:
        client = info.client(args.sandbox_client)
        from app.core.secrets import Secret

        credentials = ClientCredentials(
            client.client_id, Secret(client.client_secret) if client.client_secret else None
        )
        profile = Profile(
            name=SANDBOX_PROFILE_NAME,
            region=info.region,
            endpoint_url=info.endpoint_url,
            user_pool_id=info.user_pool_id,
            has_secret=credentials.client_secret is not None,
            builtin=True,
        )
        yield _Target(profile, credentials)
    finally:
        if service is not None:
            service.stop()


def _stored_target(args: argparse.Namespace, paths: AppPaths) -> _Target:
    from app.core.profile import validate_endpoint_url
    from app.services.profile_repository import ProfileFileError, ProfileRepository

    try:
        repo = ProfileRepository(paths.profiles_file)
        profile = repo.get(args.profile)
        known = [p.name for p in repo.list()]
    except ProfileFileError as exc:
        fail(f"cannot read the profiles file: {exc}", EXIT_FAILURE)
    if profile is None:
        listed = ", ".join(known + [SANDBOX_PROFILE_NAME])
        fail(f"--profile: there is no profile named {args.profile!r} (known: {listed})")
    if args.endpoint_url:
        problems = validate_endpoint_url(args.endpoint_url)
        if problems:
            fail(f"--endpoint-url: {problems[0].message}")
        profile = replace(profile, endpoint_url=args.endpoint_url)
    return _Target(profile, None)


def _print_human(attempt: Attempt) -> None:
    from app.core.describe import describe_attempt

    text = describe_attempt(attempt)
    if attempt.status is Status.DELIVERED and SIMULATED_DELIVERY_CAUTION not in text:
        text += f"\nNote: {SIMULATED_DELIVERY_CAUTION}"
    print(text)


def _as_json(attempt: Attempt, code: int) -> dict[str, object]:
    from app.core.serialize import attempt_to_dict

    data: dict[str, object] = {"outcome": attempt.status.value, "exit_code": code}
    data.update(attempt_to_dict(attempt))
    if attempt.failure is not None:
        f = attempt.failure
        data.update(
            error_code=f.code,
            title=f.title,
            cause=f.cause,
            remedy=f.remedy,
            kind=f.kind.value,
            aws_message=f.aws_message,
        )
    elif attempt.status is Status.DELIVERED:
        data["caution"] = SIMULATED_DELIVERY_CAUTION
    return data


def run_resend(args: argparse.Namespace) -> int:
    raw = ResendInput(
        client_id="",
        username=args.username,
        client_metadata=tuple(_metadata(args)),
        analytics_endpoint_id=args.analytics_endpoint_id,
        ip_address=args.ip,
        encoded_data=args.encoded_data,
    )
    # Checked before the keyring or the network is touched: a typo costs nothing.
    errors = form_errors(raw)
    if errors:
        return _input_errors(errors, args.json)
    paths = app_paths()
    if args.profile.strip() == SANDBOX_PROFILE_NAME:
        with _sandbox_target(args) as target:
            return _resend(args, paths, raw, target)
    return _resend(args, paths, raw, _stored_target(args, paths))


def _resend(args: argparse.Namespace, paths: AppPaths, raw: ResendInput, target: _Target) -> int:
    from app.core.attempts import begin_attempt
    from app.services.cognito_gateway import (
        CognitoGateway,
        GatewayConfig,
        default_data_cache_dir,
    )
    from app.services.history_store import HistoryStore
    from app.services.resend_service import CredentialSource, ResendService

    # A process per call: parsing botocore's full data files would be a fifth of it.
    config = GatewayConfig(data_cache_dir=default_data_cache_dir())
    if args.timeout is not None:
        config = replace(
            config, read_timeout=args.timeout, connect_timeout=min(config.connect_timeout,
                                                                   args.timeout)
        )
    secrets: CredentialSource
    if target.credentials is not None:
        secrets = _NoKeyring()
    else:
        from app.services.secret_store import SecretStore

        secrets = SecretStore()
    history = HistoryStore(paths.history_db)
    try:
        if getattr(history, "recovered_from", None):
            say(f"resend: the history file was damaged; it was moved to {history.recovered_from}")
        gateway = CognitoGateway(config)
        # Created before the attempt starts its clock: the latency shown is the call's.
        gateway.warm_up(target.profile.region, target.profile.endpoint_url)
        service = ResendService(gateway, secrets, history)
        client_id = target.credentials.client_id if target.credentials else ""
        attempt = begin_attempt(target.profile, raw, client_id=client_id)
        final = service.run(attempt, target.profile, raw, target.credentials)
    finally:
        history.close()
    code = exit_code_for(final)
    if args.json:
        print_json(_as_json(final, code))
    else:
        _print_human(final)
    if code == EXIT_CREDENTIALS and not args.json:
        say("resend: the profile's credentials could not be read from the keyring (see above)")
    return code
