"""The Cognito gateway: unsigned calls (resend, sign-up, confirm), bounded retries, decoding."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from app.core.errors import decode
from app.core.outcome import (
    Attempt,
    DecodedFailure,
    DeliveryDetails,
    DeliveryMedium,
    FailureKind,
)
from app.core.request import ResendRequest
from app.services.botocore_data import SERVICE, config_errors, isolated_session, new_session
from app.services.cognito_failures import map_exception

if TYPE_CHECKING:
    import botocore.session

logger = logging.getLogger(__name__)



@dataclass(frozen=True)
class GatewayConfig:
    """Timeouts and the retry budget of one resend.

    `max_attempts` counts every HTTP call of one resend (1 = never retry). The backoff
    before retry n (1-based) is a random delay in [0, min(cap, base * 2**(n-1))]
    ("full jitter"), so many testers retrying at once do not retry in step.
    """

    connect_timeout: float = 3.0
    # Longer than Cognito may take to answer: it waits 5 s for a Lambda trigger and tries
    # it 3 times before it answers UnexpectedLambdaException (developer guide, "Lambda
    # triggers"). At 10 s the app cut that answer off and said "read timeout: the code
    # may have been sent" instead of naming the trigger.
    read_timeout: float = 20.0
    max_attempts: int = 3
    backoff_base: float = 0.2
    backoff_cap: float = 2.0
    # Where to keep botocore's data trimmed to cognito-idp (see _CognitoLoader); None: off.
    data_cache_dir: str | None = None


@dataclass(frozen=True)
class CallOutcome:
    """The result of one HTTP call: delivery details, a success without any, or a failure.

    `notes` is what else the answer said that the attempt should show (a new user's sub).
    """

    delivery: DeliveryDetails | None = None
    failure: DecodedFailure | None = None
    request_id: str | None = None
    http_status: int | None = None
    succeeded: bool = False
    notes: str = ""


@dataclass(frozen=True)
class UnsignedCall:
    """One unauthenticated cognito-idp operation, ready to send.

    `method` is botocore's snake_case name; `params` holds secret values in the clear
    (the SecretHash, a password), so `secrets` lists them for scrubbing from any error
    text; `parse` turns a successful answer into a CallOutcome. `retry_codes`, when set,
    narrows the catalog's retryable failures to those that cannot have changed anything
    (a SignUp that did reach Cognito would answer its retry with UsernameExists).
    """

    operation: str  # as the model names it, for logs
    method: str
    params: Mapping[str, object] = field(repr=False)
    parse: Callable[[Mapping[str, Any]], CallOutcome] = field(repr=False)
    secrets: tuple[str, ...] = field(default=(), repr=False)
    retry_codes: frozenset[str] | None = None


class CognitoGateway:
    """Sends unsigned Cognito calls with botocore; one client per (region, endpoint).

    Thread-safe: the UI calls `send` from worker threads. botocore clients are safe to share
    between threads once created; creating them is not, hence the lock.
    """

    def __init__(
        self,
        config: GatewayConfig = GatewayConfig(),  # noqa: B008 - frozen, so sharing is safe
        *,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self._config = config
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._lock = threading.Lock()
        self._session: botocore.session.Session | None = None
        self._clients: dict[tuple[str, str | None], Any] = {}

    @property
    def config(self) -> GatewayConfig:
        return self._config

    # -- clients ----------------------------------------------------------------------------

    def warm_up(self, region: str, endpoint_url: str | None) -> None:
        """Create and cache the client for (region, endpoint) now, so the first send is fast.

        Never raises: a bad region or URL is reported by `send`, where the user sees it.
        """
        try:
            self._client(region, endpoint_url)
        except Exception:  # warm-up is an optimisation only
            logger.debug("warm-up failed for region=%r endpoint=%r", region, endpoint_url)

    def _client(self, region: str, endpoint_url: str | None) -> Any:
        key = (region, endpoint_url or None)
        with self._lock:
            client = self._clients.get(key)
            if client is not None:
                return client
            import botocore
            from botocore.config import Config

            config = Config(
                # The operation is `authtype: none`: no credentials are looked up or sent.
                signature_version=botocore.UNSIGNED,
                connect_timeout=self._config.connect_timeout,
                read_timeout=self._config.read_timeout,
                # botocore's own retries would retry errors that must not be retried
                # (a dropped connection may already have sent the code); see _send_once.
                retries={"total_max_attempts": 1},
                # app.core validates every request against this operation's model before
                # it gets here (tests read the model's limits); botocore checking again
                # cost ~18 µs a call, ~2% of a batch row. The server still refuses what
                # slips through, with InvalidParameterException.
                parameter_validation=False,
            )
            try:
                client = self._session_locked().create_client(
                    SERVICE, region_name=region, endpoint_url=endpoint_url or None,
                    config=config,
                )
            except config_errors() as exc:
                logger.warning("ignoring the AWS config files: %s", exc)
                self._session = isolated_session(self._config.data_cache_dir)
                client = self._session.create_client(
                    SERVICE, region_name=region, endpoint_url=endpoint_url or None,
                    config=config,
                )
            self._clients[key] = client
            return client

    def _session_locked(self) -> botocore.session.Session:
        if self._session is None:
            try:
                self._session = new_session(isolated=False, cache_dir=self._config.data_cache_dir)
            except config_errors() as exc:
                # An unsigned call needs nothing from ~/.aws; a stale AWS_PROFILE or a
                # broken config file must not stop it.
                logger.warning("ignoring the AWS config files: %s", exc)
                self._session = isolated_session(self._config.data_cache_dir)
        return self._session

    # -- sending ----------------------------------------------------------------------------

    def send(self, attempt: Attempt, request: ResendRequest) -> Attempt:
        """Call ResendConfirmationCode for `attempt`; never raises for service or network errors."""
        secret_hash = request.secret_hash.reveal() if request.secret_hash else None
        call = UnsignedCall(
            operation="ResendConfirmationCode",
            method="resend_confirmation_code",
            params=request.to_api_params(),
            parse=parse_delivery,
            secrets=(secret_hash,) if secret_hash else (),
        )
        return self.call(attempt, call)

    def call(self, attempt: Attempt, call: UnsignedCall) -> Attempt:
        """Send `call` for `attempt`; never raises for service or network errors.

        Retries only what cannot have reached Cognito or what Cognito says is safe to
        retry (throttling, internal errors, 5xx without a code, refused connections,
        connect timeouts). Never LimitExceeded, read timeouts or dropped connections:
        the code may have been sent, and each extra attempt burns the user's limit.
        """
        budget = max(1, self._config.max_attempts)
        retries = 0
        while True:
            outcome = self._send_once(attempt, call)
            failure = outcome.failure
            if failure is None or not failure.retryable or retries + 1 >= budget:
                break
            if call.retry_codes is not None and failure.code not in call.retry_codes:
                break
            retries += 1
            delay = self._backoff(retries)
            logger.info(
                "%s profile=%r username=%r: %s, retry %d of %d in %.2fs",
                call.operation,
                attempt.profile,
                attempt.username,
                failure.code,
                retries,
                budget - 1,
                delay,
            )
            self._sleep(delay)
        if outcome.delivery is not None:
            result = attempt.delivered(
                outcome.delivery,
                request_id=outcome.request_id,
                http_status=outcome.http_status,
                retries=retries,
            )
        elif outcome.failure is None:
            result = attempt.succeeded(
                request_id=outcome.request_id, http_status=outcome.http_status, retries=retries
            )
        else:
            result = attempt.failed(outcome.failure, retries=retries)
        if outcome.notes:
            notes = "\n\n".join(n for n in (result.notes, outcome.notes) if n)
            result = replace(result, notes=notes)
        logger.info(
            "%s profile=%r username=%r outcome=%s latency_ms=%.0f retries=%d request_id=%s",
            call.operation,
            result.profile,
            result.username,
            result.failure.code if result.failure else result.status.value,
            result.latency_ms or 0.0,
            retries,
            result.request_id,
        )
        return result

    def _backoff(self, retry: int) -> float:
        ceiling = min(self._config.backoff_cap, self._config.backoff_base * 2 ** (retry - 1))
        return self._rng.uniform(0.0, ceiling)

    def _send_once(self, attempt: Attempt, call: UnsignedCall) -> CallOutcome:
        if not attempt.region.strip():
            return CallOutcome(failure=decode("NoRegion", "The profile has no region."))
        try:
            client = self._client(attempt.region.strip(), attempt.endpoint_url)
            response = getattr(client, call.method)(**call.params)
        except Exception as exc:  # every failure becomes a decoded outcome
            failure = map_exception(exc, secrets=call.secrets, operation=call.operation)
            if not attempt.used_secret_hash and failure.kind is FailureKind.SERVICE:
                # Only the caller knows that no SecretHash went out (Cognito's words are
                # the same for a missing and a wrong one).
                failure = decode(
                    failure.code,
                    failure.aws_message,
                    request_id=failure.request_id,
                    http_status=failure.http_status,
                    secret_hash_sent=False,
                )
            return CallOutcome(failure=failure)
        return call.parse(response)


def response_ids(response: Mapping[str, Any]) -> tuple[str | None, int | None]:
    """The request id and HTTP status of a successful answer."""
    meta = response.get("ResponseMetadata") or {}
    status = meta.get("HTTPStatusCode")
    return meta.get("RequestId") or None, status if isinstance(status, int) else None


def parse_delivery_details(details: Mapping[str, Any]) -> DeliveryDetails:
    """CodeDeliveryDetails as typed values (an unknown medium becomes None)."""
    medium_text = str(details.get("DeliveryMedium") or "")
    try:
        medium: DeliveryMedium | None = DeliveryMedium(medium_text)
    except ValueError:
        medium = None
    return DeliveryDetails(
        destination=str(details.get("Destination") or ""),
        medium=medium,
        attribute_name=str(details.get("AttributeName") or ""),
    )


def parse_delivery(response: Mapping[str, Any]) -> CallOutcome:
    """ResendConfirmationCode's answer: CodeDeliveryDetails is required (COGNITO.md: a
    truncated body parses as a success holding only ResponseMetadata)."""
    request_id, status = response_ids(response)
    details = response.get("CodeDeliveryDetails")
    if not isinstance(details, Mapping):
        # botocore turns an unparseable JSON body into {"message": <body>} rather than raising.
        body = str(response.get("message", ""))[:200]
        failure = decode(
            "MalformedResponse",
            "The answer is not a complete Cognito response (no CodeDeliveryDetails)"
            + (f": {body!r}" if body else "."),
            request_id=request_id,
            http_status=status,
        )
        return CallOutcome(failure=failure, request_id=request_id, http_status=status)
    return CallOutcome(
        delivery=parse_delivery_details(details), request_id=request_id, http_status=status
    )
