"""Mask an email or phone number the way Cognito's CodeDeliveryDetails.Destination does."""

from __future__ import annotations


def mask_email(email: str) -> str:
    """a***@e***: the first letter of the local part and of the domain, nothing more.

    The shape Cognito's CodeDeliveryDetails.Destination has, so that a prediction and the
    delivery that follows read alike: the API reference's example and captured raw
    answers (SignUp through API Gateway, x-amzn-RequestId and all; AWS CLI transcripts)
    show "t***@e***" for test@example.com. The "a***@e***.com" seen in some READMEs comes
    from hand-written mocks, not from Cognito.
    """
    local, at, domain = email.strip().rpartition("@")
    if not at or not local or not domain:
        return "***"
    return f"{local[0]}***@{domain[0]}***"


def mask_phone(phone: str) -> str:
    """+*******0123: every digit but the last four hidden."""
    digits = [ch for ch in phone if ch.isdigit()]
    if len(digits) <= 4:
        return "+" + "*" * len(digits)
    return "+" + "*" * (len(digits) - 4) + "".join(digits[-4:])


def mask_destination(attribute: str, value: str) -> str:
    return mask_phone(value) if attribute == "phone_number" else mask_email(value)
