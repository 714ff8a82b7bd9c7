"""TriggerService against the session sandbox: preview, attach, and the run of one resend."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.core.profile import Profile
from app.core.trigger_event import PLACEHOLDER_ATTRIBUTES
from app.sandbox.server import Sandbox
from app.services.trigger_service import TriggerService, TriggerServiceError

HANDLERS = Path(__file__).resolve().parents[1] / "data" / "triggers" / "handlers.py"


def _sandbox_profile(box: Sandbox) -> Profile:
    info = box.info
    return Profile(
        name="Sandbox",
        region=info.region,
        endpoint_url=info.endpoint_url,
        user_pool_id=info.user_pool_id,
        builtin=True,
    )


def test_sandbox_preview_has_the_users_real_attributes(fresh_sandbox: Sandbox) -> None:
    preview = TriggerService().preview(
        _sandbox_profile(fresh_sandbox), username="bob", client_id="c", client_metadata={"k": "v"}
    )
    assert preview.attributes_known and preview.placeholder_note is None
    attributes = preview.event["request"]["userAttributes"]
    assert attributes["phone_number"] == "+15555550123"
    assert attributes["phone_number_verified"] == "false"


def test_aws_profile_and_unknown_user_get_placeholders(fresh_sandbox: Sandbox) -> None:
    service = TriggerService()
    aws = Profile(name="AWS", region="eu-west-1")
    preview = service.preview(aws, username="u", client_id="c", client_metadata={})
    assert not preview.attributes_known and not preview.pool_id_known
    unknown = service.preview(
        _sandbox_profile(fresh_sandbox), username="ghost", client_id="c", client_metadata={}
    )
    assert unknown.event["request"]["userAttributes"] == dict(PLACEHOLDER_ATTRIBUTES)


def test_attach_and_find_the_run_of_a_failed_resend(
    fresh_sandbox: Sandbox, sandbox_cognito: Any
) -> None:
    service = TriggerService()
    url = fresh_sandbox.info.endpoint_url
    assert service.attach(url, f"{HANDLERS}:raises") == f"{HANDLERS}:raises"
    assert service.attached(url) == f"{HANDLERS}:raises"
    try:
        client_id = fresh_sandbox.info.client("public").client_id
        with pytest.raises(Exception) as caught:
            sandbox_cognito.resend_confirmation_code(ClientId=client_id, Username="alice")
        request_id = caught.value.response["ResponseMetadata"]["RequestId"]  # type: ignore[attr-defined]
        run = service.run_for(url, request_id)
        assert run is not None and run.error_type == "UserLambdaValidationException"
        assert run.stdout == "about to refuse\n"
        assert service.run_for(url, "no-such-request") is None
    finally:
        service.attach(url, None)
    # The sandbox's refusal in plain words (issue 14: no raw "HTTP 400").
    with pytest.raises(TriggerServiceError, match="missing.py") as refused:
        service.attach(url, "missing.py:h")
    assert "HTTP" not in str(refused.value)
