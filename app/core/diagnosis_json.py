"""A Diagnosis as the JSON object `diagnose --json` prints (stable keys for scripts)."""

from __future__ import annotations

from datetime import datetime

from app.core.diagnosis_result import Diagnosis


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def diagnosis_to_dict(d: Diagnosis) -> dict[str, object]:
    """user, prediction, findings, checked and not_checked, plus next_step and matches."""
    u, p = d.user, d.prediction
    return {
        "identifier": d.identifier,
        "user": {
            "found": u.found,
            "username": u.username,
            "status": u.status,
            "enabled": u.enabled,
            "email": u.email,
            "email_verified": u.email_verified,
            "phone_number": u.phone_number,
            "phone_number_verified": u.phone_number_verified,
            "created": _time(u.created),
            "modified": _time(u.modified),
        },
        "prediction": {
            "will_send": p.will_send,
            "medium": p.medium.value if p.medium else None,
            "attribute": p.attribute,
            "destination": p.destination,
            "reason": p.reason,
        },
        "findings": [
            {
                "code": f.code.value,
                "severity": f.severity.value,
                "title": f.title,
                "detail": f.detail,
                "remedy": f.remedy,
            }
            for f in d.findings
        ],
        "checked": [a.value for a in d.checked],
        "not_checked": [
            {"what": n.area.value, "why": n.why, "allow": n.allow} for n in d.not_checked
        ],
        "next_step": d.next_step.value,
        "addressable": d.addressable,
        "client_prevents_user_existence_errors": d.client_can_simulate,
        "matches": list(d.matches),
    }


def diagnosis_text(d: Diagnosis) -> str:
    """The same for a person: prediction first, then findings, then what was not checked."""
    u, p = d.user, d.prediction
    lines: list[str] = []
    if u.found is None:
        lines.append(f"User: {d.identifier} (not looked up)")
    elif not u.found:
        lines.append(f"User: {d.identifier} — not found")
    elif u.username is None:
        lines.append(f"User: {d.identifier} — {len(d.matches)} matches: {', '.join(d.matches)}")
    else:
        state = "enabled" if u.enabled else "DISABLED"
        lines.append(f"User: {u.username} — {u.status}, {state}")
        if u.email:
            lines.append(f"  email {u.email} ({'verified' if u.email_verified else 'unverified'})")
        if u.phone_number:
            verified = "verified" if u.phone_number_verified else "unverified"
            lines.append(f"  phone {u.phone_number} ({verified})")
    verdict = {True: "will send", False: "will not send", None: "cannot tell"}[p.will_send]
    lines.append(f"Prediction: {verdict} — {p.reason}" if p.reason else f"Prediction: {verdict}")
    for f in d.findings:
        lines.append(f"[{f.severity.value}] {f.code.value}: {f.title}")
        lines.append(f"    {f.detail}")
        lines.append(f"    What to do: {f.remedy}")
    if d.checked:
        lines.append("Checked: " + ", ".join(a.value for a in d.checked))
    for n in d.not_checked:
        lines.append(f"Not checked: {n.area.value} — {n.why} ({n.allow})")
    lines.append(f"Next step: {d.next_step.value.replace('_', ' ')}")
    return "\n".join(lines)
