"""Cognito Resend: resend Amazon Cognito sign-up confirmation codes and explain the outcome."""

from functools import cache

APP_NAME = "Cognito Resend"
APP_ID = "cognito-resend"
# Service name under which client ids and secrets are kept in the OS keyring.
KEYRING_SERVICE = "cognito-resend"


@cache
def app_version() -> str:
    """The installed distribution's version, or the source tree's fallback (looked up once)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(APP_ID)
    except PackageNotFoundError:
        return "0.1.0"
