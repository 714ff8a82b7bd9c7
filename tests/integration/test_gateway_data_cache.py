"""The gateway's trimmed botocore data: same endpoints and calls as the full files, cached."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.outcome import Attempt, Status
from app.core.request import ResendInput, validate
from app.sandbox.server import Sandbox
from app.services.botocore_data import OPERATIONS, trim_endpoints, trim_service_model
from app.services.cognito_gateway import CognitoGateway, GatewayConfig

REGIONS = ("us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1", "ap-southeast-2")


@pytest.mark.parametrize("region", REGIONS)
def test_trimmed_data_resolves_the_same_endpoint(region: str, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    full = CognitoGateway(GatewayConfig())._client(region, None)
    trimmed = CognitoGateway(GatewayConfig(data_cache_dir=str(cache)))._client(region, None)
    cached = CognitoGateway(GatewayConfig(data_cache_dir=str(cache)))._client(region, None)
    assert trimmed.meta.endpoint_url == full.meta.endpoint_url == cached.meta.endpoint_url
    assert cached.meta.region_name == full.meta.region_name
    assert sorted(cached.meta.service_model.operation_names) == sorted(OPERATIONS)
    written = sorted(p.name for p in cache.iterdir())
    assert len(written) == 2 and all(n.endswith(".json") for n in written), written


def test_trimmed_model_keeps_the_operation_and_every_error_shape() -> None:
    import botocore.session

    loader = botocore.session.get_session().get_component("data_loader")
    model = loader.load_service_model("cognito-idp", "service-2")
    small = trim_service_model(model)
    assert small["operations"] == {name: model["operations"][name] for name in OPERATIONS}
    for op in small["operations"].values():
        for ref in [op["input"], op["output"], *op["errors"]]:
            assert small["shapes"][ref["shape"]] == model["shapes"][ref["shape"]]
    assert small["metadata"] == model["metadata"]
    endpoints = trim_endpoints(loader.load_data("endpoints"))
    assert all(set(p["services"]) <= {"cognito-idp"} for p in endpoints["partitions"])


def test_send_through_cached_data_matches_the_sandbox(sandbox: Sandbox, tmp_path: Path) -> None:
    info = sandbox.info
    raw = ResendInput(client_id=info.client("public").client_id, username="alice")
    checked = validate(raw)
    assert checked.request is not None
    for _ in range(2):  # the first run writes the cache, the second reads it
        gateway = CognitoGateway(GatewayConfig(max_attempts=1, data_cache_dir=str(tmp_path)))
        attempt = Attempt(profile="p", username="alice", client_id=raw.client_id,
                          region=info.region, endpoint_url=info.endpoint_url)
        assert gateway.send(attempt, checked.request).status is Status.DELIVERED


def test_unreadable_cache_falls_back_to_the_full_files(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    gateway = CognitoGateway(GatewayConfig(data_cache_dir=str(blocker)))
    client = gateway._client("eu-west-1", None)
    assert client.meta.endpoint_url == "https://cognito-idp.eu-west-1.amazonaws.com"
    assert len(client.meta.service_model.operation_names) > 1  # the full model


def test_a_cache_trimmed_for_fewer_operations_is_not_read(tmp_path: Path) -> None:
    # An older version cached the model trimmed to ResendConfirmationCode alone, under a
    # key without the operations: this version must not pick that file up.
    CognitoGateway(GatewayConfig(data_cache_dir=str(tmp_path)))._client("us-east-1", None)
    for path in tmp_path.iterdir():
        if "service-2" in path.name:
            old_name = path.name.split("-ops-")[0] + ".json"
            path.rename(tmp_path / old_name)
    client = CognitoGateway(GatewayConfig(data_cache_dir=str(tmp_path)))._client("eu-west-1", None)
    assert hasattr(client, "sign_up") and hasattr(client, "confirm_sign_up")
