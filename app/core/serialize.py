"""Attempts to and from JSON-safe dicts (history rows, exports); nothing secret is in them."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from app.core.outcome import (
    Attempt,
    AttemptKind,
    DecodedFailure,
    DeliveryDetails,
    DeliveryMedium,
    DeliveryVerdict,
    DiagnosisSnapshot,
    FailureKind,
    Severity,
    Status,
)

# Bumped when a key changes meaning; readers refuse a format newer than they know.
FORMAT_VERSION = 1


_E = TypeVar("_E", bound=StrEnum)


class AttemptFormatError(ValueError):
    """A stored attempt that cannot be read back (wrong type, unknown value, newer format)."""


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _finite(value: float | None) -> float | None:
    # JSON has no NaN or infinity; a latency that is not a number is no latency.
    return value if value is not None and math.isfinite(value) else None


def attempt_to_dict(a: Attempt) -> dict[str, object]:
    """A dict of str, int, float, bool, None, lists and dicts only; times in ISO 8601."""
    delivery: dict[str, object] | None = None
    if a.delivery is not None:
        delivery = {
            "destination": a.delivery.destination,
            "medium": a.delivery.medium.value if a.delivery.medium else None,
            "attribute_name": a.delivery.attribute_name,
        }
    failure: dict[str, object] | None = None
    if a.failure is not None:
        f = a.failure
        failure = {
            "code": f.code,
            "title": f.title,
            "cause": f.cause,
            "remedy": f.remedy,
            "kind": f.kind.value,
            "aws_message": f.aws_message,
            "request_id": f.request_id,
            "http_status": f.http_status,
            "retryable": f.retryable,
            "severity": f.severity.value,
        }
    return {
        "format": FORMAT_VERSION,
        "attempt_id": a.attempt_id,
        "batch_id": a.batch_id,
        "profile": a.profile,
        "username": a.username,
        "client_id": a.client_id,
        "region": a.region,
        "endpoint_url": a.endpoint_url,
        # A list of pairs, not an object: it keeps the form's order.
        "client_metadata": [[k, v] for k, v in a.client_metadata],
        "analytics_endpoint_id": a.analytics_endpoint_id,
        "ip_address": a.ip_address,
        "encoded_data": a.encoded_data,
        "used_secret_hash": a.used_secret_hash,
        "status": a.status.value,
        "delivery": delivery,
        "failure": failure,
        "request_id": a.request_id,
        "http_status": a.http_status,
        "started_at": _time(a.started_at),
        "finished_at": _time(a.finished_at),
        "latency_ms": _finite(a.latency_ms),
        "retries": a.retries,
        "notes": a.notes,
        "kind": a.kind.value,
        "verdict": a.verdict.value if a.verdict else None,
        "user_attributes": [[k, v] for k, v in a.user_attributes],
        "confirmation_code": a.confirmation_code,
        "diagnosis": _snapshot_to_dict(a.diagnosis),
    }


def _snapshot_to_dict(s: DiagnosisSnapshot | None) -> dict[str, object] | None:
    if s is None:
        return None
    return {
        "summary": s.summary,
        "user_found": s.user_found,
        "addressable": s.addressable,
        "client_can_simulate": s.client_can_simulate,
        "will_send": s.will_send,
        "findings": list(s.findings),
    }


class _Reader:
    """Typed access to one dict, with errors that name the key."""

    def __init__(self, d: Mapping[str, object], where: str) -> None:
        self._d = d
        self._where = where

    def _fail(self, key: str, wanted: str) -> AttemptFormatError:
        got = type(self._d.get(key)).__name__
        return AttemptFormatError(f"{self._where}.{key} should be {wanted}, not {got}")

    def has(self, key: str) -> bool:
        return self._d.get(key) is not None

    def str_(self, key: str, default: str | None = None) -> str:
        value = self._d.get(key, default)
        if not isinstance(value, str):
            raise self._fail(key, "a string")
        return value

    def opt_str(self, key: str) -> str | None:
        value = self._d.get(key)
        if value is not None and not isinstance(value, str):
            raise self._fail(key, "a string or null")
        return value

    def bool_(self, key: str, default: bool) -> bool:
        value = self._d.get(key, default)
        if not isinstance(value, bool):
            raise self._fail(key, "true or false")
        return value

    def int_(self, key: str, default: int) -> int:
        value = self._d.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._fail(key, "an integer")
        return value

    def opt_int(self, key: str) -> int | None:
        value = self._d.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._fail(key, "an integer or null")
        return value

    def opt_float(self, key: str) -> float | None:
        value = self._d.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._fail(key, "a number or null")
        return float(value)

    def opt_time(self, key: str) -> datetime | None:
        text = self.opt_str(key)
        if text is None:
            return None
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            raise AttemptFormatError(
                f"{self._where}.{key} is not an ISO 8601 time: {text[:40]!r}"
            ) from None

    def sub(self, key: str) -> _Reader | None:
        value = self._d.get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            raise self._fail(key, "an object or null")
        return _Reader(value, f"{self._where}.{key}")

    def pairs(self, key: str) -> tuple[tuple[str, str], ...]:
        value = self._d.get(key, [])
        if not isinstance(value, list | tuple):
            raise self._fail(key, "a list of [key, value] pairs")
        out: list[tuple[str, str]] = []
        for item in value:
            if (
                not isinstance(item, list | tuple)
                or len(item) != 2
                or not all(isinstance(x, str) for x in item)
            ):
                raise self._fail(key, "a list of [key, value] pairs")
            out.append((item[0], item[1]))
        return tuple(out)

    def opt_bool(self, key: str) -> bool | None:
        value = self._d.get(key)
        if value is not None and not isinstance(value, bool):
            raise self._fail(key, "true, false or null")
        return value

    def strs(self, key: str) -> tuple[str, ...]:
        value = self._d.get(key, [])
        if not isinstance(value, list | tuple) or not all(isinstance(x, str) for x in value):
            raise self._fail(key, "a list of strings")
        return tuple(value)

    def enum_(self, key: str, enum_type: type[_E]) -> _E:
        text = self.str_(key)
        try:
            return enum_type(text)
        except ValueError:
            allowed = ", ".join(m.value for m in enum_type)
            raise AttemptFormatError(
                f"{self._where}.{key} is {text[:40]!r}; expected one of {allowed}"
            ) from None


def attempt_from_dict(d: Mapping[str, object]) -> Attempt:
    """Rebuild an Attempt from `attempt_to_dict`'s output; raises AttemptFormatError.

    Keys an older writer did not know take the Attempt's defaults.
    """
    if not isinstance(d, Mapping):
        raise AttemptFormatError(f"an attempt should be an object, not {type(d).__name__}")
    r = _Reader(d, "attempt")
    version = r.int_("format", FORMAT_VERSION)
    if version > FORMAT_VERSION:
        raise AttemptFormatError(
            f"attempt has format {version}; this version reads up to {FORMAT_VERSION}"
        )
    status = r.enum_("status", Status)
    started_at = r.opt_time("started_at")
    if started_at is None:
        raise AttemptFormatError("attempt.started_at is missing")

    delivery: DeliveryDetails | None = None
    dr = r.sub("delivery")
    if dr is not None:
        medium: DeliveryMedium | None = None
        if dr.has("medium"):
            medium = dr.enum_("medium", DeliveryMedium)
        delivery = DeliveryDetails(
            destination=dr.str_("destination", ""),
            medium=medium,
            attribute_name=dr.str_("attribute_name", ""),
        )

    failure: DecodedFailure | None = None
    fr = r.sub("failure")
    if fr is not None:
        kind = fr.enum_("kind", FailureKind)
        failure = DecodedFailure(
            code=fr.str_("code"),
            title=fr.str_("title"),
            cause=fr.str_("cause", ""),
            remedy=fr.str_("remedy", ""),
            kind=kind,
            aws_message=fr.str_("aws_message", ""),
            request_id=fr.opt_str("request_id"),
            http_status=fr.opt_int("http_status"),
            retryable=fr.bool_("retryable", False),
            severity=fr.enum_("severity", Severity) if fr.has("severity") else Severity.ERROR,
        )

    snapshot: DiagnosisSnapshot | None = None
    sr = r.sub("diagnosis")
    if sr is not None:
        snapshot = DiagnosisSnapshot(
            summary=sr.str_("summary", ""),
            user_found=sr.opt_bool("user_found"),
            addressable=sr.opt_bool("addressable"),
            client_can_simulate=sr.opt_bool("client_can_simulate"),
            will_send=sr.opt_bool("will_send"),
            findings=sr.strs("findings"),
        )

    return Attempt(
        profile=r.str_("profile"),
        username=r.str_("username"),
        client_id=r.str_("client_id"),
        region=r.str_("region"),
        endpoint_url=r.opt_str("endpoint_url"),
        client_metadata=r.pairs("client_metadata"),
        analytics_endpoint_id=r.str_("analytics_endpoint_id", ""),
        ip_address=r.str_("ip_address", ""),
        encoded_data=r.str_("encoded_data", ""),
        used_secret_hash=r.bool_("used_secret_hash", False),
        status=status,
        delivery=delivery,
        failure=failure,
        request_id=r.opt_str("request_id"),
        http_status=r.opt_int("http_status"),
        started_at=started_at,
        finished_at=r.opt_time("finished_at"),
        latency_ms=r.opt_float("latency_ms"),
        retries=r.int_("retries", 0),
        batch_id=r.opt_str("batch_id"),
        attempt_id=r.str_("attempt_id"),
        notes=r.str_("notes", ""),
        kind=r.enum_("kind", AttemptKind) if r.has("kind") else AttemptKind.RESEND,
        verdict=r.enum_("verdict", DeliveryVerdict) if r.has("verdict") else None,
        user_attributes=r.pairs("user_attributes"),
        confirmation_code=r.str_("confirmation_code", ""),
        diagnosis=snapshot,
    )
