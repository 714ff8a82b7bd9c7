"""The AWS regions where botocore knows the cognito-idp endpoint (for the profile dialog)."""

from __future__ import annotations

# Shown while the real list loads (importing boto3 takes ~0.4 s), or if it cannot load.
FALLBACK_REGIONS: tuple[str, ...] = (
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "sa-east-1",
)


def cognito_regions() -> list[str]:
    """botocore's partition data for cognito-idp, sorted; blocking (imports boto3)."""
    import boto3

    regions = boto3.session.Session().get_available_regions("cognito-idp")
    return sorted(regions) if regions else list(FALLBACK_REGIONS)
