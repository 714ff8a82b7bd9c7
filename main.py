"""Starts Cognito Resend: the window by default, the command line with a subcommand."""

from app.__main__ import main

raise SystemExit(main())
