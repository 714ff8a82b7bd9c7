"""Secret values that refuse to be printed, and the SecretHash derived from them."""

from __future__ import annotations

import base64
import hashlib
import hmac

_MASK = "••••••"


class Secret:
    """A string that never shows itself in repr/str/format; call `reveal()` to use it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret({_MASK!r})"

    def __str__(self) -> str:
        return _MASK

    def __format__(self, format_spec: str) -> str:
        return _MASK

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(("Secret", len(self._value)))

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> str:
        # Pickling would copy the plaintext into whatever stores the pickle.
        raise TypeError("Secret values cannot be pickled")


def compute_secret_hash(username: str, client_id: str, client_secret: Secret) -> Secret:
    """base64(HMAC-SHA256(key=client secret, msg=username + client id)), kept as a Secret.

    Cognito checks the hash against the username exactly as sent in the request, so the
    caller passes the same (already normalised) username it puts in the call.
    """
    digest = hmac.new(
        client_secret.reveal().encode("utf-8"),
        (username + client_id).encode("utf-8"),
        hashlib.sha256,
    ).digest()
    return Secret(base64.b64encode(digest).decode("ascii"))
