"""Sign-up confirmation codes as Cognito keeps them: six digits, 24 hours, only the newest.

Facts, with where they come from:
- Six digits, valid 24 hours, not configurable: amazon-cognito-identity-js#54, #189, #380
  (Cognito team answers); developer guide, "email and phone verification".
- A resend invalidates the earlier codes; only the newest confirms: amplify-ui#6678
  (maintainer), aws-sdk-net-extensions-cognito#137 (an older code gets CodeMismatchException).
- A wrong code: CodeMismatchException "Invalid verification code provided, please try again."
  (the wording Amplify UI's vocabulary and many apps match on; the model only names the class).
- Once the newest code has expired every code gets ExpiredCodeException "Invalid code provided,
  please request a code again." (amplify-flutter#1128: expired and wrong codes alike;
  aws-sdk-ios-samples#144 shows the wire answer).
- Repeated wrong codes: after five CodeMismatchException answers Cognito answers
  LimitExceededException "Attempt limit exceeded, please try after some time."
  (amplify-ui-android#180, for the same kind of code; identity-js#548: AWS does not publish
  the limit or how long it lasts). The model also lists TooManyFailedAttemptsException for
  ConfirmSignUp; no report shows it for sign-up codes, so the sandbox does not use it.
- How long the lock lasts is unpublished; the sandbox locks for 15 minutes of sandbox time
  (move the clock to end it).
"""

from __future__ import annotations

import hmac
import secrets
import threading
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Final

from app.sandbox.clock import SandboxClock, iso

CODE_LIFETIME: Final = timedelta(hours=24)
MAX_FAILED_ATTEMPTS: Final = 5
LOCK_DURATION: Final = timedelta(minutes=15)

MISMATCH: Final = ("CodeMismatchException", "Invalid verification code provided, please try again.")
EXPIRED: Final = ("ExpiredCodeException", "Invalid code provided, please request a code again.")
LOCKED: Final = ("LimitExceededException", "Attempt limit exceeded, please try after some time.")


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


@dataclass(frozen=True)
class IssuedCode:
    """The one valid code of a user, and how its confirmation attempts went."""

    username: str
    code: str
    issued_at: datetime
    trigger_source: str
    attribute: str
    failed_attempts: int = 0
    locked_until: datetime | None = None

    @property
    def expires_at(self) -> datetime:
        return self.issued_at + CODE_LIFETIME

    def to_json(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "code": self.code,
            "issued_at": iso(self.issued_at),
            "expires_at": iso(self.expires_at),
            "trigger_source": self.trigger_source,
            "attribute": self.attribute,
            "failed_attempts": self.failed_attempts,
            "locked_until": None if self.locked_until is None else iso(self.locked_until),
        }


@dataclass(frozen=True)
class CodeVerdict:
    """The outcome of one ConfirmSignUp code check: None error = the code confirms."""

    error: tuple[str, str] | None
    attribute: str | None = None


class CodeBook:
    """The newest code per (pool, user); shared by the server threads."""

    def __init__(self, clock: SandboxClock) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._codes: dict[tuple[str, str], IssuedCode] = {}

    def issue(
        self,
        pool_id: str,
        username: str,
        trigger_source: str,
        attribute: str,
        code: str | None = None,
    ) -> IssuedCode:
        """`code` (or a fresh one) becomes this user's only valid code."""
        issued = IssuedCode(
            username, code or new_code(), self._clock.now(), trigger_source, attribute
        )
        with self._lock:
            previous = self._codes.get((pool_id, username))
            # A resend does not lift a lock: the attempts were against the user, not the code.
            if previous is not None and previous.locked_until is not None:
                issued = replace(issued, locked_until=previous.locked_until)
            self._codes[(pool_id, username)] = issued
        return issued

    def current(self, pool_id: str, username: str) -> IssuedCode | None:
        with self._lock:
            return self._codes.get((pool_id, username))

    def for_username(self, username: str) -> IssuedCode | None:
        """The newest code issued to `username` in any pool (for the control endpoint)."""
        with self._lock:
            found = [c for (_, name), c in self._codes.items() if name == username]
        return max(found, key=lambda c: c.issued_at) if found else None

    def check(self, pool_id: str, username: str, code: str) -> CodeVerdict:
        """Judge `code` for this user, counting a failure; forget() uses a good one up."""
        now = self._clock.now()
        with self._lock:
            issued = self._codes.get((pool_id, username))
            if issued is not None and issued.locked_until is not None:
                if now < issued.locked_until:
                    return CodeVerdict(LOCKED)
                issued = replace(issued, locked_until=None, failed_attempts=0)
                self._codes[(pool_id, username)] = issued
            if issued is None:
                # No code was ever sent to this user (a seeded user before any resend):
                # nothing can match.
                return CodeVerdict(MISMATCH)
            if now >= issued.expires_at:
                return CodeVerdict(EXPIRED)
            if hmac.compare_digest(issued.code, code):
                return CodeVerdict(None, issued.attribute)
            failed = issued.failed_attempts + 1
            locked = now + LOCK_DURATION if failed >= MAX_FAILED_ATTEMPTS else None
            self._codes[(pool_id, username)] = replace(
                issued, failed_attempts=failed, locked_until=locked
            )
            return CodeVerdict(MISMATCH)

    def forget(self, pool_id: str, username: str) -> None:
        with self._lock:
            self._codes.pop((pool_id, username), None)

    def clear(self) -> None:
        with self._lock:
            self._codes.clear()
