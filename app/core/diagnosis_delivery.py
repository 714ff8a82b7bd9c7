"""The delivery rules: where a resend's code would go, and what may stop it on the way."""

from __future__ import annotations

from app.core.diagnosis_input import PoolSettings, UserRecord
from app.core.diagnosis_result import Code, Findings, Prediction, Severity
from app.core.masking import mask_destination
from app.core.outcome import DeliveryMedium

# Cognito's built-in email: at most 50 messages a day per account (COGNITO.md, quotas page).
DEFAULT_EMAIL_DAILY_CAP = 50
DEFAULT_EMAIL_SENDER = "no-reply@verificationemail.com"


def delivery_attribute(user: UserRecord, pool: PoolSettings) -> str | None:
    """Where Cognito sends the code: phone wins when both are auto-verified and present
    (developer guide, signing up users)."""
    for attribute in ("phone_number", "email"):
        if attribute in pool.auto_verified and user.has(attribute):
            return attribute
    return None


def _medium(attribute: str) -> DeliveryMedium:
    return DeliveryMedium.SMS if attribute == "phone_number" else DeliveryMedium.EMAIL


class DeliveryRules:
    """The pool's delivery settings as findings, added to the diagnosis being built."""

    def __init__(self, findings: Findings) -> None:
        self.add = findings.add

    def no_auto_verified(self) -> None:
        self.add(
            Code.NO_AUTO_VERIFIED_ATTRIBUTE,
            Severity.ERROR,
            "The pool verifies no attribute",
            "AutoVerifiedAttributes is empty, so Cognito refuses: 'Cannot resend codes. "
            "Auto verification not turned on.'",
            "Turn on email or phone verification in the pool's sign-up settings, or "
            "confirm the user without a code.",
        )

    def channel(self, user: UserRecord, pool: PoolSettings) -> Prediction:
        if not pool.auto_verified:
            self.no_auto_verified()
            return Prediction(False, reason="the pool verifies no attribute")
        attribute = delivery_attribute(user, pool)
        if attribute is None:
            wanted = " or ".join(pool.auto_verified)
            self.add(
                Code.NO_DELIVERY_ATTRIBUTE,
                Severity.ERROR,
                "Nowhere to send the code",
                f"The pool sends codes to {wanted}, and {user.username!r} has none.",
                f"Add the user's {wanted} (AdminUpdateUserAttributes), or confirm without a code.",
            )
            return Prediction(False, reason=f"the user has no {wanted}")
        value = user.value(attribute) or ""
        medium = _medium(attribute)
        destination = mask_destination(attribute, value)
        if medium is DeliveryMedium.EMAIL:
            self.email(pool, destination)
        else:
            self.sms(pool)
        self.triggers(pool, medium)
        return Prediction(
            True,
            medium=medium,
            attribute=attribute,
            destination=destination,
            reason=f"a code will go by {medium.value} to {destination}",
        )

    def email(self, pool: PoolSettings, destination: str) -> None:
        if pool.email_sending_account == "DEVELOPER":
            sender = pool.email_from or pool.email_source_arn or "the pool's SES identity"
            self.add(
                Code.SES_SANDBOX_POSSIBLE,
                Severity.INFO,
                "Sent through your Amazon SES",
                f"Email goes out through SES as {sender}. An SES account still in its "
                "sandbox sends only to verified addresses.",
                "If nothing arrives, check the SES account's sandbox status and that the "
                "FROM identity is verified and lets email.cognito-idp.amazonaws.com send.",
            )
        else:
            sender = pool.email_from or DEFAULT_EMAIL_SENDER
            self.add(
                Code.DEFAULT_EMAIL_DAILY_CAP,
                Severity.WARNING,
                "Cognito's built-in email: 50 a day",
                f"The pool sends with Cognito's default email (COGNITO_DEFAULT): at most "
                f"{DEFAULT_EMAIL_DAILY_CAP} emails a day per AWS account, from {sender}, "
                "often filtered as spam.",
                "Check the spam folder; for more than a few tests a day configure Amazon SES "
                "(EmailSendingAccount DEVELOPER).",
            )
        if pool.email_configuration_failure:
            self.add(
                Code.EMAIL_CONFIGURATION_FAILURE,
                Severity.ERROR,
                "The pool's email configuration failed",
                f"Cognito recorded: {pool.email_configuration_failure}",
                "Fix the pool's email (SES) configuration in the console.",
            )
        if pool.default_email_option == "CONFIRM_WITH_LINK":
            self.add(
                Code.CONFIRM_WITH_LINK,
                Severity.INFO,
                "The email holds a link, not a code",
                f"The pool confirms by link (DefaultEmailOption CONFIRM_WITH_LINK): "
                f"{destination} gets a link to click, valid for 24 hours.",
                "Tell the user to click the link; there is no code to type.",
            )

    def sms(self, pool: PoolSettings) -> None:
        failure = pool.sms_configuration_failure
        if "SNSSandbox" in failure:
            self.add(
                Code.SMS_SANDBOX,
                Severity.ERROR,
                "SMS is still in the SNS sandbox",
                "The account's SMS is in the SNS sandbox: only verified phone numbers get "
                f"messages (Cognito recorded: {failure}).",
                "Verify this number in SNS, or move the account's SMS out of the sandbox.",
            )
        elif failure:
            self.add(
                Code.SMS_CONFIGURATION_FAILURE,
                Severity.ERROR,
                "The pool's SMS configuration failed",
                f"Cognito recorded: {failure}",
                "Fix the pool's SMS role (sns:Publish, trust for cognito-idp.amazonaws.com).",
            )
        else:
            where = f" through {pool.sms_region}" if pool.sms_region else ""
            self.add(
                Code.SMS_LIMITS,
                Severity.INFO,
                f"SMS goes out through Amazon SNS{where}",
                "A new account's SMS is in the SNS sandbox (verified numbers only) with a "
                "$1 monthly spend limit; some regions send through another region.",
                "If nothing arrives, check SNS's sandbox status, spend limit and delivery logs.",
            )

    def triggers(self, pool: PoolSettings, medium: DeliveryMedium) -> None:
        if pool.custom_message_lambda:
            self.add(
                Code.CUSTOM_MESSAGE_TRIGGER,
                Severity.INFO,
                "A CustomMessage trigger writes the text",
                f"{pool.custom_message_lambda} receives CustomMessage_ResendCode and may "
                "change the message; it must keep the {####} placeholder and answer within "
                "5 seconds, and an over-long message falls back to the default text.",
                "If the text looks wrong or the resend fails, read the trigger's logs.",
            )
        sender = (
            pool.custom_sms_sender_lambda
            if medium is DeliveryMedium.SMS
            else pool.custom_email_sender_lambda
        )
        if sender:
            self.add(
                Code.CUSTOM_SENDER_TRIGGER,
                Severity.INFO,
                "A custom sender trigger sends the message",
                f"Cognito hands the KMS-encrypted code to {sender}; that function, not "
                "Cognito, delivers it.",
                "If nothing arrives, read that function's logs.",
            )
