"""AWS credential resolution with a throw-away AWS config: each problem decoded, none raised."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from app.core.diagnosis_input import Area, LookupKey
from app.core.outcome import FailureKind
from app.core.profile import Profile
from app.services.admin_reader import AdminReader, AdminReadError
from app.services.aws_session import AdminTarget, AwsClients, AwsCredentialSource
from app.services.diagnosis_service import DiagnosisService

# Nothing listens here: every case below fails before a request is sent.
_NOWHERE = "http://127.0.0.1:9"
_START_URL = "https://example.awsapps.com/start"


@pytest.fixture
def aws_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_aws_credentials: None) -> Path:
    """A home with ~/.aws/config (an SSO profile whose cached token has expired, and a
    key profile) and no other way to find credentials."""
    aws = tmp_path / ".aws"
    (aws / "sso" / "cache").mkdir(parents=True)
    (aws / "config").write_text(
        "[profile qa-sso]\n"
        f"sso_start_url = {_START_URL}\nsso_region = us-east-1\n"
        "sso_account_id = 123456789012\nsso_role_name = Support\nregion = us-east-1\n"
        "[profile qa-keys]\nregion = us-east-1\n",
        encoding="utf-8",
    )
    (aws / "credentials").write_text(
        "[qa-keys]\naws_access_key_id = AKIAQAKEYS\naws_secret_access_key = qa-secret-value\n",
        encoding="utf-8",
    )
    expired = {
        "startUrl": _START_URL,
        "region": "us-east-1",
        "accessToken": "expired-token",
        "expiresAt": "2020-01-01T00:00:00Z",
    }
    cache = aws / "sso" / "cache" / (hashlib.sha1(_START_URL.encode()).hexdigest() + ".json")
    cache.write_text(json.dumps(expired), encoding="utf-8")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(aws / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(aws / "credentials"))
    return tmp_path


def _target(aws_profile: str | None) -> AdminTarget:
    profile = Profile("QA", "us-east-1", _NOWHERE, "us-east-1_Abc", aws_profile=aws_profile)
    return AdminTarget(profile, "client-id", AwsCredentialSource(aws_profile=aws_profile))


def _failure(aws_profile: str | None) -> AdminReadError:
    reader = AdminReader(AwsClients())
    with pytest.raises(AdminReadError) as caught:
        reader.find(_target(aws_profile), LookupKey.USERNAME, "alice")
    return caught.value


def test_a_missing_named_profile(aws_home: Path) -> None:
    err = _failure("ghost")
    assert err.failure.code == "ProfileNotFound"
    assert err.failure.title == "AWS profile not found"
    assert "'ghost'" in err.failure.cause and err.failure.kind is FailureKind.CREDENTIALS


def test_an_expired_sso_token_says_which_login_to_run(aws_home: Path) -> None:
    err = _failure("qa-sso")
    assert err.failure.code == "SsoTokenExpired"
    assert err.failure.remedy == "Run: aws sso login --profile qa-sso"


def test_no_credentials_in_the_default_chain(aws_home: Path) -> None:
    (aws_home / ".aws" / "credentials").write_text("", encoding="utf-8")
    err = _failure(None)
    assert err.failure.code == "NoCredentials" and "--aws-profile" in err.failure.remedy


def test_a_named_profile_is_resolved_by_botocore(aws_home: Path) -> None:
    client = AwsClients().client(
        AwsCredentialSource(aws_profile="qa-keys"), "cognito-idp", "us-east-1", _NOWHERE
    )
    assert client._request_signer._credentials.access_key == "AKIAQAKEYS"
    # It gets as far as the network: the credentials were found and signed with.
    err = _failure("qa-keys")
    assert err.failure.code in {"EndpointUnreachable", "ConnectTimeout"}, err.failure
    assert "qa-secret-value" not in str(err.failure)


def test_the_diagnosis_says_what_it_could_not_check_and_why(aws_home: Path) -> None:
    service = DiagnosisService(AdminReader(AwsClients()))
    try:
        d = service.diagnose(_target("qa-sso"), "alice")
    finally:
        service.close()
    assert d.user.found is None and d.prediction.will_send is None
    areas = {n.area for n in d.not_checked}
    assert areas == {Area.USER, Area.POOL, Area.CLIENT}
    assert all("aws sso login --profile qa-sso" in n.allow for n in d.not_checked)
