"""The "Why didn't it arrive?" checklist for a delivered code, from pool settings and logs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.core.diagnosis_delivery import DEFAULT_EMAIL_DAILY_CAP, DEFAULT_EMAIL_SENDER
from app.core.diagnosis_input import PoolSettings
from app.core.outcome import Attempt, DeliveryMedium


@dataclass(frozen=True)
class LogLine:
    """One CloudWatch Logs event (the message as AWS stored it; not secret)."""

    at: datetime
    message: str
    stream: str = ""


@dataclass(frozen=True)
class LogFindings:
    """What the logs said after a send; None where they could not be read, and why."""

    delivery_errors: tuple[LogLine, ...] | None = None
    delivery_errors_why_not: str = ""
    trigger_lines: tuple[LogLine, ...] | None = None
    trigger_why_not: str = ""


@dataclass(frozen=True)
class ChecklistItem:
    """One thing to check; `likely` marks what this pool's settings make likely."""

    title: str
    detail: str
    likely: bool = False


def arrival_checklist(
    attempt: Attempt,
    pool: PoolSettings | None,
    logs: LogFindings | None = None,
) -> tuple[ChecklistItem, ...]:
    """The checklist for a delivered `attempt`: log evidence first, then what this pool's
    settings make likely, then what holds for every pool. Without the pool's settings the
    pool-dependent items are listed as possibilities."""
    medium = attempt.delivery.medium if attempt.delivery else None
    items: list[ChecklistItem] = []
    items.extend(_log_items(logs))
    if medium is not DeliveryMedium.SMS:
        items.extend(_email_items(pool))
    if medium is not DeliveryMedium.EMAIL:
        items.extend(_sms_items(pool))
    if pool is None or pool.custom_message_lambda:
        items.append(
            ChecklistItem(
                "A trigger may have changed the text",
                (
                    f"{pool.custom_message_lambda} writes the message"
                    if pool
                    else "A CustomMessage trigger may write the message"
                )
                + "; an over-long message falls back to the default text, and a message "
                "without {####} is refused.",
                likely=pool is not None,
            )
        )
    items.extend(
        (
            ChecklistItem(
                "It can take a minute or two",
                "Delivered codes sometimes arrive after a minute or two; wait before "
                "resending (each resend counts towards the attempt limit).",
            ),
            ChecklistItem(
                "A code is valid for 24 hours",
                "A code (or link) older than 24 hours is refused as expired.",
            ),
            ChecklistItem(
                "Only the newest code works",
                "Each resend makes the earlier codes invalid: use the newest message.",
            ),
        )
    )
    return tuple(items)


def _log_items(logs: LogFindings | None) -> list[ChecklistItem]:
    if logs is None:
        return []
    items: list[ChecklistItem] = []
    if logs.delivery_errors:
        shown = "\n".join(f"{line.at:%H:%M:%S} {line.message}" for line in logs.delivery_errors)
        items.append(
            ChecklistItem(
                "Cognito logged a delivery error for this user",
                f"From the pool's user-notification error logs after the send:\n{shown}",
                likely=True,
            )
        )
    elif logs.delivery_errors is not None:
        items.append(
            ChecklistItem(
                "No delivery error was logged",
                "The pool's user-notification error logs hold nothing for this user in the "
                "minutes after the send.",
            )
        )
    elif logs.delivery_errors_why_not:
        items.append(ChecklistItem("Delivery error logs not read", logs.delivery_errors_why_not))
    if logs.trigger_lines:
        shown = "\n".join(f"{line.at:%H:%M:%S} {line.message}" for line in logs.trigger_lines)
        items.append(
            ChecklistItem(
                "The CustomMessage trigger's log lines around the send (best-effort)",
                "Lines of the trigger function's CloudWatch Logs near the send's time; "
                f"they may belong to another call:\n{shown}",
            )
        )
    elif logs.trigger_why_not:
        items.append(ChecklistItem("Trigger logs not read", logs.trigger_why_not))
    return items


def _email_items(pool: PoolSettings | None) -> list[ChecklistItem]:
    items: list[ChecklistItem] = []
    default = pool is None or pool.email_sending_account != "DEVELOPER"
    if default:
        items.append(
            ChecklistItem(
                "Cognito's daily email cap",
                f"Cognito's built-in email sends at most {DEFAULT_EMAIL_DAILY_CAP} emails a day "
                "per AWS account; past it, sends fail until the next day.",
                likely=pool is not None,
            )
        )
    if pool is None or pool.email_sending_account == "DEVELOPER":
        items.append(
            ChecklistItem(
                "Amazon SES sandbox",
                "An SES account still in its sandbox sends only to verified addresses.",
                likely=pool is not None,
            )
        )
    sender = (pool.email_from if pool else "") or (DEFAULT_EMAIL_SENDER if default else "")
    items.append(
        ChecklistItem(
            "Spam folder and sender address",
            (f"Look for mail from {sender}; " if sender else "")
            + "automated confirmation mail is often filtered as spam or quarantined.",
            likely=pool is not None and default,
        )
    )
    if pool is None or pool.default_email_option == "CONFIRM_WITH_LINK":
        items.append(
            ChecklistItem(
                "A link, not a code",
                "The pool confirms by link: the email holds a link to click instead of a code.",
                likely=pool is not None,
            )
        )
    return items


def _sms_items(pool: PoolSettings | None) -> list[ChecklistItem]:
    failure = pool.sms_configuration_failure if pool else ""
    return [
        ChecklistItem(
            "SNS SMS sandbox and spend limit",
            "A new account's SMS is in the SNS sandbox (verified numbers only) with a $1 "
            "monthly spend limit" + (f"; Cognito recorded: {failure}" if failure else "") + ".",
            likely=bool(failure),
        ),
        ChecklistItem(
            "SMS routed through another region",
            "Some regions send SMS through another region (e.g. Frankfurt and London through "
            "Ireland): check SNS limits and delivery logs there.",
        ),
    ]
