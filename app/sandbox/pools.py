"""The agreed seeded pools, app clients and users (specs), and building/restoring them in moto."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from moto.cognitoidp.models import CognitoIdpUser, UserStatus, cognitoidp_backends
from moto.core.models import DEFAULT_ACCOUNT_ID

from app.sandbox.link import DEFAULT_LINK_TEMPLATE
from app.sandbox.logs import BOUNCE_ADDRESS
from app.sandbox.model import SandboxClient, SandboxUser

ACCOUNT_ID: Final = DEFAULT_ACCOUNT_ID  # 123456789012
MAIN_POOL: Final = "sandbox-pool"
NO_VERIFY_POOL: Final = "sandbox-pool-no-verify"
LINK_POOL: Final = "sandbox-pool-link"
# Satisfies Cognito's default password policy; nobody signs in with it.
SEED_PASSWORD: Final = "Sandbox-Passw0rd!"
CUSTOM_MESSAGE_FUNCTION: Final = "sandbox-custom-message"
CUSTOM_MESSAGE_ARN: Final = (
    f"arn:aws:lambda:{{region}}:{ACCOUNT_ID}:function:{CUSTOM_MESSAGE_FUNCTION}"
)

# Cognito's default password policy, as the console and CreateUserPool apply it
# (developer guide, "Adding user pool password requirements": 8 characters, all four classes).
DEFAULT_PASSWORD_POLICY: Final[dict[str, Any]] = {
    "MinimumLength": 8,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": True,
    "TemporaryPasswordValidityDays": 7,
}
# Cognito's default texts (botocore model, VerificationMessageTemplateType: the code template
# must contain {####}; the link one, {##Verify Email##}, is in link.py).
CODE_TEMPLATE: Final = "Your verification code is {####}. "
LINK_TEMPLATE: Final = DEFAULT_LINK_TEMPLATE


@dataclass(frozen=True)
class ClientSeed:
    name: str
    generate_secret: bool
    prevent_user_existence_errors: str


@dataclass(frozen=True)
class UserSeed:
    """One seeded user; the first attribute is where its code goes (SandboxUser.destination)."""

    username: str
    status: str
    attributes: tuple[tuple[str, str], ...]
    delivery_attribute: str
    enabled: bool = True

    @property
    def destination(self) -> str:
        return dict(self.attributes)[self.delivery_attribute]


@dataclass(frozen=True)
class PoolSeed:
    name: str
    auto_verified: tuple[str, ...]
    default_email_option: str
    clients: tuple[ClientSeed, ...]
    users: tuple[UserSeed, ...]
    # Whether user-notification ERROR logs go to CloudWatch Logs (logs.py sets it up).
    exports_user_notification_logs: bool = False

    def config(self) -> dict[str, Any]:
        """The extended config moto's create_user_pool takes (DescribeUserPool echoes it)."""
        return {
            "AutoVerifiedAttributes": list(self.auto_verified),
            "AliasAttributes": ["email"],
            "EmailConfiguration": {"EmailSendingAccount": "COGNITO_DEFAULT"},
            "Policies": {"PasswordPolicy": dict(DEFAULT_PASSWORD_POLICY)},
            "VerificationMessageTemplate": {
                "SmsMessage": CODE_TEMPLATE,
                "EmailMessage": CODE_TEMPLATE,
                "EmailSubject": "Your verification code",
                "EmailMessageByLink": LINK_TEMPLATE,
                "EmailSubjectByLink": "Your verification link",
                "DefaultEmailOption": self.default_email_option,
            },
            "UserPoolTags": {},
            # DescribeUserPool shows an empty LambdaConfig when no trigger is attached.
            "LambdaConfig": {},
        }


def _email_user(username: str, status: str = "UNCONFIRMED", **kw: Any) -> UserSeed:
    return UserSeed(username, status, (("email", f"{username}@example.com"),), "email", **kw)


MAIN_USERS: Final = (
    _email_user("alice"),
    UserSeed("bob", "UNCONFIRMED", (("phone_number", "+15555550123"),), "phone_number"),
    UserSeed("carol", "CONFIRMED", (("email", "carol@example.com"),), "email"),
    *(_email_user(f"qa-user-{n:03d}") for n in range(1, 11)),
    # Admin-created: AdminCreateUser puts a user in FORCE_CHANGE_PASSWORD (API reference).
    _email_user("dave", "FORCE_CHANGE_PASSWORD"),
    _email_user("erin", enabled=False),
    # Both auto-verified and both present: the code goes to the phone only (COGNITO.md,
    # developer guide "signing up users"), so frank's delivery attribute is phone_number.
    UserSeed(
        "frank",
        "UNCONFIRMED",
        (("phone_number", "+15555550124"), ("email", "frank@example.com")),
        "phone_number",
    ),
    UserSeed("grace", "UNCONFIRMED", (("email", BOUNCE_ADDRESS),), "email"),
)

POOL_SEEDS: Final = (
    PoolSeed(
        MAIN_POOL,
        ("email", "phone_number"),
        "CONFIRM_WITH_CODE",
        (
            ClientSeed("public", False, "LEGACY"),
            ClientSeed("protected", False, "ENABLED"),
            ClientSeed("secret", True, "ENABLED"),
        ),
        MAIN_USERS,
        exports_user_notification_logs=True,
    ),
    PoolSeed(
        NO_VERIFY_POOL,
        (),
        "CONFIRM_WITH_CODE",
        (ClientSeed("no-verify", False, "LEGACY"),),
        (_email_user("ivan"),),
    ),
    PoolSeed(
        LINK_POOL,
        ("email",),
        "CONFIRM_WITH_LINK",
        (ClientSeed("link", False, "LEGACY"),),
        (_email_user("judy"),),
    ),
)


@dataclass(frozen=True)
class BuiltPool:
    """One seeded pool as created in moto: its spec and the ids it got."""

    seed: PoolSeed
    user_pool_id: str
    clients: tuple[SandboxClient, ...] = field(default=())


def backend(region: str) -> Any:
    return cognitoidp_backends[ACCOUNT_ID][region]


def build(region: str, spec: PoolSeed) -> BuiltPool:
    """Create one pool with its clients (users come from restore); ids are new every time."""
    moto = backend(region)
    pool = moto.create_user_pool(spec.name, spec.config())
    clients = []
    for client_spec in spec.clients:
        client = moto.create_user_pool_client(
            pool.id,
            client_spec.generate_secret,
            {
                "ClientName": client_spec.name,
                "PreventUserExistenceErrors": client_spec.prevent_user_existence_errors,
            },
        )
        clients.append(
            SandboxClient(
                name=client_spec.name,
                client_id=client.id,
                client_secret=client.secret if client_spec.generate_secret else None,
                prevents_user_existence_errors=(
                    client_spec.prevent_user_existence_errors == "ENABLED"
                ),
                user_pool_id=pool.id,
                pool_name=spec.name,
            )
        )
    built = BuiltPool(spec, pool.id, tuple(clients))
    restore(region, built)
    return built


def sandbox_users(built: BuiltPool) -> tuple[SandboxUser, ...]:
    return tuple(
        SandboxUser(
            u.username,
            u.status,
            u.delivery_attribute,
            u.destination,
            user_pool_id=built.user_pool_id,
            pool_name=built.seed.name,
            enabled=u.enabled,
        )
        for u in built.seed.users
    )


def restore(region: str, built: BuiltPool) -> None:
    """Put the pool's settings and seeded users back as seeded; drop users added since."""
    pool = backend(region).user_pools[built.user_pool_id]
    # A test may have changed the pool (UpdateUserPool, an attached trigger): back to the seed.
    pool.update_extended_config(built.seed.config())
    wanted = {u.username for u in built.seed.users}
    for username in [name for name in pool.users if name not in wanted]:
        del pool.users[username]
    for spec in built.seed.users:
        user = pool.users.get(spec.username)
        attributes = [{"Name": name, "Value": value} for name, value in _with_flags(spec)]
        if user is None:
            # Built directly rather than through moto's sign_up/admin_create_user: those
            # check things (UsernameExists, aliases) a seed need not, and give the same record.
            user = CognitoIdpUser(
                built.user_pool_id, spec.username, SEED_PASSWORD, spec.status, attributes
            )
            pool.users[spec.username] = user
        # Attributes are replaced, not merged: an AdminUpdateUserAttributes of a test
        # (email_verified, say) must not survive a reset. The sub stays the same.
        sub = user.attribute_lookup.get("sub")
        user.attributes = [*attributes, {"Name": "sub", "Value": sub}]
        user.attribute_lookup = {a["Name"]: a["Value"] for a in user.attributes}
        user.status = _status(spec.status)
        user.enabled = spec.enabled
        user.password = SEED_PASSWORD


def _with_flags(spec: UserSeed) -> list[tuple[str, str]]:
    """The seed's attributes plus the verified flags Cognito keeps: a confirmed user's
    address is verified, an unconfirmed (or admin-created) one's is not (developer guide,
    "signing up users")."""
    given = dict(spec.attributes)
    flag = "true" if spec.status == "CONFIRMED" else "false"
    for attribute in ("email", "phone_number"):
        if attribute in given:
            given.setdefault(f"{attribute}_verified", flag)
    return list(given.items())


def _status(name: str) -> Any:
    # moto compares some statuses by identity with its enum (user.status is
    # UserStatus.FORCE_CHANGE_PASSWORD), so store the enum member, not the string.
    try:
        return UserStatus[name]
    except KeyError:
        return name


def set_custom_message(region: str, built: tuple[BuiltPool, ...], attached: bool) -> None:
    """LambdaConfig.CustomMessage on every seeded pool: the local trigger's stand-in ARN
    while one is attached (the sandbox runs it for resends in any pool), else none."""
    for pool in built:
        config = backend(region).user_pools[pool.user_pool_id].extended_config
        config["LambdaConfig"] = (
            {"CustomMessage": CUSTOM_MESSAGE_ARN.format(region=region)} if attached else {}
        )
