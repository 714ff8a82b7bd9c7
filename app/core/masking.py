"""Mask an email or phone number the way Cognito's CodeDeliveryDetails.Destination does."""

from __future__ import annotations


def mask_email(email: str) -> str:
    """j***@e***.com: first letter of the local part and of the domain, then the last label.

    This is the shape Cognito answers with (e.g. "a***@e***.com"), so a prediction and
    the delivery that follows read alike.
    """
    local, at, domain = email.strip().rpartition("@")
    if not at or not local or not domain:
        return "***"
    head, dot, tld = domain.rpartition(".")
    if not dot or not head:
        return f"{local[0]}***@{domain[0]}***"
    return f"{local[0]}***@{head[0]}***.{tld}"


def mask_phone(phone: str) -> str:
    """+*******0123: every digit but the last four hidden."""
    digits = [ch for ch in phone if ch.isdigit()]
    if len(digits) <= 4:
        return "+" + "*" * len(digits)
    return "+" + "*" * (len(digits) - 4) + "".join(digits[-4:])


def mask_destination(attribute: str, value: str) -> str:
    return mask_phone(value) if attribute == "phone_number" else mask_email(value)
