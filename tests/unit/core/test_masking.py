"""The app's destination masks read exactly like the sandbox's (and so like Cognito's)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.core.masking import mask_email, mask_phone
from app.sandbox.resend import mask_email as sandbox_mask_email
from app.sandbox.resend import mask_phone as sandbox_mask_phone

_part = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters="@"),
                min_size=1, max_size=20)  # fmt: skip


def test_the_shape_cognito_answers_with() -> None:
    assert mask_email("test@example.com") == "t***@e***"
    assert mask_email("a.b@sub.example.co.uk") == "a***@s***"


@given(local=_part, domain=_part)
def test_a_prediction_reads_like_the_delivery(local: str, domain: str) -> None:
    address = f"{local}@{domain}"
    assert mask_email(address) == sandbox_mask_email(address)


@given(digits=st.text("0123456789", min_size=5, max_size=15))
def test_phone_masks_agree(digits: str) -> None:
    assert mask_phone("+" + digits) == sandbox_mask_phone("+" + digits)
