"""The confirmation link Cognito mails instead of a code when a pool confirms by link."""

from __future__ import annotations

from typing import Final
from urllib.parse import urlencode

# The placeholder EmailMessageByLink must contain (botocore model,
# VerificationMessageTemplateType.EmailMessageByLink) and Cognito's default link text.
LINK_PLACEHOLDER: Final = "{##Verify Email##}"
DEFAULT_LINK_TEMPLATE: Final = (
    "Please click the link below to verify your email address. {##Verify Email##} "
)
CONFIRM_WITH_LINK: Final = "CONFIRM_WITH_LINK"


def confirmation_link(
    region: str, user_pool_id: str, client_id: str, username: str, code: str
) -> str:
    """The /confirmUser link on the pool's hosted domain, with the query Cognito puts on it.

    The domain is the sandbox's stand-in for the pool's <prefix>.auth.<region>.amazoncognito.com
    domain; nothing serves it. Path and query names (confirmUser, client_id, user_name,
    confirmation_code) are those of Cognito's links as users report them (e.g. the comment
    on default_email_option = "CONFIRM_WITH_LINK" in public Terraform for aws_cognito_user_pool).
    """
    prefix = user_pool_id.split("_", 1)[-1].lower()[:12]
    query = urlencode({"client_id": client_id, "user_name": username, "confirmation_code": code})
    return f"https://sandbox-{prefix}.auth.{region}.amazoncognito.com/confirmUser?{query}"


def with_link(text: str, link: str) -> str:
    """The mail text with Cognito's "Verify Email" placeholder turned into the link."""
    return text.replace(LINK_PLACEHOLDER, link)
