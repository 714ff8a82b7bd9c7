"""One diagnosis: the reads in parallel, this user's recent attempts, then core's rules."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from app.core.arrival import ChecklistItem, LogFindings, LogLine, arrival_checklist
from app.core.diagnosis import diagnose
from app.core.diagnosis_input import (
    Area,
    ClientSettings,
    LookupKey,
    NotChecked,
    PoolSettings,
    UserRecord,
)
from app.core.diagnosis_result import Diagnosis, DiagnosisInput
from app.core.outcome import Attempt, DecodedFailure, FailureKind
from app.services.admin_reader import AdminReader, AdminReadError, lookup_keys
from app.services.aws_session import AdminTarget

logger = logging.getLogger(__name__)

_S = TypeVar("_S")

# (profile name, identifiers) -> that profile's recent attempts for any of them.
RecentAttempts = Callable[[str, tuple[str, ...]], tuple[Attempt, ...]]

_NO_POOL = NotChecked(
    Area.USER,
    "the profile names no user pool ID",
    "add the user pool ID to the profile (profiles set NAME --user-pool-id ID)",
)


@dataclass(frozen=True)
class DiagnosisRun:
    """A diagnosis and the decoded failures of the reads that could not be made."""

    diagnosis: Diagnosis
    failures: tuple[DecodedFailure, ...] = ()

    @property
    def only_network_failed(self) -> bool:
        """Every read failed for a network reason (the CLI's exit 4)."""
        return bool(self.failures) and all(f.kind is FailureKind.NETWORK for f in self.failures)


_NO_CLIENT_ID = NotChecked(
    Area.CLIENT,
    "the profile's client ID could not be read from the keyring",
    "unlock the keyring (or type the client ID for this session)",
)


def _not_checked(area: Area, error: AdminReadError) -> NotChecked:
    f = error.failure
    return NotChecked(area, f"{f.title}: {f.cause}", f.remedy)


def history_recent(page: Callable[[str, str], list[Attempt]]) -> RecentAttempts:
    """RecentAttempts from a reader of one (profile, username)'s newest attempts."""

    def read(profile: str, names: tuple[str, ...]) -> tuple[Attempt, ...]:
        seen: dict[str, Attempt] = {}
        for name in dict.fromkeys(n for n in names if n):
            for a in page(profile, name):
                seen[a.attempt_id] = a
        return tuple(seen.values())

    return read


class DiagnosisService:
    """Runs the user lookup(s), DescribeUserPool and DescribeUserPoolClient at once (the
    latter two cached by the reader), reads the history, and applies core's rules.
    Never raises for AWS trouble: what failed becomes `not_checked` with its remedy."""

    def __init__(
        self,
        reader: AdminReader,
        recent: RecentAttempts | None = None,
        *,
        workers: int = 6,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._reader = reader
        self._recent = recent
        self._clock = clock
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="diagnosis")

    @property
    def reader(self) -> AdminReader:
        return self._reader

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def diagnose(
        self,
        target: AdminTarget,
        identifier: str,
        key: LookupKey | None = None,
        *,
        profile_has_secret: bool | None = None,
    ) -> Diagnosis:
        """The diagnosis of `identifier` (looked up by `key`, or by every key its shape
        allows) through `target`'s pool and client."""
        return self.run(target, identifier, key, profile_has_secret=profile_has_secret).diagnosis

    def run(
        self,
        target: AdminTarget,
        identifier: str,
        key: LookupKey | None = None,
        *,
        profile_has_secret: bool | None = None,
    ) -> DiagnosisRun:
        """`diagnose`, with the failures of the reads that could not be made."""
        identifier = identifier.strip()
        failures: list[DecodedFailure] = []
        not_checked: list[NotChecked] = []
        matches: tuple[UserRecord, ...] | None = None
        pool: PoolSettings | None = None
        client: ClientSettings | None = None
        if not target.pool_id:
            not_checked.append(_NO_POOL)
            not_checked.append(NotChecked(Area.POOL, _NO_POOL.why, _NO_POOL.allow))
            not_checked.append(NotChecked(Area.CLIENT, _NO_POOL.why, _NO_POOL.allow))
        else:
            keys = (key,) if key is not None else lookup_keys(identifier)
            finds = [self._pool.submit(self._reader.find, target, k, identifier) for k in keys]
            pool_f = self._pool.submit(self._reader.pool, target)
            client_f = (
                self._pool.submit(self._reader.app_client, target) if target.client_id else None
            )
            matches = self._matches(finds, not_checked, failures)
            pool = self._result(pool_f, Area.POOL, not_checked, failures)
            if client_f is not None:
                client = self._result(client_f, Area.CLIENT, not_checked, failures)
            else:
                not_checked.append(_NO_CLIENT_ID)
        recent, history_ok = self._history(target, identifier, matches)
        diagnosis = diagnose(
            DiagnosisInput(
                identifier=identifier,
                matches=matches,
                pool=pool,
                client=client,
                recent=recent,
                not_checked=tuple(not_checked),
                profile_has_secret=profile_has_secret,
                now=self._clock(),
                history_checked=history_ok,
            )
        )
        return DiagnosisRun(diagnosis, tuple(failures))

    @staticmethod
    def _matches(
        finds: list[Future[tuple[UserRecord, ...]]],
        not_checked: list[NotChecked],
        failures: list[DecodedFailure],
    ) -> tuple[UserRecord, ...] | None:
        found: dict[str, UserRecord] = {}
        failed: AdminReadError | None = None
        for future in finds:  # username first: its match is the exact one
            try:
                for user in future.result():
                    found.setdefault(user.username, user)
            except AdminReadError as exc:
                failed = failed or exc
        if failed is not None and not found:
            not_checked.append(_not_checked(Area.USER, failed))
            failures.append(failed.failure)
            return None
        return tuple(found.values())

    @staticmethod
    def _result(
        future: Future[_S],
        area: Area,
        not_checked: list[NotChecked],
        failures: list[DecodedFailure],
    ) -> _S | None:
        try:
            return future.result()
        except AdminReadError as exc:
            not_checked.append(_not_checked(area, exc))
            failures.append(exc.failure)
            return None

    def _history(
        self, target: AdminTarget, identifier: str, matches: tuple[UserRecord, ...] | None
    ) -> tuple[tuple[Attempt, ...], bool]:
        if self._recent is None:
            return (), False
        names = [identifier]
        for user in matches or ():
            names.extend(v for v in (user.username, user.email, user.phone_number, user.sub) if v)
        try:
            return self._recent(target.profile.name, tuple(names)), True
        except Exception:  # the history is a nicety here; its own errors show elsewhere
            logger.warning("recent attempts could not be read", exc_info=True)
            return (), False

    # -- after sending -----------------------------------------------------------------

    def why_not_arrived(self, target: AdminTarget, attempt: Attempt) -> tuple[ChecklistItem, ...]:
        """The checklist for a delivered attempt, with the delivery-error and trigger logs
        read where the pool has them (each read's failure said, not raised)."""
        pool: PoolSettings | None = None
        logs = LogFindings()
        try:
            pool = self._reader.pool(target)
        except AdminReadError as exc:
            logs = LogFindings(None, f"{exc.failure.title}: {exc.failure.remedy}")
        if pool is not None:
            logs = self._logs(target, pool, attempt)
        return arrival_checklist(attempt, pool, logs)

    def _logs(self, target: AdminTarget, pool: PoolSettings, attempt: Attempt) -> LogFindings:
        sent_at = attempt.finished_at or attempt.started_at
        errors: tuple[LogLine, ...] | None = None
        errors_why = ""
        try:
            users = self._reader.find(target, LookupKey.USERNAME, attempt.username)
            if not users and LookupKey.EMAIL in lookup_keys(attempt.username):
                users = self._reader.find(target, LookupKey.EMAIL, attempt.username)
            user = users[0] if users else UserRecord(attempt.username, "UNKNOWN", True)
            errors = self._reader.delivery_errors(target, user, sent_at)
            if errors is None:
                errors_why = (
                    "The pool exports no user-notification error logs; turn them on with "
                    "SetLogDeliveryConfiguration (EventSource userNotification, LogLevel ERROR)."
                )
        except AdminReadError as exc:
            errors_why = f"{exc.failure.title}: {exc.failure.remedy}"
        trigger: tuple[LogLine, ...] | None = None
        trigger_why = ""
        if pool.custom_message_lambda:
            try:
                trigger = self._reader.trigger_lines(target, pool.custom_message_lambda, sent_at)
            except AdminReadError as exc:
                trigger_why = f"{exc.failure.title}: {exc.failure.remedy}"
        return LogFindings(
            delivery_errors=errors,
            delivery_errors_why_not=errors_why,
            trigger_lines=trigger,
            trigger_why_not=trigger_why,
        )
