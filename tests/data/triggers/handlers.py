"""CustomMessage handlers for the sandbox trigger tests, one function per outcome."""

import json
import os
import sys
import time


def ok(event, context):
    code = event["request"]["codeParameter"]
    flow = event["request"]["clientMetadata"].get("flow", "none")
    print(f"ok handler for {event['userName']}")
    print("a warning on stderr", file=sys.stderr)
    event["response"]["smsMessage"] = f"SMS {code} ({flow})"
    event["response"]["emailMessage"] = f"<p>Hello {event['userName']}, your code is {code}.</p>"
    event["response"]["emailSubject"] = f"Your code ({flow})"
    return event


def unchanged(event, context):
    return event


def dump(event, context):
    # Writes the event exactly as received, for the preview-matches-delivery test.
    with open(event["request"]["clientMetadata"]["dump_to"], "w", encoding="utf-8") as out:
        json.dump(event, out)
    return event


def raises(event, context):
    print("about to refuse")
    raise ValueError("Sign-ups from this domain are closed")


def not_dict(event, context):
    return "hello"


def not_json(event, context):
    event["response"]["emailSubject"] = {"a", "set"}
    return event


def no_code(event, context):
    event["response"]["emailMessage"] = "Welcome! There is no code in here."
    return event


def too_long(event, context):
    code = event["request"]["codeParameter"]
    event["response"]["emailMessage"] = code + "x" * 20_000
    event["response"]["smsMessage"] = code + "x" * 140
    return event


def wrong_type(event, context):
    event["response"]["smsMessage"] = 123456
    return event


def slow(event, context):
    delay = float(event["request"]["clientMetadata"].get("sleep", "2"))
    print(f"sleeping {delay}s, {context.get_remaining_time_in_millis()} ms left", flush=True)
    time.sleep(delay)
    event["response"]["emailMessage"] = "slow but fine: " + event["request"]["codeParameter"]
    return event


def exits(event, context):
    print("exiting hard", flush=True)
    os._exit(3)


def sys_exit(event, context):
    sys.exit(4)


def loop(event, context):
    print("spinning", flush=True)
    while True:
        pass
