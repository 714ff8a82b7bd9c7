"""Profile validation: name, region, endpoint URL and user pool ID."""

from __future__ import annotations

import pytest

from app.core.profile import (
    PROFILE_NAME_MAX,
    ClientCredentials,
    Profile,
    validate_profile,
)
from app.core.secrets import Secret


def _problems(**kw: object) -> dict[str, str]:
    values: dict[str, object] = {"name": "QA pool", "region": "eu-west-1", **kw}
    return {p.field: p.message for p in validate_profile(Profile(**values))}  # type: ignore[arg-type]


def test_valid_profile() -> None:
    assert _problems() == {}
    assert _problems(endpoint_url="http://127.0.0.1:4566", user_pool_id="eu-west-1_AbC123xyz") == {}
    assert _problems(region="us-gov-west-1", endpoint_url="https://cognito-idp.example") == {}


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "is required"), ("   ", "is required"), ("x" * (PROFILE_NAME_MAX + 1), "at most"),
     ("bad\x00name", "control"), ("tab\there", "control"), ("new\nline", "control")],
)  # fmt: skip
def test_bad_names(name: str, message: str) -> None:
    assert message in _problems(name=name)["name"]


def test_name_at_limit_and_unicode() -> None:
    assert _problems(name="x" * PROFILE_NAME_MAX) == {}
    assert _problems(name="Prüfung – 测试 ✓") == {}


@pytest.mark.parametrize("region", ["", "  ", "EU-WEST-1", "euwest1", "eu-west", "eu-west-1a",
                                    "eu-west-1\nx", "eu-west-123"])  # fmt: skip
def test_bad_regions(region: str) -> None:
    assert "region" in _problems(region=region)


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com", "http://", "https://:443", "example.com", "http://host:99999",
     "http://host:0", "http://host:port", "http://[::1", "file:///etc/passwd", "//host:80"],
)  # fmt: skip
def test_bad_endpoint_urls(url: str) -> None:
    message = _problems(endpoint_url=url)["endpoint_url"]
    assert "http://" in message and "https://" in message


@pytest.mark.parametrize("url", [None, "", "http://localhost:9229", "https://[::1]:8443/",
                                 "https://cognito-idp.eu-west-1.amazonaws.com"])  # fmt: skip
def test_good_endpoint_urls(url: str | None) -> None:
    assert _problems(endpoint_url=url) == {}


@pytest.mark.parametrize(
    "pool_id",
    ["eu-west-1", "_abc", "eu-west-1_", "eu west-1_abc", "eu-west-1_ab-c", "x" * 50 + "_abcde1",
     "eu-west-1_abc\n"],
)  # fmt: skip
def test_bad_pool_ids(pool_id: str) -> None:
    assert "eu-west-1_AbC123xyz" in _problems(user_pool_id=pool_id)["user_pool_id"]


def test_all_problems_together() -> None:
    problems = _problems(name="", region="nowhere", endpoint_url="ftp://x", user_pool_id="bad")
    assert set(problems) == {"name", "region", "endpoint_url", "user_pool_id"}


def test_credentials_repr_hides_secret() -> None:
    creds = ClientCredentials("client123", Secret("sup3r-secret"))
    assert "sup3r-secret" not in repr(creds)
    assert "sup3r-secret" not in str(creds)
    assert "client123" in repr(creds)
