"""Users, pools and clients like the seeded sandbox's, for the diagnosis unit tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from hypothesis import strategies as st

from app.core.diagnosis_input import ClientSettings, LookupKey, PoolSettings, UserRecord
from app.core.diagnosis_result import DiagnosisInput

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)

POOL = PoolSettings(
    pool_id="us-east-1_Sandbox1",
    name="sandbox-pool",
    auto_verified=("email", "phone_number"),
    alias_attributes=("email",),
)
LEGACY = ClientSettings("public-id", "public", prevents_user_existence_errors=False)
ENABLED = ClientSettings("protected-id", "protected", prevents_user_existence_errors=True)

ALICE = UserRecord("alice", "UNCONFIRMED", True, email="alice@example.com")
BOB = UserRecord("bob", "UNCONFIRMED", True, phone_number="+15555550123")
CAROL = UserRecord("carol", "CONFIRMED", True, email="carol@example.com", email_verified=True)
DAVE = UserRecord("dave", "FORCE_CHANGE_PASSWORD", True, email="dave@example.com")
ERIN = UserRecord("erin", "UNCONFIRMED", False, email="erin@example.com")
FRANK = UserRecord(
    "frank", "UNCONFIRMED", True, email="frank@example.com", phone_number="+15555550124"
)


def given_input(
    *matches: UserRecord,
    pool: PoolSettings | None = POOL,
    client: ClientSettings | None = LEGACY,
    identifier: str | None = None,
    lookup: bool = True,
    **kw: object,
) -> DiagnosisInput:
    ident = identifier if identifier is not None else (matches[0].username if matches else "x")
    return DiagnosisInput(
        identifier=ident,
        matches=tuple(matches) if lookup else None,
        pool=pool,
        client=client,
        now=NOW,
        **kw,  # type: ignore[arg-type]
    )


def by_email(user: UserRecord) -> UserRecord:
    return replace(user, matched_by=LookupKey.EMAIL)


_names = st.text("abcdefghijklmnopqrstuvwxyz0123456789._-", min_size=1, max_size=12)
emails = st.builds(lambda a, b: f"{a}@{b}.com", _names, _names)
phones = st.from_regex(r"\+1[0-9]{10}", fullmatch=True)
users = st.builds(
    UserRecord,
    username=_names,
    status=st.sampled_from(
        ["UNCONFIRMED", "CONFIRMED", "FORCE_CHANGE_PASSWORD", "RESET_REQUIRED", "UNKNOWN"]
    ),
    enabled=st.booleans(),
    email=st.none() | emails,
    email_verified=st.booleans(),
    phone_number=st.none() | phones,
    phone_number_verified=st.booleans(),
    matched_by=st.sampled_from(LookupKey),
)
_attrs = st.lists(st.sampled_from(["email", "phone_number"]), unique=True, max_size=2).map(tuple)
pools = st.builds(
    PoolSettings,
    pool_id=st.just("us-east-1_Abc"),
    auto_verified=_attrs,
    alias_attributes=_attrs,
    username_attributes=_attrs,
    email_sending_account=st.sampled_from(["COGNITO_DEFAULT", "DEVELOPER"]),
    sms_configuration_failure=st.sampled_from(["", "SNSSandbox", "InvalidSmsRoleAccessPolicy"]),
    default_email_option=st.sampled_from(["CONFIRM_WITH_CODE", "CONFIRM_WITH_LINK"]),
    custom_message_lambda=st.sampled_from(["", "arn:aws:lambda:us-east-1:1:function:f"]),
)
clients = st.builds(
    ClientSettings,
    client_id=st.just("cid"),
    prevents_user_existence_errors=st.booleans(),
    has_secret=st.booleans(),
)
inputs = st.builds(
    DiagnosisInput,
    identifier=_names,
    matches=st.none() | st.lists(users, max_size=3).map(tuple),
    pool=st.none() | pools,
    client=st.none() | clients,
    profile_has_secret=st.none() | st.booleans(),
    now=st.just(NOW),
)
