"""The main window: composition of the widgets, its actions, its saved state."""
