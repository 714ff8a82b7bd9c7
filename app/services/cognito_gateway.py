"""The Cognito gateway: unsigned ResendConfirmationCode calls, bounded retries, errors decoded."""

from __future__ import annotations

import logging
import random
import socket
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.core.errors import SERVICE_ERRORS, decode
from app.core.outcome import Attempt, DecodedFailure, DeliveryDetails, DeliveryMedium
from app.core.request import ResendRequest

if TYPE_CHECKING:
    import botocore.session

logger = logging.getLogger(__name__)

_MASK = "••••••"
_SERVICE = "cognito-idp"


@dataclass(frozen=True)
class GatewayConfig:
    """Timeouts and the retry budget of one resend.

    `max_attempts` counts every HTTP call of one resend (1 = never retry). The backoff
    before retry n (1-based) is a random delay in [0, min(cap, base * 2**(n-1))]
    ("full jitter"), so many testers retrying at once do not retry in step.
    """

    connect_timeout: float = 3.0
    read_timeout: float = 10.0
    max_attempts: int = 3
    backoff_base: float = 0.2
    backoff_cap: float = 2.0
    # Where to keep botocore's data trimmed to cognito-idp (see _CognitoLoader); None: off.
    data_cache_dir: str | None = None


@dataclass(frozen=True)
class _Outcome:
    """The result of one HTTP call: delivery details or a decoded failure."""

    delivery: DeliveryDetails | None = None
    failure: DecodedFailure | None = None
    request_id: str | None = None
    http_status: int | None = None


class CognitoGateway:
    """Sends ResendConfirmationCode with botocore, unsigned; one client per (region, endpoint).

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
            )
            try:
                client = self._session_locked().create_client(
                    _SERVICE, region_name=region, endpoint_url=endpoint_url or None,
                    config=config,
                )
            except _config_errors() as exc:
                logger.warning("ignoring the AWS config files: %s", exc)
                self._session = _isolated_session(self._config.data_cache_dir)
                client = self._session.create_client(
                    _SERVICE, region_name=region, endpoint_url=endpoint_url or None,
                    config=config,
                )
            self._clients[key] = client
            return client

    def _session_locked(self) -> botocore.session.Session:
        if self._session is None:
            try:
                self._session = _new_session(isolated=False, cache_dir=self._config.data_cache_dir)
            except _config_errors() as exc:
                # An unsigned call needs nothing from ~/.aws; a stale AWS_PROFILE or a
                # broken config file must not stop it.
                logger.warning("ignoring the AWS config files: %s", exc)
                self._session = _isolated_session(self._config.data_cache_dir)
        return self._session

    # -- sending ----------------------------------------------------------------------------

    def send(self, attempt: Attempt, request: ResendRequest) -> Attempt:
        """Call ResendConfirmationCode for `attempt`; never raises for service or network errors.

        Retries only what cannot have reached Cognito or what Cognito says is safe to
        retry (throttling, internal errors, 5xx without a code, refused connections,
        connect timeouts). Never LimitExceeded, read timeouts or dropped connections:
        the code may have been sent, and each extra attempt burns the user's limit.
        """
        budget = max(1, self._config.max_attempts)
        retries = 0
        while True:
            outcome = self._send_once(attempt, request)
            failure = outcome.failure
            if failure is None or not failure.retryable or retries + 1 >= budget:
                break
            retries += 1
            delay = self._backoff(retries)
            logger.info(
                "resend profile=%r username=%r: %s, retry %d of %d in %.2fs",
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
        else:
            assert outcome.failure is not None
            result = attempt.failed(outcome.failure, retries=retries)
        logger.info(
            "resend profile=%r username=%r outcome=%s latency_ms=%.0f retries=%d request_id=%s",
            result.profile,
            result.username,
            result.failure.code if result.failure else "Delivered",
            result.latency_ms or 0.0,
            retries,
            result.request_id,
        )
        return result

    def _backoff(self, retry: int) -> float:
        ceiling = min(self._config.backoff_cap, self._config.backoff_base * 2 ** (retry - 1))
        return self._rng.uniform(0.0, ceiling)

    def _send_once(self, attempt: Attempt, request: ResendRequest) -> _Outcome:
        secret_hash = request.secret_hash.reveal() if request.secret_hash else None
        if not attempt.region.strip():
            return _Outcome(failure=decode("NoRegion", "The profile has no region."))
        try:
            client = self._client(attempt.region.strip(), attempt.endpoint_url)
            response = client.resend_confirmation_code(**request.to_api_params())
        except Exception as exc:  # every failure becomes a decoded outcome
            return _Outcome(failure=map_exception(exc, secret_hash=secret_hash))
        return _parse_success(response)


def _config_errors() -> tuple[type[Exception], ...]:
    from botocore import exceptions as bex

    return (bex.ProfileNotFound, bex.ConfigParseError, bex.ConfigNotFound)


def _isolated_session(cache_dir: str | None = None) -> botocore.session.Session:
    """A session that reads neither AWS_PROFILE nor the AWS config file."""
    return _new_session(isolated=True, cache_dir=cache_dir)


def default_data_cache_dir() -> str:
    """The per-user cache folder for the trimmed botocore data (GatewayConfig.data_cache_dir)."""
    import platformdirs

    from app import APP_ID

    return str(platformdirs.user_cache_path(APP_ID, appauthor=False) / "botocore")


# The data files a cognito-idp client parses in full but uses a sliver of (measured:
# endpoints.json 1.25 MB, 50-100 ms; the cognito-idp model 45-90 ms with its loading).
_TRIMMED = ("endpoints", f"{_SERVICE}/")
_OPERATION = "ResendConfirmationCode"


def trim_endpoints(data: dict[str, Any]) -> dict[str, Any]:
    """endpoints.json with every partition's services cut down to cognito-idp."""
    partitions = []
    for part in data["partitions"]:
        services = part.get("services", {})
        kept = {_SERVICE: services[_SERVICE]} if _SERVICE in services else {}
        partitions.append({**part, "services": kept})
    return {**data, "partitions": partitions}


def trim_service_model(data: dict[str, Any]) -> dict[str, Any]:
    """The cognito-idp model with ResendConfirmationCode and the shapes it reaches only."""
    op = data["operations"][_OPERATION]
    shapes: dict[str, Any] = data["shapes"]
    keep: dict[str, Any] = {}
    todo = [op[k]["shape"] for k in ("input", "output") if k in op]
    todo += [e["shape"] for e in op.get("errors", ())]
    while todo:
        name = todo.pop()
        if name in keep:
            continue
        shape = shapes[name]
        keep[name] = shape
        todo += [m["shape"] for m in shape.get("members", {}).values()]
        todo += [shape[k]["shape"] for k in ("member", "key", "value") if k in shape]
    return {**data, "operations": {_OPERATION: op}, "shapes": keep}


def _trim(name: str, data: dict[str, Any]) -> dict[str, Any] | None:
    if name == "endpoints":
        return trim_endpoints(data)
    if name.startswith(f"{_SERVICE}/") and name.endswith("/service-2"):
        return trim_service_model(data)
    return None


def _new_session(*, isolated: bool, cache_dir: str | None = None) -> botocore.session.Session:
    """A botocore session whose model loader does not list all ~400 botocore services.

    botocore lists every service directory (twice) on the first client only to check that
    the name exists: ~70-140 ms of a CLI call. This app only ever loads cognito-idp.
    botocore alone, not boto3: boto3 adds nothing to one client call but its imports
    (s3transfer, multiprocessing: ~50-100 ms of every CLI start).
    """
    import json
    import os

    import botocore
    import botocore.session
    from botocore.loaders import Loader

    class _CognitoLoader(Loader):  # type: ignore[misc]  # botocore is untyped
        def list_available_services(self, type_name: str) -> list[str]:
            if self.list_api_versions(_SERVICE, type_name):
                return [_SERVICE]
            return list(super().list_available_services(type_name))

        def load_data_with_path(self, name: str) -> tuple[Any, str]:
            """botocore's data, trimmed to cognito-idp and cached, where that is safe.

            Only botocore's own files are trimmed (a model the user installed under
            ~/.aws/models or AWS_DATA_PATH is loaded as is), keyed by botocore's version
            and the file's size and mtime; any problem falls back to the full file.
            """
            if cache_dir is not None and name.startswith(_TRIMMED):
                try:
                    return self._cached(name)
                except Exception:  # the cache is an optimisation only
                    logger.debug("botocore data cache unusable for %s", name, exc_info=True)
            data, path = super().load_data_with_path(name)
            return data, str(path)

        def _cached(self, name: str) -> tuple[Any, str]:
            assert cache_dir is not None
            source = next(
                (
                    os.path.join(base, name)
                    for base in self.search_paths
                    for ext in (".json", ".json.gz")
                    if os.path.isfile(os.path.join(base, name) + ext)
                ),
                None,
            )
            if source is None or not self.is_builtin_path(source):
                data, path = super().load_data_with_path(name)
                return data, str(path)
            st = next(
                os.stat(source + ext)
                for ext in (".json", ".json.gz")
                if os.path.isfile(source + ext)
            )
            key = f"{botocore.__version__}-{st.st_size}-{st.st_mtime_ns}"
            cached = os.path.join(cache_dir, name.replace("/", "_") + f"-{key}.json")
            try:
                with open(cached, encoding="utf-8") as f:
                    return json.load(f), source
            except FileNotFoundError:
                pass
            data, path = super().load_data_with_path(name)
            trimmed = _trim(name, data)
            if trimmed is None:
                return data, path
            os.makedirs(cache_dir, mode=0o700, exist_ok=True)
            tmp = f"{cached}.{os.getpid()}.tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(trimmed, f, separators=(",", ":"))
            os.replace(tmp, cached)  # atomic: a concurrent reader sees all or nothing
            return trimmed, path

    # (config name, env var, default, converter): no env var means AWS_PROFILE is not read.
    session_vars = (
        {
            "profile": (None, None, None, None),
            "config_file": (None, None, os.devnull, None),
        }
        if isolated
        else None
    )
    core = botocore.session.Session(session_vars=session_vars)
    # As botocore's own create_loader: AWS_DATA_PATH entries come before the built-in data.
    data_path = core.get_config_variable("data_path")
    extra = (
        [os.path.expanduser(os.path.expandvars(p)) for p in data_path.split(os.pathsep)]
        if data_path
        else None
    )
    core.register_component("data_loader", _CognitoLoader(extra_search_paths=extra))
    return core


def _parse_success(response: Mapping[str, Any]) -> _Outcome:
    meta = response.get("ResponseMetadata") or {}
    request_id = meta.get("RequestId") or None
    status = meta.get("HTTPStatusCode")
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
        return _Outcome(failure=failure, request_id=request_id, http_status=status)
    medium_text = str(details.get("DeliveryMedium") or "")
    try:
        medium: DeliveryMedium | None = DeliveryMedium(medium_text)
    except ValueError:
        medium = None
    delivery = DeliveryDetails(
        destination=str(details.get("Destination") or ""),
        medium=medium,
        attribute_name=str(details.get("AttributeName") or ""),
    )
    return _Outcome(delivery=delivery, request_id=request_id, http_status=status)


def _scrub(text: str, secret_hash: str | None) -> str:
    """Remove the SecretHash from an exception's text (botocore may echo parameter values)."""
    if secret_hash:
        text = text.replace(secret_hash, _MASK)
    return text


def _is_dns_failure(exc: BaseException) -> bool:
    """Whether a connection error (or anything it wraps) is a host-name resolution failure."""
    from urllib3.exceptions import NameResolutionError

    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, socket.gaierror | NameResolutionError):
            return True
        kwargs = getattr(current, "kwargs", None)
        inner = kwargs.get("error") if isinstance(kwargs, dict) else None
        stack.extend([inner if isinstance(inner, BaseException) else None])
        stack.extend([current.__cause__, current.__context__])
        stack.extend(a for a in current.args if isinstance(a, BaseException))
        reason = getattr(current, "reason", None)
        stack.append(reason if isinstance(reason, BaseException) else None)
    return False


def map_exception(exc: BaseException, *, secret_hash: str | None = None) -> DecodedFailure:
    """Decode any exception a boto3 call may raise into the error catalog."""
    from botocore import exceptions as bex
    from botocore.parsers import ResponseParserError

    message = _scrub(str(exc), secret_hash)
    if isinstance(exc, bex.ClientError):
        return _decode_client_error(exc.response, secret_hash)
    # Order matters: ConnectTimeoutError and SSLError are also ConnectionErrors.
    if isinstance(exc, bex.ConnectTimeoutError):
        return decode("ConnectTimeout", message)
    if isinstance(exc, bex.ReadTimeoutError):
        return decode("ReadTimeout", message)
    if isinstance(exc, bex.SSLError):
        return decode("TlsError", message)
    if isinstance(exc, bex.EndpointConnectionError):
        return decode("DnsFailure" if _is_dns_failure(exc) else "EndpointUnreachable", message)
    if isinstance(exc, bex.ConnectionClosedError):
        return decode("ConnectionDropped", message)
    if isinstance(exc, bex.ProxyConnectionError):
        return decode("EndpointUnreachable", message)
    if isinstance(exc, bex.HTTPClientError):
        # Anything else urllib3 raised mid-exchange (ProtocolError and kin): the request
        # may have reached the server, so it counts as dropped, never retried.
        return decode("ConnectionDropped", message)
    if isinstance(exc, ResponseParserError):
        return decode("MalformedResponse", message)
    if isinstance(exc, bex.NoRegionError):
        return decode("NoRegion", message)
    if isinstance(exc, bex.InvalidRegionError):
        return decode("ParamValidation", f"Region: {message}")
    if isinstance(exc, bex.ParamValidationError):
        return decode("ParamValidation", message)
    if isinstance(exc, ValueError) and "endpoint" in message.lower():
        return decode("InvalidEndpointUrl", message)
    # The traceback goes to the log (never to the user), scrubbed like the message: an
    # exception's text may quote the parameters it was given.
    trace = _scrub("".join(traceback.format_exception(exc)), secret_hash)
    logger.error("unexpected %s during ResendConfirmationCode\n%s", type(exc).__name__, trace)
    return decode("UnknownError", f"{type(exc).__name__}: {message}"[:500])


def _decode_client_error(response: Mapping[str, Any], secret_hash: str | None) -> DecodedFailure:
    error = response.get("Error") or {}
    meta = response.get("ResponseMetadata") or {}
    code = str(error.get("Code") or "")
    message = _scrub(str(error.get("Message") or ""), secret_hash)
    request_id = meta.get("RequestId") or None
    status = meta.get("HTTPStatusCode")
    status = status if isinstance(status, int) else None
    if status is not None and status >= 500 and code not in SERVICE_ERRORS:
        # botocore uses the status as the code when the body has none (an HTML error page).
        detail = message if code.isdigit() or not code else f"{code}: {message}"
        return decode("HttpError", detail[:500], request_id=request_id, http_status=status)
    return decode(code or "UnknownError", message, request_id=request_id, http_status=status)
