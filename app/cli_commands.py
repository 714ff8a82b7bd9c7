"""The CLI's command names, apart, so that starting the window does not import the CLI."""

from __future__ import annotations

SUBCOMMANDS = ("sandbox", "profiles", "resend", "history", "inbox", "trigger-event", "batch")
