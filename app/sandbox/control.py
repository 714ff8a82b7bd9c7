"""Drives a sandbox running in another process through its /_sandbox/* endpoints (urllib only)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from app.sandbox.model import InboxMessage, SandboxInfo, TriggerRun


class SandboxControlError(RuntimeError):
    """The sandbox refused a control request or could not be reached."""


class SandboxControl:
    """`SandboxControl("http://127.0.0.1:5000").inbox("alice")` and friends."""

    def __init__(self, endpoint_url: str, timeout_s: float = 5.0) -> None:
        self._base = endpoint_url.rstrip("/") + "/_sandbox/"
        self._timeout_s = timeout_s

    def info(self) -> SandboxInfo:
        data = self._call("GET", "info")
        return SandboxInfo.from_json(data)

    def inbox(self, username: str | None = None) -> list[InboxMessage]:
        query = "" if username is None else "?" + urllib.parse.urlencode({"username": username})
        return [InboxMessage.from_json(m) for m in self._call("GET", "inbox" + query)]

    def reset(self) -> None:
        self._call("POST", "reset", {})

    def inject(self, *faults: str) -> None:
        self._call("POST", "faults", {"faults": list(faults)})

    def set_custom_message_trigger(self, handler: str | None) -> str | None:
        """Attach ``path/to/file.py:function`` (a path on the sandbox's machine) or detach."""
        answer = self._call("POST", "trigger", {"handler": handler})
        attached = answer.get("handler")
        return None if attached is None else str(attached)

    def custom_message_trigger(self) -> str | None:
        attached = self._call("GET", "trigger").get("handler")
        return None if attached is None else str(attached)

    def trigger_runs(self) -> list[TriggerRun]:
        """The latest CustomMessage trigger runs, failed ones included, oldest first."""
        return [TriggerRun.from_json(r) for r in self._call("GET", "trigger")["runs"]]

    def user_attributes(self, username: str) -> dict[str, str] | None:
        """A sandbox user's attributes as a trigger sees them; None for an unknown user."""
        query = urllib.parse.urlencode({"username": username})
        try:
            answer = self._call("GET", "user?" + query)
        except SandboxControlError as error:
            if "HTTP 404" in str(error):
                return None
            raise
        return {str(k): str(v) for k, v in answer["attributes"].items()}

    def clock(self) -> dict[str, Any]:
        """{"now": ISO, "offset_seconds": float}: the sandbox's time (codes age by it)."""
        return dict(self._call("GET", "clock"))

    def set_clock(
        self, *, advance_seconds: float | None = None, now: str | None = None
    ) -> dict[str, Any]:
        """Move sandbox time forward by `advance_seconds`, or to the ISO instant `now`."""
        if (advance_seconds is None) == (now is None):
            raise ValueError("give exactly one of advance_seconds and now")
        payload: dict[str, Any] = (
            {"advance_seconds": advance_seconds} if now is None else {"now": now}
        )
        return dict(self._call("POST", "clock", payload))

    def reset_clock(self) -> dict[str, Any]:
        return dict(self._call("POST", "clock", {"reset": True}))

    def code_state(self, username: str) -> dict[str, Any] | None:
        """The user's one valid code and its attempts, or None when none is outstanding."""
        query = urllib.parse.urlencode({"username": username})
        try:
            return dict(self._call("GET", "codes?" + query))
        except SandboxControlError as error:
            if "HTTP 404" in str(error):
                return None
            raise

    def _call(self, method: str, name: str, payload: dict[str, Any] | None = None) -> Any:
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(
            self._base + name,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout_s) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")
            try:
                detail = str(json.loads(detail).get("error", detail))
            except (ValueError, AttributeError):
                pass
            raise SandboxControlError(f"{method} {name}: HTTP {error.code}: {detail}") from error
        except (urllib.error.URLError, OSError) as error:
            raise SandboxControlError(
                f"{method} {name}: cannot reach the sandbox: {error}"
            ) from error
