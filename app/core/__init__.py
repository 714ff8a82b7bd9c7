"""Pure domain: request, validation, secret hash, outcomes, error catalog (stdlib only)."""
