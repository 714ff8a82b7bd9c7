"""The least-privilege IAM policy for diagnosis (read) and the support actions (write)."""

from __future__ import annotations

import json

# What the admin reader calls. ListUsers is preferred over AdminGetUser (AWS names ListUsers
# as a look-up without cost impact, "unlike, for example, AdminGetUser"), so AdminGetUser
# is not needed.
READ_ACTIONS: tuple[str, ...] = (
    "cognito-idp:ListUsers",
    "cognito-idp:DescribeUserPool",
    "cognito-idp:DescribeUserPoolClient",
    "cognito-idp:GetLogDeliveryConfiguration",
)
LOG_READ_ACTIONS: tuple[str, ...] = ("logs:FilterLogEvents",)
# What the support actions call.
WRITE_ACTIONS: tuple[str, ...] = (
    "cognito-idp:AdminCreateUser",
    "cognito-idp:AdminConfirmSignUp",
    "cognito-idp:AdminUpdateUserAttributes",
)


def _pool_arn(region: str | None, account: str | None, pool_id: str | None) -> str:
    if not pool_id:
        return "arn:aws:cognito-idp:*:*:userpool/*"
    region = region or pool_id.split("_", 1)[0]
    return f"arn:aws:cognito-idp:{region}:{account or '*'}:userpool/{pool_id}"


def _log_arns(region: str | None, account: str | None, pool_id: str | None) -> list[str]:
    where = f"arn:aws:logs:{region or '*'}:{account or '*'}:log-group:"
    # The pool's user-notification errors and the CustomMessage function's own logs.
    pool_group = f"/aws/cognito/userpools/{pool_id or '*'}/*"
    return [f"{where}{pool_group}:*", f"{where}/aws/lambda/*:*"]


def policy(
    *,
    include_write: bool = True,
    region: str | None = None,
    account: str | None = None,
    pool_id: str | None = None,
) -> dict[str, object]:
    """The policy document; scoped to one pool when its ID is known, else to every pool."""
    statements: list[dict[str, object]] = [
        {
            "Sid": "CognitoResendDiagnosis",
            "Effect": "Allow",
            "Action": list(READ_ACTIONS),
            "Resource": _pool_arn(region, account, pool_id),
        },
        {
            "Sid": "CognitoResendDeliveryLogs",
            "Effect": "Allow",
            "Action": list(LOG_READ_ACTIONS),
            "Resource": _log_arns(region, account, pool_id),
        },
    ]
    if include_write:
        statements.append(
            {
                "Sid": "CognitoResendSupportActions",
                "Effect": "Allow",
                "Action": list(WRITE_ACTIONS),
                "Resource": _pool_arn(region, account, pool_id),
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}


def policy_json(
    *,
    include_write: bool = True,
    region: str | None = None,
    account: str | None = None,
    pool_id: str | None = None,
) -> str:
    """The policy as the JSON text IAM's editor accepts."""
    document = policy(include_write=include_write, region=region, account=account, pool_id=pool_id)
    return json.dumps(document, indent=2)
