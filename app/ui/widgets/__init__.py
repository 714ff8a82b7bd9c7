"""Widgets: the window's parts; they show state and emit requests, never call services."""
