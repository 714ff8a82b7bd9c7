"""Dialogs the window opens on demand (each module loads on first use)."""
