"""A handler module that fails while being imported."""

raise RuntimeError("missing configuration at import time")


def handler(event, context):
    return event
